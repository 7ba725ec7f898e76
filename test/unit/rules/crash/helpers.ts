/**
 * Test helpers for the crash rules: a 5-stage config text built from the seed network of
 * MIXVARGENET.md §2 with per-stage and backbone overrides, and small finding/fix utilities.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, type Analysis } from '../../../../extension/core/analyze';
import type { Finding, Fix } from '../../../../extension/core/rules/types';

/** Field values as Python source text; `null` leaves the field out. */
export type StageFields = Partial<Record<StageField, string | null>>;
type StageField =
  | 'in_channels'
  | 'out_channels'
  | 'head_op'
  | 'stack_ops'
  | 'stack_factor'
  | 'stride'
  | 'fusion_strides'
  | 'extra_downsample_num';

/** The seed's five stages (MIXVARGENET.md §2), field values as Python source. */
export const SEED_STAGES: Record<StageField, string>[] = [
  { in_channels: '32', out_channels: '32', head_op: '"mixvarge_f2"', stack_ops: '[]', stack_factor: '1', stride: '1', fusion_strides: '[]', extra_downsample_num: '0' },
  { in_channels: '32', out_channels: '32', head_op: '"mixvarge_f4"', stack_ops: '["mixvarge_f4", "mixvarge_f4"]', stack_factor: '1', stride: '2', fusion_strides: '[]', extra_downsample_num: '0' },
  { in_channels: '32', out_channels: '64', head_op: '"mixvarge_f4"', stack_ops: '["mixvarge_f4", "mixvarge_f4"]', stack_factor: '1', stride: '2', fusion_strides: '[]', extra_downsample_num: '0' },
  { in_channels: '64', out_channels: '96', head_op: '"mixvarge_f2_gb16"', stack_ops: '["mixvarge_f2_gb16"] * 6', stack_factor: '1', stride: '2', fusion_strides: '[]', extra_downsample_num: '0' },
  { in_channels: '96', out_channels: '160', head_op: '"mixvarge_f2_gb16"', stack_ops: '["mixvarge_f2_gb16"] * 2', stack_factor: '1', stride: '2', fusion_strides: '[]', extra_downsample_num: '0' },
];

export interface ConfigOptions {
  /** Per-stage field overrides, by stage index. */
  stages?: Record<number, StageFields>;
  /** Replace a whole stage item (the inner list) by this source text. */
  items?: Record<number, string>;
  /** Extra lines of source (written as `key=value` pairs) appended to the call, by stage index. */
  extraArgs?: Record<number, string>;
  /** Backbone dict entries as Python source; `null` removes an entry. */
  backbone?: Record<string, string | null>;
  /** Whole `deploy_inputs = ...` right-hand side; `null` leaves deploy_inputs out. */
  deployInputs?: string | null;
  /** Source inserted after the imports. */
  preamble?: string;
  /** Number of stages to keep (default 5); more than 5 repeats the last stage's layout. */
  count?: number;
}

export function stageCall(fields: Record<string, string | null>, extra?: string): string {
  const order: StageField[] = ['in_channels', 'out_channels', 'head_op', 'stack_ops', 'stack_factor', 'stride', 'fusion_strides', 'extra_downsample_num'];
  const args = order.filter((f) => fields[f] !== null && fields[f] !== undefined).map((f) => `${f}=${fields[f]}`);
  if (extra) args.push(extra);
  return `MixVarGENetConfig(${args.join(', ')})`;
}

/** A whole config module: imports, net_config, the classifier model and deploy_inputs. */
export function makeConfig(opts: ConfigOptions = {}): string {
  const count = opts.count ?? 5;
  const items: string[] = [];
  for (let i = 0; i < count; i++) {
    if (opts.items?.[i] !== undefined) {
      items.push(`    ${opts.items[i]},`);
      continue;
    }
    const base: Record<string, string | null> = { ...SEED_STAGES[Math.min(i, SEED_STAGES.length - 1)] };
    if (i >= SEED_STAGES.length) {
      base.in_channels = '160';
      base.out_channels = '160';
    }
    const fields = { ...base, ...(opts.stages?.[i] ?? {}) };
    items.push(`    [${stageCall(fields, opts.extraArgs?.[i])}],`);
  }
  const bb: Record<string, string | null> = {
    type: '"MixVarGENet"',
    net_config: 'net_config',
    num_classes: 'num_classes',
    bn_kwargs: 'bn_kwargs',
    bias: 'True',
    ...(opts.backbone ?? {}),
  };
  const bbArgs = Object.entries(bb)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `        ${k}=${v},`)
    .join('\n');
  const deploy = opts.deployInputs === undefined ? 'dict(img=torch.randn((1, 3, 224, 224)))' : opts.deployInputs;
  return [
    'import torch',
    'from hat.models.backbones.mixvargenet import MixVarGENetConfig',
    '',
    opts.preamble ?? '',
    'num_classes = 1000',
    'bn_kwargs = {}',
    'net_config = [',
    ...items,
    ']',
    '',
    'model = dict(',
    '    type="Classifier",',
    '    backbone=dict(',
    bbArgs,
    '    ),',
    ')',
    deploy === null ? '' : `deploy_inputs = ${deploy}`,
    '',
  ].join('\n');
}

export function run(text: string): Analysis {
  const a = analyze(text);
  assert.deepEqual(a.ruleErrors, [], `a rule threw: ${JSON.stringify(a.ruleErrors)}`);
  return a;
}

/** Findings of one rule. */
export function findings(text: string, code: string): Finding[] {
  return run(text).findings.filter((f) => f.code === code);
}

/** Exactly one finding of the rule; returns it. */
export function one(text: string, code: string): Finding {
  const fs = findings(text, code);
  assert.equal(fs.length, 1, `expected one ${code}, got ${fs.length}: ${fs.map((f) => f.message).join(' | ')}`);
  assert.equal(fs[0].severity, 'error');
  return fs[0];
}

export function none(text: string, code: string): void {
  const fs = findings(text, code);
  assert.deepEqual(
    fs.map((f) => f.message),
    [],
    `expected no ${code}`,
  );
}

/** The source text a finding's range covers. */
export function under(text: string, f: { range: { start: number; end: number } }): string {
  return text.slice(f.range.start, f.range.end);
}

/** Apply one fix's edits (non-overlapping) to the text. */
export function applyFix(text: string, fix: Fix): string {
  const edits = [...fix.edits].sort((a, b) => b.range.start - a.range.start || b.range.end - a.range.end);
  let out = text;
  for (const e of edits) out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
  return out;
}

/** The preferred (or only) fix of a finding. */
export function preferredFix(f: Finding): Fix {
  assert.ok(f.fixes && f.fixes.length > 0, `no fix on: ${f.message}`);
  return f.fixes.find((x) => x.preferred) ?? f.fixes[0];
}

/** Text of the line holding an offset (for compact assertions on fixed text). */
export function lineAt(text: string, offset: number): string {
  const s = text.lastIndexOf('\n', offset - 1) + 1;
  const e = text.indexOf('\n', offset);
  return text.slice(s, e < 0 ? text.length : e);
}

/** The repository root: the nearest folder above the compiled test holding examples/configs. */
function repoRoot(): string {
  for (let d = __dirname; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'examples', 'configs'))) return d;
    if (path.dirname(d) === d) return process.cwd();
  }
}

export function example(name: string): string {
  return fs.readFileSync(path.join(repoRoot(), 'examples/configs', name), 'utf8');
}

export const CRASH_CODES = ['MVG003', 'MVG004', 'MVG005', 'MVG006', 'MVG007', 'MVG008', 'MVG009', 'MVG010', 'MVG011', 'MVG012', 'MVG013', 'MVG014', 'MVG015', 'MVG016'];
