/**
 * Per-layer facts of the network model, each worked out by hand from MIXVARGENET.md §3
 * (arithmetic in the comments), for the seed config and the fusion example.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../../extension/core/analyze';
import type { Conv, Network } from '../../../extension/core/model';
import { REPO } from './reference-compare';

const example = (name: string) => fs.readFileSync(path.join(REPO, 'examples/configs', name), 'utf8');

/** Replace `from` in the code, not in the comments that explain it: its last occurrence. */
function edit(text: string, from: string, to: string): string {
  const at = text.lastIndexOf(from);
  assert.ok(at >= 0, `"${from}" is not in the example`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

function network(text: string): Network {
  const net = analyze(text).network;
  assert.ok(net, 'analyze() built no network');
  return net;
}

/** The parts of a conv that are facts of the architecture. */
function shape(c: Conv | null | undefined) {
  assert.ok(c);
  return { cin: c.cin, cout: c.cout, k: c.k, stride: c.stride, pad: c.pad, groups: c.groups, bias: c.bias };
}

describe('network model: hand-derived facts', () => {
  describe('seed (mixvargenet_imagenet.py, bias=True, 1x3x224x224)', () => {
    const net = network(example('mixvargenet_imagenet.py'));

    it('stem: 3→32 3x3/s2/p1 with bias, + BN, no ReLU', () => {
      assert.deepEqual(shape(net.stem), { cin: 3, cout: 32, k: 3, stride: 2, pad: 1, groups: 1, bias: true });
      assert.equal(net.stem!.relu, false);
      // weight 32·3·3·3 = 864, bias 32 → 896; BN weight+bias 2·32 = 64 → 960
      assert.equal(net.stem!.params, 896 + 64);
      // 864 MACs per output pixel × 112·112
      assert.equal(net.stem!.macs, 864 * 112 * 112);
      assert.deepEqual(net.stem!.outShape, [32, 112, 112]);
    });

    it('stage 0 head: 32→32 f2 at stride 1 has mid 64 and an identity shortcut', () => {
      const b = net.stages[0].blocks[0];
      assert.equal(b.mid, 64); // int(32 · 2)
      assert.equal(b.shortcut, null); // stride 1 and cin == cout, op without merge_branch
      assert.equal(b.finalRelu, true);
      assert.deepEqual(shape(b.conv2), { cin: 64, cout: 32, k: 1, stride: 1, pad: 0, groups: 1, bias: true });
    });

    it('stage 1 head: 32→32 f4 at stride 2 widens to 128 and needs a 1x1/s2 conv shortcut', () => {
      const b = net.stages[1].blocks[0];
      assert.deepEqual(shape(b.conv1), { cin: 32, cout: 128, k: 3, stride: 2, pad: 1, groups: 1, bias: true });
      assert.deepEqual(shape(b.shortcut), { cin: 32, cout: 32, k: 1, stride: 2, pad: 0, groups: 1, bias: true });
      assert.deepEqual(b.outShape, [32, 56, 56]);
    });

    it('stage 3 head: conv1 64→128 groups 4, conv2 128→96, shortcut 64→96 s2', () => {
      const b = net.stages[3].blocks[0];
      assert.equal(b.op, 'mixvarge_f2_gb16');
      // mid = int(64 · 2) = 128; groups = int(64 / 16) = 4
      assert.deepEqual(shape(b.conv1), { cin: 64, cout: 128, k: 3, stride: 2, pad: 1, groups: 4, bias: true });
      assert.deepEqual(shape(b.conv2), { cin: 128, cout: 96, k: 1, stride: 1, pad: 0, groups: 1, bias: true });
      assert.deepEqual(shape(b.shortcut), { cin: 64, cout: 96, k: 1, stride: 2, pad: 0, groups: 1, bias: true });
      // conv1: 128·(64/4)·9 = 18432 + bias 128 + BN 256
      assert.equal(b.conv1.params, 18432 + 128 + 256);
      // conv2: 96·128 = 12288 + 96 + 192
      assert.equal(b.conv2.params, 12288 + 96 + 192);
      // shortcut: 96·64 = 6144 + 96 + 192
      assert.equal(b.shortcut!.params, 6144 + 96 + 192);
      assert.deepEqual(b.inShape, [64, 28, 28]);
      assert.deepEqual(b.outShape, [96, 14, 14]);
      assert.equal(b.conv1.macs, 18432 * 14 * 14);
    });

    it('stage 3 stack: six 96→96 f2_gb16 blocks with identity shortcuts', () => {
      const stack = net.stages[3].blocks.slice(1);
      assert.equal(stack.length, 6);
      for (const b of stack) {
        assert.deepEqual([b.cin, b.mid, b.cout, b.conv1.groups, b.shortcut], [96, 192, 96, 6, null]);
        // conv1 192·16·9 + 192 + 384 = 28224; conv2 96·192 + 96 + 192 = 18720
        assert.equal(b.params, 28224 + 18720);
      }
    });

    it('classifier head: 160→1024 1x1 + ReLU, AvgPool2d(7) on 7x7, 1024→1000 1x1, both with bias', () => {
      const h = net.head!;
      assert.deepEqual(shape(h.fc), { cin: 160, cout: 1024, k: 1, stride: 1, pad: 0, groups: 1, bias: true });
      assert.equal(h.fc.relu, true);
      assert.deepEqual(h.pool.inShape, [1024, 7, 7]);
      assert.deepEqual(h.pool.outShape, [1024, 1, 1]);
      assert.equal(h.rowsPerImage, 1);
      // fc 163840 + 1024 + 2048 = 166912; cls 1024000 + 1000 + 2000 = 1027000
      assert.equal(h.params, 166912 + 1027000);
      assert.equal(h.macs, 163840 * 49 + 1024000);
    });

    it('output strides 2, 4, 8, 16, 32 and no fusion anywhere', () => {
      assert.deepEqual(net.stages.map((s) => s.outputStride), [2, 4, 8, 16, 32]);
      assert.deepEqual(net.stages.map((s) => s.received), [null, null, null, null, null]);
      assert.deepEqual(net.stages.map((s) => s.emits.length), [0, 0, 0, 0, 0]);
    });

    it('bias=False (the backbone default) drops the bias of stem, conv1, conv2 and head convs only', () => {
      const text = example('mixvargenet_imagenet.py').replace(/bias=True/g, 'bias=False');
      const n2 = network(text);
      const b = n2.stages[3].blocks[0];
      assert.deepEqual([n2.stem!.bias, b.conv1.bias, b.conv2.bias, b.shortcut!.bias, n2.head!.fc.bias], [false, false, false, true, false]);
      // One bias vector per stem/conv1/conv2/head conv disappears: the stem's 32 …
      assert.equal(n2.stem!.params, 960 - 32);
      // … and in total: stem 32 + Σ blocks (mid + cout) + head 1024 + 1000.
      const blocks = net.stages.flatMap((s) => s.blocks);
      const lost = 32 + blocks.reduce((t, x) => t + x.mid + x.cout, 0) + 1024 + 1000;
      assert.equal(n2.params, 2_310_744 - lost);
      assert.equal(n2.macs, 1_033_746_432); // biases cost no multiply-accumulates
    });
  });

  describe('fusion example (mixvargenet_fusion.py)', () => {
    const net = network(example('mixvargenet_fusion.py'));
    const recv = (k: number) => net.stages[k].received?.map((m) => `${m.fromStage}:${m.scale}x`) ?? null;

    it('stage 1 emits its 2x, 4x and 8x downsamples: 32 channels at 28, 14 and 7', () => {
      const s = net.stages[1];
      assert.deepEqual(
        s.emits.map((m) => [m.scale, m.shape]),
        [
          [2, [32, 28, 28]],
          [4, [32, 14, 14]],
          [8, [32, 7, 7]],
        ],
      );
      for (const d of s.downsamples) {
        assert.deepEqual(shape(d), { cin: 32, cout: 32, k: 3, stride: 2, pad: 1, groups: 1, bias: true });
        assert.equal(d.params, 32 * 32 * 9 + 32 + 64);
      }
    });

    it('routes by position: [x, 8x[i-2], 4x[i-1], 2x[i]] with start = 1', () => {
      // Stages 0 and 1 receive a plain tensor (nothing emitted before them).
      assert.equal(recv(0), null);
      assert.equal(recv(1), null);
      // After stage 1 (i = 0): only 2x[0] exists.
      assert.deepEqual(recv(2), ['1:2x']);
      // After stage 2 (i = 1): 4x[0] (stage 1's) and 2x[1] (stage 2's).
      assert.deepEqual(recv(3), ['1:4x', '2:2x']);
      // After stage 3 (i = 2): 8x[0] (stage 1's), 4x[1] (stage 2's), 2x[2] (stage 3's).
      assert.deepEqual(recv(4), ['1:8x', '2:4x', '3:2x']);
    });

    it('fusion conv widths come from net_config[log2(s) − 1].out_channels and match the arriving maps', () => {
      const widths = (k: number) => net.stages[k].blocks[0].fusion.map((f) => [f.stride, f.namedStage, f.conv?.cin, f.conv?.cout, f.map?.channels]);
      assert.deepEqual(widths(2), [[4, 1, 32, 64, 32]]);
      assert.deepEqual(widths(3), [
        [4, 1, 32, 96, 32],
        [8, 2, 64, 96, 64],
      ]);
      assert.deepEqual(widths(4), [
        [4, 1, 32, 160, 32],
        [8, 2, 64, 160, 64],
        [16, 3, 96, 160, 96],
      ]);
      // Every fusion conv is 1x1 with bias + BN, and has no problem.
      for (const s of net.stages) for (const f of s.blocks[0]?.fusion ?? []) {
        assert.equal(f.problem, undefined);
        assert.deepEqual([f.conv!.k, f.conv!.bias, f.conv!.bn], [1, true, true]);
      }
      // 32→160: 5120 + 160 + 320; its map arrives 7x7.
      const f0 = net.stages[4].blocks[0].fusion[0].conv!;
      assert.equal(f0.params, 5120 + 160 + 320);
      assert.equal(f0.macs, 5120 * 49);
    });

    it('heads that fuse end with the fusion ReLU; a plain-tensor head with its own', () => {
      assert.deepEqual(
        net.stages.map((s) => [s.blocks[0].receivesList, s.blocks[0].finalRelu]),
        [
          [false, true],
          [false, true],
          [true, true],
          [true, true],
          [true, true],
        ],
      );
    });

    it('stack_factor=2 widens the middle of stage 3: 96→192→192→192→96', () => {
      const s = net.stages[3];
      assert.deepEqual(
        s.blocks.slice(1).map((b) => [b.cin, b.cout]),
        [
          [96, 192],
          [192, 192],
          [192, 192],
          [192, 96],
        ],
      );
      // the k3k3_f2_gb16 blocks: mid 384, conv1 groups int(192/16) = 12, conv2 3x3 with groups int(192/16) = 12
      const k3 = s.blocks[2];
      assert.deepEqual([k3.mid, k3.conv1.groups, k3.conv2.k, k3.conv2.pad, k3.conv2.groups], [384, 12, 3, 1, 12]);
      // 96→192 and 192→96 change width, so they need conv shortcuts; 192→192 does not.
      assert.deepEqual(
        s.blocks.slice(1).map((b) => b.shortcut !== null),
        [true, false, false, true],
      );
    });

    it('the _r op keeps a 1x1 conv shortcut at stride 1 with equal widths', () => {
      const last = net.stages[4].blocks[2];
      assert.equal(last.op, 'mixvarge_f2_r_gb16');
      assert.deepEqual(shape(last.shortcut), { cin: 160, cout: 160, k: 1, stride: 1, pad: 0, groups: 1, bias: true });
    });

    it('dropping stage 4’s fusion_strides: the three maps still arrive, unused, and the head loses its ReLU', () => {
      const n2 = network(edit(example('mixvargenet_fusion.py'), 'fusion_strides=[4, 8, 16]', 'fusion_strides=[]'));
      const h = n2.stages[4].blocks[0];
      assert.deepEqual(
        n2.stages[4].received?.map((m) => m.fromStage),
        [1, 2, 3],
      );
      assert.deepEqual([h.receivesList, h.fusion.length, h.finalRelu], [true, 0, false]);
      // Three fusion convs fewer: (32 + 64 + 96)·160 weights + 3·(160 + 320).
      assert.equal(net.params! - n2.params!, (32 + 64 + 96) * 160 + 3 * 480);
    });

    it('a map with no slot is dropped: start = 1, stage 3 emits, i = 2, and 2x[2] does not exist', () => {
      // Stage 1 emits one map (fused by stage 2), stage 2 emits none, stage 3 emits one.
      // After stage 3: 2x = [stage 1's, stage 3's], i = 3 − 1 = 2 → 2x[2] missing, so stage 4's
      // head receives [x] alone: a list with no maps, and its ReLU runs as usual.
      let text = example('mixvargenet_fusion.py');
      text = edit(text, 'fusion_strides=[], extra_downsample_num=3', 'fusion_strides=[], extra_downsample_num=1');
      text = edit(text, 'fusion_strides=[4], extra_downsample_num=2', 'fusion_strides=[4], extra_downsample_num=0');
      text = edit(text, 'fusion_strides=[4, 8], extra_downsample_num=1', 'fusion_strides=[], extra_downsample_num=1');
      text = edit(text, 'fusion_strides=[4, 8, 16]', 'fusion_strides=[]');
      const n2 = network(text);
      assert.deepEqual(n2.stages.map((s) => s.fusionStrides), [[], [], [4], [], []]);
      assert.deepEqual(n2.stages.map((s) => s.emits.length), [0, 1, 0, 1, 0]);
      assert.deepEqual(n2.stages[2].received?.map((m) => m.fromStage), [1]);
      assert.equal(n2.stages[3].received, null);
      assert.deepEqual(n2.stages[4].received, []);
      assert.equal(n2.stages[4].blocks[0].finalRelu, true);
    });
  });
});
