import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, type Analysis } from '../../../extension/core/analyze';
import { DEFAULT_OPS, type OpTable } from '../../../extension/core/schema';
import type { IdeInput } from '../../../extension/core/ide/locate';

export const ROOT = join(__dirname, '..', '..', '..', '..');
export const SEED = readFileSync(join(ROOT, 'examples', 'configs', 'mixvargenet_imagenet.py'), 'utf8');

/** Offset of `marker` in text (the nth occurrence), plus delta; `|` in the marker marks the cursor. */
export function at(text: string, marker: string, nth = 0): number {
  const bar = marker.indexOf('|');
  const plain = marker.replace('|', '');
  let from = -1;
  for (let k = 0; k <= nth; k++) {
    from = text.indexOf(plain, from + 1);
    if (from < 0) throw new Error(`marker not found: ${marker}`);
  }
  return from + (bar >= 0 ? bar : 0);
}

export function replaceOnce(text: string, a: string, b: string): string {
  const i = text.indexOf(a);
  if (i < 0) throw new Error(`not found: ${a}`);
  return text.slice(0, i) + b + text.slice(i + a.length);
}

export function input(text: string, offset: number, opts: { previous?: Analysis; ops?: OpTable; target?: 'J5' | 'any' } = {}): IdeInput {
  return { analysis: analyze(text, { ops: opts.ops, target: opts.target }), previous: opts.previous, ops: opts.ops ?? DEFAULT_OPS, offset };
}

/** A config whose stage 1 emits two downsamples and stage 2 one, fused by stages 2 and 3. */
export const FUSION = `from hat.models.backbones.mixvargenet import MixVarGENetConfig
net_config = [
    [MixVarGENetConfig(in_channels=32, out_channels=32, head_op="mixvarge_f2", stack_ops=[], stack_factor=1, stride=1, fusion_strides=[], extra_downsample_num=0)],
    [MixVarGENetConfig(in_channels=32, out_channels=32, head_op="mixvarge_f4", stack_ops=["mixvarge_f4"], stack_factor=1, stride=2, fusion_strides=[], extra_downsample_num=2)],
    [MixVarGENetConfig(in_channels=32, out_channels=64, head_op="mixvarge_f4", stack_ops=["mixvarge_f4"], stack_factor=1, stride=2, fusion_strides=[4], extra_downsample_num=1)],
    [MixVarGENetConfig(in_channels=64, out_channels=96, head_op="mixvarge_f2_gb16", stack_ops=["mixvarge_f2_gb16"], stack_factor=1, stride=2, fusion_strides=[4, 8], extra_downsample_num=0)],
    [MixVarGENetConfig(in_channels=96, out_channels=160, head_op="mixvarge_f2_gb16", stack_ops=[], stack_factor=1, stride=2, fusion_strides=[], extra_downsample_num=0)],
]
model = dict(type="Classifier", backbone=dict(type="MixVarGENet", net_config=net_config, num_classes=1000, bn_kwargs={}, bias=True))
`;
