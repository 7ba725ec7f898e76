/**
 * What an op would become at a given position of the network: the block HAT's
 * BasicMixVarGEBlock builds (MIXVARGENET.md §3), its convs, shapes, params and MACs.
 * Same formulas as model.ts (a unit test checks that they agree on every block of the seed).
 */
import { makeConv, type Conv, type FusionMap, type Shape, type Stage } from '../model';
import type { OpSpec } from '../schema';

export interface BlockAt {
  op: string;
  cin: number;
  cout: number;
  mid: number;
  stride: number;
  conv1: Conv;
  conv2: Conv;
  shortcut: Conv | null;
  outShape: Shape | null;
  params: number | null;
  macs: number | null;
  /** Why PyTorch would refuse to build it (groups, widths, sizes). */
  problems: string[];
  /** What builds but differs from what the op name says (e.g. the group base not honoured). */
  notes: string[];
}

export function blockAt(op: string, spec: OpSpec, cin: number, cout: number, stride: number, inShape: Shape | null, bias: boolean): BlockAt {
  const mid = spec.factor === 1 ? cout : Math.trunc(cin * spec.factor);
  const g1 = spec.conv1_group_base ? Math.trunc(cin / spec.conv1_group_base) : 1;
  const g2 = spec.conv2_group_base ? Math.trunc(cout / spec.conv2_group_base) : 1;
  const conv1 = makeConv('conv1', 'conv1', cin, mid, 3, stride, 1, g1, bias, true, true, inShape);
  const conv2 = makeConv('conv2', 'conv2', mid, cout, spec.conv2_kernel_size, 1, spec.padding, g2, bias, true, false, conv1.outShape);
  const needShortcut = !!spec.merge_branch || !(stride === 1 && cin === cout);
  const shortcut = needShortcut ? makeConv('shortcut', 'shortcut', cin, cout, 1, stride, 0, 1, true, true, false, inShape) : null;
  const convs = [conv1, conv2, ...(shortcut ? [shortcut] : [])];
  const problems: string[] = [];
  const notes: string[] = [];
  for (const c of convs) if (c.problem) problems.push(`${c.role}: ${c.problem}`);
  if (spec.conv1_group_base && g1 > 0 && cin % spec.conv1_group_base !== 0 && !conv1.problem) {
    notes.push(`conv1: int(${cin}/${spec.conv1_group_base}) = ${g1} groups of ${cin / g1} channels, not ${spec.conv1_group_base} (the group base is not honoured)`);
  }
  const params = convs.every((c) => c.params !== null) ? convs.reduce((t, c) => t + (c.params ?? 0), 0) : null;
  const macs = convs.every((c) => c.macs !== null) ? convs.reduce((t, c) => t + (c.macs ?? 0), 0) : null;
  return { op, cin, cout, mid, stride, conv1, conv2, shortcut, outShape: conv2.problem ? null : conv2.outShape, params, macs, problems, notes };
}

/** Widths of stack block i of n under stack_factor (MixVarGEBlock). */
export function stackWidths(outChannels: number, factor: number, i: number, n: number): { cin: number; cout: number } {
  if (n <= 1) return { cin: outChannels, cout: outChannels };
  if (i === 0) return { cin: outChannels, cout: factor * outChannels };
  if (i === n - 1) return { cin: factor * outChannels, cout: outChannels };
  return { cin: factor * outChannels, cout: factor * outChannels };
}

/**
 * The maps a head placed after `stages` would receive (MixVarGENet._handle_fusion_data), or null
 * when a plain tensor arrives. Undefined when the routing cannot be followed.
 */
export function receivedAfter(stages: Pick<Stage, 'index' | 'emits' | 'extraDownsampleNum'>[]): FusionMap[] | null | undefined {
  let start: number | null = null;
  const d2: FusionMap[] = [];
  const d4: FusionMap[] = [];
  const d8: FusionMap[] = [];
  let received: FusionMap[] | null = null;
  for (const s of stages) {
    if (s.extraDownsampleNum === null) return undefined;
    const emits = s.emits;
    if (emits.length > 0) {
      if (start === null) start = s.index;
      d2.push(emits[0]);
      if (emits.length > 1) d4.push(emits[1]);
      if (emits.length > 2) d8.push(emits[2]);
      const i = s.index - start;
      const next: FusionMap[] = [];
      if (i - 2 >= 0 && i - 2 < d8.length) next.push(d8[i - 2]);
      if (i - 1 >= 0 && i - 1 < d4.length) next.push(d4[i - 1]);
      if (i >= 0 && i < d2.length) next.push(d2[i]);
      received = next;
    } else received = null;
  }
  return received;
}

/** The fusion_strides value that names a map: the output stride of the stage it was taken from. */
export function strideNaming(m: FusionMap): number {
  return m.sourceStride ?? 2 ** (m.fromStage + 1);
}
