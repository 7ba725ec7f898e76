/**
 * What an edit did to the network: two analysed configs compared stage by stage (matched by index),
 * with the cost deltas, the MixVarGENetConfig fields that changed and the lint findings that appeared
 * or went away. Pure: works on plain analysis snapshots (the editor's, from the analysis worker) or
 * on two texts (`diffConfigs`, the CLI and anything else that holds the texts).
 *
 * Numbers that are unknown on a side are `null`, and so is any delta that needs them; a stage only
 * on one side has `null` for the side it is missing from and its whole cost as the delta.
 */
import { analyze, type AnalyzeOptions } from '../analyze';
import { toSnapshot, type SnapshotFinding, type SnapshotStage } from '../ide/snapshot';

/** The part of a stage the diff reads (an AnalysisSnapshot's stages have it). */
export type DiffStageInput = Pick<
  SnapshotStage,
  'index' | 'inChannels' | 'outChannels' | 'headOp' | 'stackOps' | 'stride' | 'stackFactor' | 'fusionStrides' | 'extraDownsampleNum' | 'params' | 'macs' | 'unknown'
>;

/** The part of a finding the diff reads. */
export type DiffFindingInput = Pick<SnapshotFinding, 'code' | 'severity' | 'message' | 'stage'> & { range: { from: { line: number } } };

/** One side of a diff: an analysed config (an AnalysisSnapshot is one). */
export interface DiffInput {
  params: number | null;
  macs: number | null;
  stages: readonly DiffStageInput[];
  findings: readonly DiffFindingInput[];
}

/** Where a side came from: a file and, when read from git, the revision. */
export interface DiffSource {
  file: string | null;
  rev: string | null;
}

export interface NumberDelta {
  old: number | null;
  new: number | null;
  delta: number | null;
}

export type FieldValue = number | string | null | (number | string | null)[];

export interface FieldChange {
  /** The MixVarGENetConfig field, as written in the config. */
  field: string;
  old: FieldValue;
  new: FieldValue;
}

export type StageStatus = 'same' | 'changed' | 'added' | 'removed';

export interface StageDiff {
  old: number | null;
  new: number | null;
  status: StageStatus;
  params: NumberDelta;
  macs: NumberDelta;
  changes: FieldChange[];
}

export interface DiffFinding {
  code: string;
  severity: string;
  message: string;
  /** 1-based line in the side it belongs to (the new file for `new`, the old one for `fixed`). */
  line: number;
  stage: number | null;
}

export interface ConfigDiff {
  old: DiffSource & { params: number | null; macs: number | null };
  new: DiffSource & { params: number | null; macs: number | null };
  params: NumberDelta;
  macs: NumberDelta;
  stages: StageDiff[];
  findings: { new: DiffFinding[]; fixed: DiffFinding[] };
}

/** The compared fields: MixVarGENetConfig's, in its dataclass order (MIXVARGENET.md §2). */
const FIELDS: readonly { field: string; read: (s: DiffStageInput) => FieldValue }[] = [
  { field: 'in_channels', read: (s) => s.inChannels },
  { field: 'out_channels', read: (s) => s.outChannels },
  { field: 'head_op', read: (s) => s.headOp },
  { field: 'stack_ops', read: (s) => s.stackOps.map((o) => (o === '?' ? null : o)) },
  { field: 'stride', read: (s) => s.stride },
  { field: 'stack_factor', read: (s) => s.stackFactor },
  // The model keeps [] for fusion_strides it cannot know; its `unknown` list says so.
  { field: 'fusion_strides', read: (s) => (s.unknown.some((u) => u.startsWith('fusion_strides')) ? null : s.fusionStrides) },
  { field: 'extra_downsample_num', read: (s) => s.extraDownsampleNum },
];

export function numberDelta(oldN: number | null, newN: number | null): NumberDelta {
  return { old: oldN, new: newN, delta: oldN === null || newN === null ? null : newN - oldN };
}

function sameValue(a: FieldValue, b: FieldValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function stageDiff(o: DiffStageInput | undefined, n: DiffStageInput | undefined): StageDiff {
  if (o && n) {
    const changes: FieldChange[] = [];
    for (const f of FIELDS) {
      const a = f.read(o);
      const b = f.read(n);
      if (!sameValue(a, b)) changes.push({ field: f.field, old: a, new: b });
    }
    const params = numberDelta(o.params, n.params);
    const macs = numberDelta(o.macs, n.macs);
    const same = changes.length === 0 && params.old === params.new && macs.old === macs.new;
    return { old: o.index, new: n.index, status: same ? 'same' : 'changed', params, macs, changes };
  }
  if (n) {
    return { old: null, new: n.index, status: 'added', params: { old: null, new: n.params, delta: n.params }, macs: { old: null, new: n.macs, delta: n.macs }, changes: [] };
  }
  const s = o!;
  const neg = (x: number | null) => (x === null ? null : -x);
  return { old: s.index, new: null, status: 'removed', params: { old: s.params, new: null, delta: neg(s.params) }, macs: { old: s.macs, new: null, delta: neg(s.macs) }, changes: [] };
}

/**
 * A finding's identity across two versions of a file: its rule and its message, without where it is
 * (an edit above it moves its line, not what it says).
 */
export function findingIdentity(f: Pick<DiffFindingInput, 'code' | 'message'>): string {
  return `${f.code}\u0000${f.message.replace(/\s+/g, ' ').replace(/\bline \d+\b/g, 'line N').trim()}`;
}

function plainFinding(f: DiffFindingInput): DiffFinding {
  return { code: f.code, severity: f.severity, message: f.message, line: f.range.from.line + 1, stage: f.stage ?? null };
}

/** The findings of `a` that `b` does not have, counted as a multiset (two equal findings in `a` and one in `b`: one left). */
function findingsOnlyIn(a: readonly DiffFindingInput[], b: readonly DiffFindingInput[]): DiffFinding[] {
  const left = new Map<string, number>();
  for (const f of b) left.set(findingIdentity(f), (left.get(findingIdentity(f)) ?? 0) + 1);
  const out: DiffFinding[] = [];
  for (const f of a) {
    const id = findingIdentity(f);
    const n = left.get(id) ?? 0;
    if (n > 0) left.set(id, n - 1);
    else out.push(plainFinding(f));
  }
  return out;
}

/** Compare two analysed configs (e.g. two AnalysisSnapshots). */
export function diffAnalyses(oldSide: DiffInput, newSide: DiffInput, sources: { old?: Partial<DiffSource>; new?: Partial<DiffSource> } = {}): ConfigDiff {
  const n = Math.max(oldSide.stages.length, newSide.stages.length);
  const stages: StageDiff[] = [];
  for (let i = 0; i < n; i++) stages.push(stageDiff(oldSide.stages[i], newSide.stages[i]));
  const src = (s: Partial<DiffSource> | undefined): DiffSource => ({ file: s?.file ?? null, rev: s?.rev ?? null });
  return {
    old: { ...src(sources.old), params: oldSide.params, macs: oldSide.macs },
    new: { ...src(sources.new), params: newSide.params, macs: newSide.macs },
    params: numberDelta(oldSide.params, newSide.params),
    macs: numberDelta(oldSide.macs, newSide.macs),
    stages,
    findings: { new: findingsOnlyIn(newSide.findings, oldSide.findings), fixed: findingsOnlyIn(oldSide.findings, newSide.findings) },
  };
}

export interface DiffConfigsOptions extends AnalyzeOptions {
  old?: Partial<DiffSource>;
  new?: Partial<DiffSource>;
}

/** Analyse two config texts and compare them: the one call for anything that holds both texts. */
export function diffConfigs(oldText: string, newText: string, options: DiffConfigsOptions = {}): ConfigDiff {
  const { old: oldSource, new: newSource, ...analyzeOptions } = options;
  // The fixes are not compared: no need to rank them.
  const side = (text: string, uri: string) => toSnapshot(analyze(text, { ...analyzeOptions, rankFixes: false }), { uri, version: 0 });
  return diffAnalyses(side(oldText, oldSource?.file ?? 'old'), side(newText, newSource?.file ?? 'new'), { old: oldSource, new: newSource });
}

/** Whether the diff shows any change at all (cost, fields, stages or findings). */
export function hasChanges(d: ConfigDiff): boolean {
  return d.stages.some((s) => s.status !== 'same') || d.params.old !== d.params.new || d.macs.old !== d.macs.new || d.findings.new.length > 0 || d.findings.fixed.length > 0;
}
