/**
 * Compare the extension's network model with what test/fixtures/torch/reference.py measured in
 * real PyTorch (the JSON it prints). Every difference is collected, so one failing run shows them all.
 */
import * as path from 'node:path';
import type { Network } from '../../../extension/core/model';

/** Repository root, from out/test/unit/model/ (compiled) or test/unit/model/ (source). */
export const REPO = path.resolve(__dirname, __dirname.includes(`${path.sep}out${path.sep}`) ? '../../../..' : '../../..');

export interface RefStage {
  index: number;
  module: string;
  params: number;
  macs: number;
  output_shape: number[];
  received: { stage: number; scale: number }[] | null;
  head_final_relu: boolean;
  fusion_convs: [number, number][];
  downsamples: number;
}

export interface RefResult {
  config: string;
  error?: string;
  input: number[];
  params: number;
  macs: number;
  stem: { params: number; macs: number; output_shape: number[] };
  stages: RefStage[];
  head: { params: number; macs: number } | null;
  output_shape: number[] | null;
  outputs: { stage: number; shape: number[] }[] | null;
}

/** The shape the backbone returns with the top, as the model predicts it. */
export function predictedOutputShape(net: Network): number[] | null {
  const h = net.head;
  if (!h || !h.pool.outShape || net.args.numClasses === null) return null;
  const n = net.input[0];
  const [, ph, pw] = h.pool.outShape;
  return net.args.flatOutput ? [n * ph * pw, net.args.numClasses] : [n, net.args.numClasses, ph, pw];
}

/** Every place where the model and the PyTorch reference disagree, as readable lines. */
export function differences(net: Network | null, ref: RefResult): string[] {
  const out: string[] = [];
  if (ref.error) return [`the reference failed: ${ref.error}`];
  if (!net) return ['analyze() built no network'];
  const eq = (what: string, got: unknown, want: unknown) => {
    if (JSON.stringify(got) !== JSON.stringify(want)) out.push(`${what}: model ${JSON.stringify(got)}, torch ${JSON.stringify(want)}`);
  };
  eq('input', net.input, ref.input);
  eq('exact', net.exact, true);
  eq('params', net.params, ref.params);
  eq('macs', net.macs, ref.macs);
  eq('stem.params', net.stem?.params ?? null, ref.stem.params);
  eq('stem.macs', net.stem?.macs ?? null, ref.stem.macs);
  eq('stem.outShape', net.stem?.outShape ?? null, ref.stem.output_shape);
  eq('stage count', net.stages.length, ref.stages.length);
  for (const rs of ref.stages) {
    const s = net.stages[rs.index];
    const p = `stage ${rs.index} (${rs.module})`;
    if (!s) {
      out.push(`${p}: missing in the model`);
      continue;
    }
    eq(`${p} params`, s.params, rs.params);
    eq(`${p} macs`, s.macs, rs.macs);
    eq(`${p} outShape`, s.outShape, rs.output_shape);
    eq(`${p} received`, s.received?.map((m) => ({ stage: m.fromStage, scale: m.scale })) ?? null, rs.received);
    const head = s.blocks[0];
    eq(`${p} head finalRelu`, head?.finalRelu ?? null, rs.head_final_relu);
    eq(`${p} fusion convs`, head?.fusion.map((f) => (f.conv ? [f.conv.cin, f.conv.cout] : null)) ?? [], rs.fusion_convs);
    eq(`${p} downsamples`, s.downsamples.length, rs.downsamples);
  }
  if (ref.head) {
    eq('head.params', net.head?.params ?? null, ref.head.params);
    eq('head.macs', net.head?.macs ?? null, ref.head.macs);
    eq('output shape', predictedOutputShape(net), ref.output_shape);
  } else {
    eq('head', net.head, null);
    eq(
      'returned stage outputs',
      net.outputs.map((i) => ({ stage: i, shape: net.stages[i].outShape })),
      ref.outputs,
    );
  }
  return out;
}
