/**
 * AnalysisSnapshot: the serialisable summary of one analysis that the analysis worker sends to
 * the extension host (structured clone: no Maps, no functions, no cycles). It holds what the
 * features draw from — findings with their fixes, the network per stage, and ranges both as
 * offsets and as 0-based line/character, so that it can be used without the text it came from.
 */
import type { Analysis } from '../analyze';
import type { Target } from '../extract';
import type { Block, Conv, FusionInput, FusionMap, Shape, Stage } from '../model';
import type { Severity } from '../rules/types';
import { RULE_BY_CODE } from '../rules/index';
import type { LineIndex, Position, Range } from '../text';
import { receivedAfter } from './cost';

export interface SRange {
  start: number;
  end: number;
  from: Position;
  to: Position;
}

export interface SnapshotFix {
  title: string;
  preferred: boolean;
  edits: { range: SRange; newText: string }[];
}

export interface SnapshotFinding {
  code: string;
  /** The rule's kebab-case name. */
  rule: string;
  severity: Severity;
  message: string;
  range: SRange;
  related: { range: SRange; message: string }[];
  fixes: SnapshotFix[];
  unnecessary: boolean;
  stage?: number;
}

/** A fusion input as the model has it (plain data already). */
export type SnapshotFusion = FusionInput;

/** A model Block, with its op range as an SRange (opSpec stays behind: the host reads ops from the schema). */
export type SnapshotBlock = Omit<Block, 'opSpec' | 'opRange' | 'fusion'> & { opRange?: SRange; fusion: SnapshotFusion[] };

/** A model Stage without its ConfigValue (Maps do not cross the worker boundary), ranges as SRanges. */
export type SnapshotStage = Omit<Stage, 'config' | 'range' | 'callRange' | 'blocks' | 'outputElems' | 'activationElems'> & {
  range: SRange;
  callRange?: SRange;
  calleeRange?: SRange;
  blocks: SnapshotBlock[];
  /** Findings of this stage by severity. */
  counts: Record<Severity, number>;
};

export interface AnalysisSnapshot {
  uri: string;
  version: number;
  /** The file is a MixVarGENet config (mentions MixVarGENetConfig or has a MixVarGENet backbone). */
  relevant: boolean;
  target: Target;
  /** `march` in the file decided the target (else the user's setting). */
  targetFromFile: boolean;
  march?: string;
  input: [number, number, number, number];
  inputSource: 'deploy_inputs' | 'data_shape' | 'default';
  netConfigRange?: SRange;
  recovered: boolean;
  partial: boolean;
  stem: Conv | null;
  stages: SnapshotStage[];
  head: { fc: Conv; cls: Conv; pool: { k: number; inShape: Shape | null; outShape: Shape | null; problem?: string }; rowsPerImage: number | null; params: number | null; macs: number | null } | null;
  includeTop: boolean;
  numClasses: number | null;
  params: number | null;
  macs: number | null;
  knownParams: number;
  knownMacs: number;
  exact: boolean;
  routingKnown: boolean;
  /** What the head of a stage appended after the last one would receive (null: a plain tensor). */
  nextReceived: FusionMap[] | null | undefined;
  findings: SnapshotFinding[];
  counts: Record<Severity, number>;
  ruleErrors: { code: string; error: string }[];
  opsProblems: string[];
  timings: { parseMs: number; evaluateMs: number; modelMs: number; rulesMs: number; analyzeMs: number; snapshotMs: number };
}

export function emptyCounts(): Record<Severity, number> {
  return { error: 0, warning: 0, info: 0, hint: 0 };
}

export function sRange(lines: LineIndex, r: Range): SRange {
  return { start: r.start, end: r.end, from: lines.positionAt(r.start), to: lines.positionAt(r.end) };
}

export function toSnapshot(a: Analysis, meta: { uri: string; version: number; analyzeMs?: number; opsProblems?: string[] }): AnalysisSnapshot {
  const t0 = performance.now();
  const L = a.lines;
  const sr = (r: Range) => sRange(L, r);
  const findings: SnapshotFinding[] = a.findings.map((f) => ({
    code: f.code,
    rule: RULE_BY_CODE.get(f.code)?.name ?? f.code,
    severity: f.severity,
    message: f.message,
    range: sr(f.range),
    related: (f.related ?? []).map((x) => ({ range: sr(x.range), message: x.message })),
    fixes: (f.fixes ?? []).map((x) => ({ title: x.title, preferred: !!x.preferred, edits: x.edits.map((e) => ({ range: sr(e.range), newText: e.newText })) })),
    unnecessary: !!f.unnecessary,
    stage: f.stage,
  }));
  const counts = emptyCounts();
  for (const f of findings) counts[f.severity]++;
  const net = a.network;
  const stages: SnapshotStage[] = (net?.stages ?? []).map((s) => {
    const sc = emptyCounts();
    for (const f of findings) if (f.stage === s.index) sc[f.severity]++;
    const { config, range, callRange, blocks, outputElems: _oe, activationElems: _ae, ...plain } = s;
    return {
      ...plain,
      range: sr(range),
      callRange: callRange ? sr(callRange) : undefined,
      calleeRange: config ? sr(config.callee) : undefined,
      blocks: blocks.map(({ opSpec: _spec, opRange, fusion, ...block }) => ({
        ...block,
        opRange: opRange ? sr(opRange) : undefined,
        fusion: fusion.map((f) => ({ ...f })),
      })),
      counts: sc,
    };
  });
  const snap: AnalysisSnapshot = {
    uri: meta.uri,
    version: meta.version,
    relevant: a.extracted.mentionsConfig || a.extracted.backbone !== undefined,
    target: a.target,
    targetFromFile: a.extracted.marchTarget !== undefined,
    march: a.extracted.march?.name,
    input: a.extracted.input.shape,
    inputSource: a.extracted.input.source,
    netConfigRange: a.extracted.netConfig ? sr(a.extracted.netConfig.range) : undefined,
    recovered: !!a.extracted.netConfig?.recovered,
    partial: !!a.extracted.netConfig?.partial,
    stem: net?.stem ?? null,
    stages,
    head: net?.head ? { fc: net.head.fc, cls: net.head.cls, pool: net.head.pool, rowsPerImage: net.head.rowsPerImage, params: net.head.params, macs: net.head.macs } : null,
    includeTop: net?.args.includeTop ?? true,
    numClasses: net?.args.numClasses ?? null,
    params: net?.params ?? null,
    macs: net?.macs ?? null,
    knownParams: net?.knownParams ?? 0,
    knownMacs: net?.knownMacs ?? 0,
    exact: !!net?.exact,
    routingKnown: !!net?.routingKnown,
    nextReceived: net && net.routingKnown ? receivedAfter(net.stages) : undefined,
    findings,
    counts,
    ruleErrors: a.ruleErrors,
    opsProblems: meta.opsProblems ?? [],
    timings: { ...a.timings, analyzeMs: meta.analyzeMs ?? a.timings.parseMs + a.timings.evaluateMs + a.timings.modelMs + a.timings.rulesMs, snapshotMs: 0 },
  };
  snap.timings.snapshotMs = performance.now() - t0;
  return snap;
}
