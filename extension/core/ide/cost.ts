/**
 * What an op would become at a given position of the network: the block HAT's
 * BasicMixVarGEBlock builds (MIXVARGENET.md §3), its convs, shapes, params and MACs.
 * Same formulas as model.ts (a unit test checks that they agree on every block of the seed).
 */
import { blockConvs, pushEmits, stackWidths, type Block, type EmittedMaps, type FusionMap, type Shape, type Stage } from '../model';
import type { OpSpec } from '../schema';

/** A model Block without its place in the network (id, position, op source, fusion, input), with what is wrong with it. */
export interface BlockAt extends Omit<Block, 'id' | 'index' | 'role' | 'opSpec' | 'opRange' | 'fusion' | 'receivesList' | 'finalRelu' | 'inShape'> {
  /** Why PyTorch would refuse to build it (groups, widths, sizes). */
  problems: string[];
  /** What builds but differs from what the op name says (e.g. the group base not honoured). */
  notes: string[];
}

export function blockAt(op: string, spec: OpSpec, cin: number, cout: number, stride: number, inShape: Shape | null, bias: boolean): BlockAt {
  const { mid, g1, conv1, conv2, shortcut } = blockConvs('', spec, cin, cout, stride, inShape, bias);
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

export { stackWidths };

/**
 * The maps a head placed after `stages` would receive (MixVarGENet._handle_fusion_data), or null
 * when a plain tensor arrives. Undefined when the routing cannot be followed.
 */
export function receivedAfter(stages: Pick<Stage, 'index' | 'emits' | 'extraDownsampleNum'>[]): FusionMap[] | null | undefined {
  const maps: EmittedMaps = { start: null, d2: [], d4: [], d8: [] };
  let received: FusionMap[] | null = null;
  for (const s of stages) {
    if (s.extraDownsampleNum === null) return undefined;
    received = pushEmits(maps, s.index, s.emits);
  }
  return received;
}

/** The fusion_strides value that names a map: the output stride of the stage it was taken from. */
export function strideNaming(m: FusionMap): number {
  return m.sourceStride ?? 2 ** (m.fromStage + 1);
}
