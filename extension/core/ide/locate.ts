/**
 * Where the cursor is in MixVarGENet terms: which MixVarGENetConfig call, which field, which
 * stage of the network, and the facts of that stage that completion and hover need — from the
 * analysis of the current text, falling back to the last analysis that had a network when the
 * current text is half typed.
 */
import type { Analysis } from '../analyze';
import { CONFIG_FIELD_ORDER } from '../python/configCall';
import type { ConfigValue } from '../python/values';
import type { FusionMap, Network, Shape, Stage } from '../model';
import type { OpTable } from '../schema';
import { type Frame, type Scan, scan } from './scan';

export interface IdeInput {
  /** Analysis of the current text. */
  analysis: Analysis;
  /** The last analysis of this document that had a network (for half-typed text). */
  previous?: Analysis;
  ops: OpTable;
  offset: number;
}

export function configNames(a: Analysis): Set<string> {
  const names = new Set<string>(['MixVarGENetConfig']);
  for (const n of a.ev.configNames) names.add(n);
  return names;
}

export function isConfigCall(f: Frame | null | undefined, names: Set<string>): boolean {
  if (!f || f.kind !== '(' || !f.callee) return false;
  if (names.has(f.callee)) return true;
  const last = f.callee.split('.').pop()!;
  return last === 'MixVarGENetConfig';
}

/** The field an argument of a config call sets: its keyword, or its position when no keyword precedes it. */
export function fieldOfArg(call: Frame, argIndex: number): string | undefined {
  const a = call.args[argIndex];
  if (!a) return undefined;
  if (a.kw) return a.kw;
  if (call.args.slice(0, argIndex).some((x) => x.kw)) return undefined;
  return CONFIG_FIELD_ORDER[argIndex];
}

/** Fields given in a call (keywords anywhere, positional ones by position). */
export function fieldsGiven(call: Frame): Set<string> {
  const out = new Set<string>();
  call.args.forEach((a, i) => {
    if (a.kw) out.add(a.kw);
    else if (a.first !== undefined && !call.args.slice(0, i).some((x) => x.kw)) {
      const f = CONFIG_FIELD_ORDER[i];
      if (f) out.add(f);
    }
  });
  return out;
}

export interface StageFacts {
  /** Stage index in net_config, or null when the call is not a stage of the analysed network. */
  index: number | null;
  stageCount: number;
  stage?: Stage;
  prev?: Stage;
  config?: ConfigValue;
  inChannels: number | null;
  outChannels: number | null;
  stride: number | null;
  /** The stride was not written: the canonical one (1 for stage 0, else 2) or the last known one is used. */
  strideAssumed: boolean;
  inShape: Shape | null;
  stackFactor: number;
  stackCount: number;
  bias: boolean;
  /** What the head receives after x (null: a plain tensor; undefined: unknown). */
  received: FusionMap[] | null | undefined;
  network: Network | null;
}

function stageOfCall(a: Analysis, argListStart: number): { stage?: Stage; config?: ConfigValue } {
  const config = a.extracted.configs.find((c) => c.argList.start === argListStart);
  const stage = a.network?.stages.find((s) => s.config && s.config.argList.start === argListStart);
  return { stage, config };
}

function intArg(text: string, call: Frame, field: string): number | null {
  const idx = call.args.findIndex((_, i) => fieldOfArg(call, i) === field);
  if (idx < 0) return null;
  const a = call.args[idx];
  const from = a.valueStart ?? a.start;
  const m = /^\s*(\d+)\s*$/.exec(text.slice(from, a.end));
  return m ? Number(m[1]) : null;
}

/** Facts of the stage a config call (its `(` at `call.open`) builds. */
export function stageFacts(inp: IdeInput, sc: Scan, call: Frame): StageFacts {
  const a = inp.analysis;
  const names = configNames(a);
  let { stage, config } = stageOfCall(a, call.open);
  let net = a.network;
  let prevStage: Stage | undefined;
  let index: number | null = stage ? stage.index : null;
  // Ordinal fallback into the previous analysis (positions may have moved since).
  let prevNet: Network | null = null;
  let prevAnalysisStage: Stage | undefined;
  if (inp.previous?.network) {
    const ordinal = configFramesInOrder(sc, names).indexOf(call);
    const pc = ordinal >= 0 ? inp.previous.extracted.configs[ordinal] : undefined;
    if (pc) {
      prevNet = inp.previous.network;
      prevAnalysisStage = prevNet.stages.find((s) => s.config?.argList.start === pc.argList.start);
    }
  }
  if (index === null && prevAnalysisStage) index = prevAnalysisStage.index;
  if (!net && prevNet) net = prevNet;
  if (index !== null && net) prevStage = index > 0 ? (a.network?.stages[index - 1] ?? prevNet?.stages[index - 1]) : undefined;

  const text = a.text;
  const fieldInt = (field: string): number | null => {
    const v = config?.args.get(field)?.value;
    if (v && v.k === 'int') return v.v;
    if (v) return null;
    return intArg(text, call, field);
  };
  const inChannels = fieldInt('in_channels') ?? stage?.inChannels ?? prevAnalysisStage?.inChannels ?? prevStage?.outChannels ?? null;
  const outChannels = fieldInt('out_channels') ?? stage?.outChannels ?? prevAnalysisStage?.outChannels ?? null;
  let stride = fieldInt('stride');
  let strideAssumed = false;
  if (stride === null) {
    stride = prevAnalysisStage?.stride ?? (index === 0 ? 1 : 2);
    strideAssumed = true;
  }
  const stackFactor = fieldInt('stack_factor') ?? 1;
  let stackCount = 0;
  const stackV = config?.args.get('stack_ops')?.value;
  if (stackV && (stackV.k === 'list' || stackV.k === 'tuple')) stackCount = stackV.items.length;
  else if (stage) stackCount = stage.stackOps.length;
  let inShape: Shape | null = stage?.inShape ?? null;
  if (!inShape && index !== null) {
    const p = a.network?.stages[index - 1]?.outShape ?? prevNet?.stages[index - 1]?.outShape ?? null;
    if (index === 0) inShape = a.network?.stem?.outShape ?? prevNet?.stem?.outShape ?? null;
    else inShape = p;
    if (!inShape) inShape = prevAnalysisStage?.inShape ?? null;
  }
  let received: FusionMap[] | null | undefined = undefined;
  if (stage && a.network?.routingKnown) received = stage.received;
  else if (prevAnalysisStage && prevNet?.routingKnown) received = prevAnalysisStage.received;
  return {
    index,
    stageCount: net?.stages.length ?? 0,
    stage: stage ?? prevAnalysisStage,
    prev: prevStage,
    config,
    inChannels,
    outChannels,
    stride,
    strideAssumed,
    inShape,
    stackFactor,
    stackCount,
    bias: net?.args.bias ?? false,
    received,
    network: net,
  };
}

/** Config-call frames in source order. */
export function configFramesInOrder(sc: Scan, names: Set<string>): Frame[] {
  const out: Frame[] = [];
  const visit = (f: Frame) => {
    if (isConfigCall(f, names)) out.push(f);
    f.children.forEach(visit);
  };
  sc.roots.forEach(visit);
  return out;
}

export function scanAt(inp: IdeInput): Scan {
  return scan(inp.analysis.text, inp.offset);
}

/** The analysis to take whole-network facts from: the current one if it has stages, else the previous. */
export function networkOf(inp: IdeInput): Network | null {
  const cur = inp.analysis.network;
  if (cur && cur.stages.length && !inp.analysis.extracted.netConfig?.recovered) return cur;
  return cur ?? inp.previous?.network ?? null;
}
