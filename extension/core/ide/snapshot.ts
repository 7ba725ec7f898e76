/**
 * AnalysisSnapshot: the serialisable summary of one analysis that the analysis worker sends to
 * the extension host (structured clone: no Maps, no functions, no cycles). It holds what the
 * features draw from — findings with their fixes, the network per stage, and ranges both as
 * offsets and as 0-based line/character, so that it can be used without the text it came from.
 */
import type { Analysis } from '../analyze';
import type { Target } from '../extract';
import type { BackboneArgs, Block, FusionInput, Network, Stage } from '../model';
import type { Finding, Fix, Related, Severity, TextEdit } from '../rules/types';
import { RULE_BY_CODE } from '../rules/index';
import type { LineIndex, Position, Range } from '../text';
import { receivedAfter } from './cost';

export interface SRange {
  start: number;
  end: number;
  from: Position;
  to: Position;
}

/** T with its range as an SRange. */
export type WithSRange<T extends { range: Range }> = Omit<T, 'range'> & { range: SRange };

/** A rule's Fix, its edits' ranges as SRanges and `preferred` always said. */
export interface SnapshotFix extends Omit<Fix, 'edits' | 'preferred'> {
  preferred: boolean;
  edits: WithSRange<TextEdit>[];
}

/** A rule's Finding with its rule's name, ranges as SRanges and the optional lists always present. */
export interface SnapshotFinding extends Omit<Finding, 'range' | 'related' | 'fixes' | 'unnecessary'> {
  /** The rule's kebab-case name. */
  rule: string;
  range: SRange;
  related: WithSRange<Related>[];
  fixes: SnapshotFix[];
  unnecessary: boolean;
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

/** The network's own facts travel as the model has them (plain data): input, stem, head and totals. */
export interface AnalysisSnapshot
  extends Pick<Network, 'input' | 'inputSource' | 'stem' | 'head' | 'params' | 'macs' | 'knownParams' | 'knownMacs' | 'exact' | 'routingKnown'>,
    Pick<BackboneArgs, 'includeTop' | 'numClasses'> {
  uri: string;
  version: number;
  /** The file is a MixVarGENet config (mentions MixVarGENetConfig or has a MixVarGENet backbone). */
  relevant: boolean;
  target: Target;
  /** `march` in the file decided the target (else the user's setting). */
  targetFromFile: boolean;
  march?: string;
  netConfigRange?: SRange;
  recovered: boolean;
  partial: boolean;
  stages: SnapshotStage[];
  /** What the head of a stage appended after the last one would receive (null: a plain tensor; undefined: unknown routing). */
  nextReceived: Stage['received'] | undefined;
  findings: SnapshotFinding[];
  counts: Record<Severity, number>;
  ruleErrors: Analysis['ruleErrors'];
  opsProblems: string[];
  timings: Analysis['timings'] & { analyzeMs: number; snapshotMs: number };
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
    head: net?.head ?? null,
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
    timings: { ...a.timings, analyzeMs: meta.analyzeMs ?? a.timings.parseMs + a.timings.evaluateMs + a.timings.modelMs + a.timings.rulesMs + a.timings.rankMs, snapshotMs: 0 },
  };
  snap.timings.snapshotMs = performance.now() - t0;
  return snap;
}
