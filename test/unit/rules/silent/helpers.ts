/**
 * Builds small configs for the silent/guidance rule tests: the seed network of MIXVARGENET.md §2
 * with per-stage overrides, and helpers to pick findings, read the text under a range and apply fixes.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, type Analysis, type AnalyzeOptions } from '../../../../extension/core/analyze';
import type { Finding, Fix } from '../../../../extension/core/rules/types';
import type { Range } from '../../../../extension/core/text';

/** A field value as Python source ("32", '"mixvarge_f2"', '["a"] * 6'), a number, or a list of numbers/op names. */
export type FieldSrc = string | number | (string | number)[];
/** Per-field overrides of one stage; null drops the field from the call. */
export type StageOverride = Record<string, FieldSrc | null>;

const FIELD_ORDER = ['in_channels', 'out_channels', 'head_op', 'stack_ops', 'stack_factor', 'stride', 'fusion_strides', 'extra_downsample_num'];

/** The seed network (MIXVARGENET.md §2), as Python source per field. */
export const SEED: Record<string, string>[] = [
  { in_channels: '32', out_channels: '32', head_op: '"mixvarge_f2"', stack_ops: '[]', stack_factor: '1', stride: '1', fusion_strides: '[]', extra_downsample_num: '0' },
  { in_channels: '32', out_channels: '32', head_op: '"mixvarge_f4"', stack_ops: '["mixvarge_f4", "mixvarge_f4"]', stack_factor: '1', stride: '2', fusion_strides: '[]', extra_downsample_num: '0' },
  { in_channels: '32', out_channels: '64', head_op: '"mixvarge_f4"', stack_ops: '["mixvarge_f4", "mixvarge_f4"]', stack_factor: '1', stride: '2', fusion_strides: '[]', extra_downsample_num: '0' },
  { in_channels: '64', out_channels: '96', head_op: '"mixvarge_f2_gb16"', stack_ops: '["mixvarge_f2_gb16"] * 6', stack_factor: '1', stride: '2', fusion_strides: '[]', extra_downsample_num: '0' },
  { in_channels: '96', out_channels: '160', head_op: '"mixvarge_f2_gb16"', stack_ops: '["mixvarge_f2_gb16"] * 2', stack_factor: '1', stride: '2', fusion_strides: '[]', extra_downsample_num: '0' },
];

export const q = (s: string): string => JSON.stringify(s);

function src(v: FieldSrc): string {
  if (Array.isArray(v)) return `[${v.map((x) => (typeof x === 'number' ? String(x) : q(x))).join(', ')}]`;
  return String(v);
}

export interface ConfigOptions {
  /** Overrides by stage index. */
  stages?: Record<number, StageOverride>;
  /** Stages to use instead of the seed's five (each a full field map). */
  layout?: Record<string, string>[];
  /** Backbone dict arguments, as Python source; null removes one of the defaults. */
  backbone?: Record<string, string | null>;
  /** deploy_inputs' H and W; null: no deploy_inputs at all. Default 224x224. */
  input?: [number, number] | null;
  /** march = ...; null: no march line. Default March.BAYES (J5). */
  march?: string | null;
  /** Extra module-level lines before net_config. */
  prelude?: string;
}

/** A whole config module: the seed with the given overrides. */
export function config(opts: ConfigOptions = {}): string {
  const layout = (opts.layout ?? SEED).map((s) => ({ ...s }));
  for (const [i, ov] of Object.entries(opts.stages ?? {})) {
    const st = layout[Number(i)];
    for (const [k, v] of Object.entries(ov)) {
      if (v === null) delete st[k];
      else st[k] = src(v);
    }
  }
  const fieldsOf = (st: Record<string, string>) => {
    const keys = [...FIELD_ORDER.filter((k) => k in st), ...Object.keys(st).filter((k) => !FIELD_ORDER.includes(k))];
    return keys.map((k) => `${k}=${st[k]}`).join(', ');
  };
  const stages = layout.map((st) => `    [MixVarGENetConfig(${fieldsOf(st)})],`).join('\n');
  const bb: Record<string, string | null> = {
    type: '"MixVarGENet"',
    net_config: 'net_config',
    num_classes: 'num_classes',
    bn_kwargs: '{}',
    bias: 'True',
    ...(opts.backbone ?? {}),
  };
  const bbText = Object.entries(bb)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const lines = [
    'import torch',
    'from hat.models.backbones.mixvargenet import MixVarGENetConfig',
    'from horizon_plugin_pytorch.march import March',
    '',
    'num_classes = 1000',
  ];
  const march = opts.march === undefined ? 'March.BAYES' : opts.march;
  if (march !== null) lines.push(`march = ${march}`);
  if (opts.prelude) lines.push(opts.prelude);
  lines.push('net_config = [', stages, ']', '');
  lines.push(`model = dict(type="Classifier", backbone=dict(${bbText}), losses=dict(type="CEWithLabelSmooth"))`);
  const input = opts.input === undefined ? [224, 224] : opts.input;
  if (input) lines.push(`deploy_inputs = dict(img=torch.randn((1, 3, ${input[0]}, ${input[1]})))`);
  return lines.join('\n') + '\n';
}

/**
 * A valid fusion config worked out by hand from MIXVARGENET.md §3:
 *   stage 2 [stride 8] emits 2x and 4x maps (start = 2);
 *   after stage 2, i = 0: stage 3 receives [2x[0]] = stage 2's 2x (28→14, 64 ch) → fusion_strides=[8];
 *   stage 3 [16] emits a 2x map; after stage 3, i = 1: 8x[-1] none, 4x[0] = stage 2's 4x (28→7),
 *   2x[1] = stage 3's 2x (14→7) → stage 4 receives [stage 2's 4x, stage 3's 2x] → fusion_strides=[8, 16].
 */
export function fusionStages(): Record<number, StageOverride> {
  return {
    2: { extra_downsample_num: 2 },
    3: { extra_downsample_num: 1, fusion_strides: [8] },
    4: { fusion_strides: [8, 16] },
  };
}

export function fusionConfig(opts: ConfigOptions = {}): string {
  const stages: Record<number, StageOverride> = fusionStages();
  for (const [i, ov] of Object.entries(opts.stages ?? {})) stages[Number(i)] = { ...(stages[Number(i)] ?? {}), ...ov };
  return config({ ...opts, stages });
}

export function run(text: string, options: AnalyzeOptions = {}): Analysis {
  const a = analyze(text, options);
  assert.deepEqual(a.ruleErrors, [], 'no rule threw');
  return a;
}

/** Findings of one rule. */
export function only(text: string, code: string, options: AnalyzeOptions = {}): Finding[] {
  return run(text, options).findings.filter((f) => f.code === code);
}

/** The text a range covers. */
export function at(text: string, r: Range): string {
  return text.slice(r.start, r.end);
}

/** Apply a fix's edits (from the end, so offsets stay valid). */
export function applyFix(text: string, fix: Fix): string {
  const edits = [...fix.edits].sort((a, b) => b.range.start - a.range.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
  return out;
}

export function preferred(f: Finding): Fix {
  const fix = f.fixes?.find((x) => x.preferred);
  assert.ok(fix, `finding ${f.code} has a preferred fix`);
  return fix;
}

/** The range lies inside stage i's MixVarGENetConfig call. */
export function inStage(a: Analysis, r: Range, i: number): boolean {
  const call = a.network?.stages[i]?.callRange;
  return !!call && call.start <= r.start && r.end <= call.end;
}

/** The codes of the silent (warning) rules this suite covers. */
export const WARNING_CODES = ['MVG101', 'MVG102', 'MVG103', 'MVG104', 'MVG105', 'MVG106', 'MVG107', 'MVG108', 'MVG109'];
export const GUIDANCE_CODES = ['MVG201', 'MVG202', 'MVG203', 'MVG301'];

/** The example configs shipped with the repository. */
export function example(name: string): string {
  const candidates = [path.resolve(__dirname, '../../../../../examples/configs', name), path.resolve(process.cwd(), 'examples/configs', name)];
  const p = candidates.find((c) => fs.existsSync(c));
  assert.ok(p, `example ${name} found`);
  return fs.readFileSync(p, 'utf8');
}
