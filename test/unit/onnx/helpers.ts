import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../../extension/core/analyze';
import type { Network } from '../../../extension/core/model';

/** Debian's Python, for the optional independent checks (torch, onnx). */
export const PY = '/usr/bin/python3';

/** Whether PY exists and imports every module (a check that needs them is skipped otherwise). */
export function pythonImports(...modules: string[]): boolean {
  if (!fs.existsSync(PY)) return false;
  return spawnSync(PY, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore', timeout: 60_000 }).status === 0;
}

/** The repository root (tests run from out/test/unit/onnx). */
export const ROOT = path.resolve(__dirname, '../../../..');

export function example(name: string): string {
  return fs.readFileSync(path.join(ROOT, 'examples', 'configs', name), 'utf8');
}

export function netOf(text: string): Network {
  const net = analyze(text).network;
  if (!net) throw new Error('no network');
  return net;
}

/** Write a config's text so that Python (reference.py) can execute it. */
export function writeConfig(dir: string, name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

const HEADER = `import torch
from hat.models.backbones.mixvargenet import MixVarGENetConfig
`;

/** A small classifier: 4 stages, 112x112 → 7x7, fc_filter 128, 10 classes (fast to time). */
export const SMALL_CLASSIFIER = `${HEADER}
net_config = [
    [MixVarGENetConfig(in_channels=16, out_channels=16, head_op="mixvarge_f2", stack_ops=[],
                       stack_factor=1, stride=1, fusion_strides=[], extra_downsample_num=0)],
    [MixVarGENetConfig(in_channels=16, out_channels=32, head_op="mixvarge_f4", stack_ops=["mixvarge_f4"],
                       stack_factor=1, stride=2, fusion_strides=[], extra_downsample_num=0)],
    [MixVarGENetConfig(in_channels=32, out_channels=48, head_op="mixvarge_f2", stack_ops=["mixvarge_k3k3_f2"],
                       stack_factor=1, stride=2, fusion_strides=[], extra_downsample_num=0)],
    [MixVarGENetConfig(in_channels=48, out_channels=64, head_op="mixvarge_f2_gb16", stack_ops=["mixvarge_f2_r_gb16"],
                       stack_factor=1, stride=2, fusion_strides=[], extra_downsample_num=0)],
]
model = dict(
    type="Classifier",
    backbone=dict(type="MixVarGENet", net_config=net_config, num_classes=10, bn_kwargs={}, fc_filter=128, bias=True),
)
deploy_inputs = dict(img=torch.randn((1, 3, 112, 112)))
`;

/**
 * Backbone only (include_top=False), with fusion at 128x128:
 *   stage 1 emits 2x, 4x (start = 1)  → stage 2 receives stage 1's 2x          fusion_strides=[4]
 *   stage 2 emits 2x                  → stage 3 receives stage 1's 4x, stage 2's 2x   [4, 8]
 *   stage 3 emits 2x                  → stage 4 receives stage 3's 2x but has no fusion layer:
 *                                       the map is dropped and that block has no final ReLU.
 * output_list=[2, 4]; bias=False (conv1/conv2/stem convs without bias in HAT).
 */
export const BACKBONE_FUSION = `${HEADER}
net_config = [
    [MixVarGENetConfig(in_channels=16, out_channels=16, head_op="mixvarge_f2", stack_ops=[],
                       stack_factor=1, stride=1, fusion_strides=[], extra_downsample_num=0)],
    [MixVarGENetConfig(in_channels=16, out_channels=24, head_op="mixvarge_f4", stack_ops=["mixvarge_f4"],
                       stack_factor=1, stride=2, fusion_strides=[], extra_downsample_num=2)],
    [MixVarGENetConfig(in_channels=24, out_channels=32, head_op="mixvarge_f2", stack_ops=["mixvarge_f2", "mixvarge_k3k3_f2"],
                       stack_factor=2, stride=2, fusion_strides=[4], extra_downsample_num=1)],
    [MixVarGENetConfig(in_channels=32, out_channels=48, head_op="mixvarge_f2_gb16", stack_ops=["mixvarge_f2_gb16"],
                       stack_factor=1, stride=2, fusion_strides=[4, 8], extra_downsample_num=1)],
    [MixVarGENetConfig(in_channels=48, out_channels=64, head_op="mixvarge_f2_gb16", stack_ops=["mixvarge_f2_r_gb16"],
                       stack_factor=1, stride=2, fusion_strides=[], extra_downsample_num=0)],
]
backbone = dict(type="MixVarGENet", net_config=net_config, num_classes=1, bn_kwargs={},
                include_top=False, output_list=[2, 4], bias=False)
model = dict(type="RetinaNet", backbone=backbone)
deploy_inputs = dict(img=torch.randn((1, 3, 128, 128)))
`;
