import { strict as assert } from 'node:assert';
import { allConvs, type Conv, type Network } from '../../../extension/core/model';
import { buildOnnx, buildOnnxModel, OnnxBuildError, onnxBlockers, structureKey } from '../../../extension/core/onnx/build';
import { readFloatInitializers, readOnnx, type OnnxModelInfo } from '../../../extension/core/onnx/read';
import { ownerOfNode } from '../../../extension/core/onnx/names';
import { BACKBONE_FUSION, example, netOf, SMALL_CLASSIFIER } from './helpers';

/** Weight elements as the core model counts them: cout · cin/groups · k · k. */
function coreWeightElements(net: Network): number {
  return allConvs(net).reduce((a, c) => a + c.cout * (c.cin / c.groups) * c.k * c.k, 0);
}

function convNodes(info: OnnxModelInfo) {
  return info.nodes.filter((n) => n.opType === 'Conv');
}

function onnxWeightElements(info: OnnxModelInfo): number {
  return convNodes(info).reduce((a, n) => a + info.initializers.get(n.inputs[1])!.reduce((x, y) => x * y, 1), 0);
}

/** The node that produces a value. */
function producer(info: OnnxModelInfo, value: string) {
  return info.nodes.find((n) => n.outputs.includes(value));
}

describe('ONNX builder', () => {
  const seed = netOf(example('mixvargenet_imagenet.py'));
  const fusion = netOf(example('mixvargenet_fusion.py'));
  const backbone = netOf(BACKBONE_FUSION);

  it('the seed classifier outputs 1x1000 logits at batch 1, and batch x 1000 with a symbolic batch', () => {
    const fixed = readOnnx(buildOnnx(seed, { batch: 1 }));
    assert.deepEqual(fixed.outputs, [{ name: 'logits', dims: [1, 1000] }]);
    assert.deepEqual(fixed.inputs, [{ name: 'input', dims: [1, 3, 224, 224] }]);
    assert.equal(fixed.opset, 13);
    assert.equal(fixed.irVersion, 8);
    const dyn = readOnnx(buildOnnx(seed));
    assert.deepEqual(dyn.outputs[0].dims, ['batch', 1000]);
    assert.deepEqual(dyn.inputs[0].dims, ['batch', 3, 224, 224]);
    // The head as HAT runs it: fc conv + Relu, AveragePool 7, cls conv, Reshape(-1, 1000).
    const tail = fixed.nodes.slice(-5).map((n) => `${n.opType}:${n.name}`);
    assert.deepEqual(tail, ['Conv:head.fc', 'Relu:head.fc.relu', 'AveragePool:head.pool', 'Conv:head.cls', 'Reshape:head.flatten']);
  });

  it('a backbone-only config (include_top=False, fusion) outputs the stages of output_list with their shapes', () => {
    assert.equal(backbone.args.includeTop, false);
    const info = readOnnx(buildOnnx(backbone, { batch: 2 }));
    // 128x128 input: stage 2 is 32x16x16, stage 4 is 64x4x4 (stride 32).
    assert.deepEqual(info.outputs, [
      { name: 'stage2.output', dims: [2, 32, 16, 16] },
      { name: 'stage4.output', dims: [2, 64, 4, 4] },
    ]);
    assert.ok(!info.nodes.some((n) => n.name.startsWith('head.')));
  });

  for (const [name, get] of [
    ['seed', () => seed],
    ['fusion example', () => fusion],
    ['backbone-only example', () => netOf(example('mixvargenet_backbone_only.py'))],
    ['inline backbone with fusion', () => backbone],
    ['small classifier', () => netOf(SMALL_CLASSIFIER)],
  ] as [string, () => Network][]) {
    it(`${name}: as many Conv nodes and conv weight elements as the core model, one node per conv id`, () => {
      const net = get();
      const m = buildOnnxModel(net);
      const info = readOnnx(m.bytes);
      const convs = allConvs(net);
      assert.equal(convNodes(info).length, convs.length);
      assert.equal(onnxWeightElements(info), coreWeightElements(net));
      assert.equal(m.weightElements, coreWeightElements(net));
      assert.deepEqual(convNodes(info).map((n) => n.name).sort(), convs.map((c) => c.id).sort());
      // Each conv's attributes are the model's (stride, groups, kernel, padding) — checked through the weight shape.
      const byId = new Map<string, Conv>(convs.map((c) => [c.id, c]));
      for (const n of convNodes(info)) {
        const c = byId.get(n.name)!;
        assert.deepEqual(info.initializers.get(n.inputs[1]), [c.cout, c.cin / c.groups, c.k, c.k], n.name);
        assert.deepEqual(info.initializers.get(n.inputs[2]), [c.cout], n.name);
      }
      // Every node name maps back to a part of the network.
      for (const n of info.nodes) assert.ok(ownerOfNode(n.name), n.name);
    });
  }

  it('the seed: 41 convs and 1,033,746,432 MACs worth of weights are all there', () => {
    // MACs check of the core is elsewhere; here: the numbers the ONNX carries equal the core's.
    const info = readOnnx(buildOnnx(seed));
    assert.equal(convNodes(info).length, 41);
    assert.equal(onnxWeightElements(info), coreWeightElements(seed));
  });

  it('routes fusion maps as HAT does: stage 4 of the fusion example adds stage 1 8x, stage 2 4x, stage 3 2x, then one ReLU', () => {
    const info = readOnnx(buildOnnx(fusion));
    const fz = [0, 1, 2].map((j) => info.nodes.find((n) => n.name === `stage4.block0.fusion${j}`)!);
    assert.deepEqual(
      fz.map((n) => n.inputs[0]),
      ['stage1.downsample2', 'stage2.downsample1', 'stage3.downsample0'],
    );
    // The adds chain onto conv2 + shortcut, and a single ReLU closes the block.
    const relu = info.nodes.find((n) => n.name === 'stage4.block0.relu')!;
    assert.equal(relu.opType, 'Relu');
    let v = relu.inputs[0];
    const chain: string[] = [];
    for (;;) {
      const p = producer(info, v)!;
      if (p.opType !== 'Add') break;
      chain.push(p.name);
      v = p.inputs[1];
    }
    assert.deepEqual(chain, ['stage4.block0.fusion2.add', 'stage4.block0.fusion1.add', 'stage4.block0.fusion0.add', 'stage4.block0.add']);
    const add = info.nodes.find((n) => n.name === 'stage4.block0.add')!;
    assert.deepEqual(add.inputs, ['stage4.block0.conv2', 'stage4.block0.shortcut']);
    // Downsample chains: 3x3 s2 convs, no activation, fed by the stage output.
    assert.equal(producer(info, 'stage1.downsample0')!.inputs[0], 'stage1.block2.relu');
    assert.equal(info.nodes.filter((n) => n.opType === 'Relu' && n.name.includes('downsample')).length, 0);
  });

  it('a head that receives a map but has no fusion layer ends without a ReLU (block.finalRelu false)', () => {
    const b = backbone.stages[4].blocks[0];
    assert.equal(b.finalRelu, false);
    const info = readOnnx(buildOnnx(backbone));
    assert.ok(!info.nodes.some((n) => n.name === 'stage4.block0.relu'));
    // The stack block consumes the bare Add.
    const next = info.nodes.find((n) => n.name === 'stage4.block1.conv1')!;
    assert.equal(producer(info, next.inputs[0])!.opType, 'Add');
    // ...while a plain head keeps its ReLU, and identity shortcuts add the block input itself.
    assert.ok(info.nodes.some((n) => n.name === 'stage3.block0.relu'));
    const idAdd = info.nodes.find((n) => n.name === 'stage3.block1.add')!;
    assert.equal(idAdd.inputs[1], 'stage3.block0.relu');
    // bias=False in the config still gives every ONNX conv a bias: the folded BatchNorm's.
    assert.ok(convNodes(info).every((n) => n.inputs.length === 3));
  });

  it('Relu count: conv1 of every block, head fc, and each block that ends with one', () => {
    for (const net of [seed, fusion, backbone]) {
      const info = readOnnx(buildOnnx(net));
      const blocks = net.stages.flatMap((s) => s.blocks);
      const expected = blocks.length + blocks.filter((b) => b.finalRelu).length + (net.args.includeTop ? 1 : 0);
      assert.equal(info.nodes.filter((n) => n.opType === 'Relu').length, expected);
    }
  });

  it('two builds of the same config give identical bytes; seed and structure change the weights', () => {
    const a = buildOnnx(netOf(example('mixvargenet_imagenet.py')), { batch: 1 });
    const b = buildOnnx(netOf(example('mixvargenet_imagenet.py')), { batch: 1 });
    assert.ok(Buffer.from(a).equals(Buffer.from(b)));
    const c = buildOnnx(seed, { batch: 1, seed: 7 });
    assert.ok(!Buffer.from(a).equals(Buffer.from(c)));
    const wa = readFloatInitializers(a).get('stem.weight')!.data;
    const wc = readFloatInitializers(c).get('stem.weight')!.data;
    assert.equal(wa.length, wc.length);
    assert.notDeepEqual(Array.from(wa.slice(0, 8)), Array.from(wc.slice(0, 8)));
    // A different structure gives a different seed.
    const other = netOf(example('mixvargenet_imagenet.py').replace('num_classes = 1000', 'num_classes = 100'));
    assert.notEqual(structureKey(other), structureKey(seed));
    assert.notEqual(buildOnnxModel(other).seed, buildOnnxModel(seed).seed);
  });

  it('weights are He-scaled and finite: no conv weight beyond sqrt(6/fan_in)', () => {
    const inits = readFloatInitializers(buildOnnx(seed));
    for (const c of allConvs(seed)) {
      const w = inits.get(`${c.id}.weight`)!.data;
      const bound = Math.sqrt(6 / ((c.cin / c.groups) * c.k * c.k));
      let max = 0;
      for (const v of w) max = Math.max(max, Math.abs(v));
      assert.ok(max <= bound && max > 0.2 * bound, `${c.id}: max |w| ${max} vs bound ${bound}`);
    }
  });

  it('refuses a network that is not exactly known or that HAT would not build, naming why', () => {
    const unknownOp = netOf(example('mixvargenet_imagenet.py').replace('head_op="mixvarge_f2",', 'head_op="mixvarge_f3",'));
    assert.throws(() => buildOnnx(unknownOp), (e: unknown) => e instanceof OnnxBuildError && /not fully known|mixvarge_f3/.test(e.message));
    // 56 channels with a gb16 op: int(56/16) = 3 groups do not divide 56.
    const groups = netOf(
      example('mixvargenet_imagenet.py')
        .replace('in_channels=64, out_channels=96', 'in_channels=64, out_channels=56')
        .replace('in_channels=96, out_channels=160', 'in_channels=56, out_channels=160'),
    );
    assert.throws(() => buildOnnx(groups), (e: unknown) => e instanceof OnnxBuildError && /divisible/.test(e.message));
    // Fusion layers with no map arriving (the previous stage emits nothing): HAT's assert.
    const noSource = netOf(example('mixvargenet_imagenet.py').replace(/fusion_strides=\[\], extra_downsample_num=0\)\],(\s+# stride 32)/, 'fusion_strides=[16], extra_downsample_num=0)],$1'));
    const reasons = onnxBlockers(noSource);
    assert.ok(reasons.some((r) => /stage4\.block0: 1 fusion layer\(s\) but 0 map\(s\) arrive/.test(r)), reasons.join('\n'));
    // The last stage emitting downsamples while include_top: the head receives a list.
    const lastEmits = netOf(example('mixvargenet_imagenet.py').replace(/extra_downsample_num=0\)\],(\s+# stride 32)/, 'extra_downsample_num=1)],$1'));
    assert.ok(onnxBlockers(lastEmits).some((r) => /head receives a list/.test(r)));
    // A valid config has no blockers.
    assert.deepEqual(onnxBlockers(seed), []);
    assert.deepEqual(onnxBlockers(fusion), []);
  });

  it('rejects a batch that is not a positive integer', () => {
    assert.throws(() => buildOnnx(seed, { batch: 0 }), OnnxBuildError);
    assert.throws(() => buildOnnx(seed, { batch: 1.5 }), OnnxBuildError);
  });
});
