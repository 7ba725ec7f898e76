import { strict as assert } from 'node:assert';
import { ownerOfNode } from '../../../extension/core/onnx/names';
import { attribute, dropFirstRun, nodeTimesFromProfile, type ProfileEvent } from '../../../extension/ort/profile';
import { cpuPeak } from '../../../extension/ort/bench';
import { quantile } from '../../../extension/ort/measure';

describe('ORT profile → stages', () => {
  it('reads the owner of our node names, and of the names ORT gives fused or re-laid-out nodes', () => {
    assert.deepEqual(ownerOfNode('stem'), { part: 'stem' });
    assert.deepEqual(ownerOfNode('stage2.block0.conv1'), { part: 'stage', stage: 2, block: 0 });
    assert.deepEqual(ownerOfNode('stage12.block3.fusion1.add'), { part: 'stage', stage: 12, block: 3 });
    assert.deepEqual(ownerOfNode('stage1.block0.conv1.relu_nchwc'), { part: 'stage', stage: 1, block: 0 });
    assert.deepEqual(ownerOfNode('fused stage3.block1.conv2'), { part: 'stage', stage: 3, block: 1 });
    assert.deepEqual(ownerOfNode('stage1.downsample2'), { part: 'stage', stage: 1 });
    assert.deepEqual(ownerOfNode('head.fc.relu_nchwc'), { part: 'head' });
    assert.equal(ownerOfNode('ReorderOutput'), null);
    assert.equal(ownerOfNode('ReorderInput_3'), null);
    assert.equal(ownerOfNode('substage1'), null);
    assert.equal(ownerOfNode('headroom'), null);
  });

  it('sums kernel times per node from the trace and drops the first (allocating) run', () => {
    const ev: ProfileEvent[] = [
      { cat: 'Session', name: 'session_initialization', ts: 0, dur: 50 },
      { cat: 'Session', name: 'model_run', ts: 100, dur: 100 },
      { cat: 'Node', name: 'stem_fence_before', ts: 101, dur: 0 },
      { cat: 'Node', name: 'stem_kernel_time', ts: 101, dur: 90, args: { op_name: 'Conv' } },
      { cat: 'Session', name: 'model_run', ts: 300, dur: 30 },
      { cat: 'Node', name: 'stem_kernel_time', ts: 301, dur: 10, args: { op_name: 'Conv' } },
      { cat: 'Node', name: 'stage0.block0.conv1.relu_nchwc_kernel_time', ts: 312, dur: 15, args: { op_name: 'Conv' } },
      { cat: 'Session', name: 'model_run', ts: 400, dur: 30 },
      { cat: 'Node', name: 'stem_kernel_time', ts: 401, dur: 12, args: { op_name: 'Conv' } },
      { cat: 'Node', name: 'stage0.block0.conv1.relu_nchwc_kernel_time', ts: 414, dur: 13, args: { op_name: 'Conv' } },
    ];
    assert.deepEqual(nodeTimesFromProfile(dropFirstRun(ev)), [
      { name: 'stem', op: 'Conv', us: 22, calls: 2 },
      { name: 'stage0.block0.conv1.relu_nchwc', op: 'Conv', us: 28, calls: 2 },
    ]);
    assert.equal(nodeTimesFromProfile(ev)[0].us, 112);
  });

  it('charges unnamed nodes to the part before them (or after, at the start); shares add up to 1', () => {
    const nodes = [
      { name: 'ReorderInput', op: 'ReorderInput', us: 10, calls: 2 },
      { name: 'stem_nchwc', op: 'Conv', us: 30, calls: 2 },
      { name: 'stage0.block0.conv1.relu_nchwc', op: 'Conv', us: 100, calls: 2 },
      { name: 'stage0.block0.conv2_nchwc', op: 'Conv', us: 60, calls: 2 },
      { name: 'stage0.downsample0_nchwc', op: 'Conv', us: 20, calls: 2 },
      { name: 'stage1.block0.conv1', op: 'Conv', us: 40, calls: 2 },
      { name: 'head.cls_nchwc', op: 'Conv', us: 30, calls: 2 },
      { name: 'ReorderOutput', op: 'ReorderOutput', us: 10, calls: 2 },
    ];
    const a = attribute(nodes, 2, 2, true);
    assert.equal(a.stem.share, 40 / 300);
    assert.equal(a.stages[0].share, 180 / 300);
    assert.equal(a.stages[0].downsampleShare, 20 / 300);
    assert.deepEqual(a.stages[0].blocks, [{ index: 0, share: 160 / 300, kernelMs: 0.08 }]);
    assert.equal(a.stages[1].share, 40 / 300);
    assert.equal(a.head!.share, 40 / 300);
    assert.equal(a.totalKernelMs, 0.15);
    assert.deepEqual(a.unnamed, ['ReorderInput', 'ReorderOutput']);
    const total = a.stem.share + a.stages.reduce((x, s) => x + s.share, 0) + a.head!.share;
    assert.ok(Math.abs(total - 1) < 1e-12);
    // Without a head, nothing is charged to it.
    assert.equal(attribute(nodes.slice(0, 6), 2, 1, false).head, null);
  });

  it('quantiles interpolate between sorted samples', () => {
    assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
    assert.equal(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9), 9.1);
    assert.equal(quantile([5], 0.9), 5);
  });
});

describe('fp32 peak estimate', () => {
  const info = (vendor: string, family: number, flags: string, mhz: number, bogo: number, n = 2) =>
    Array.from({ length: n }, (_, i) => `processor\t: ${i}\nvendor_id\t: ${vendor}\ncpu family\t: ${family}\nmodel name\t: X\ncpu MHz\t\t: ${mhz}\nflags\t\t: ${flags}\nbogomips\t: ${bogo}\n`).join('\n');

  it('Zen 5 with AVX-512: 2 × 16 lanes per cycle per core at the TSC clock', () => {
    const p = cpuPeak(info('AuthenticAMD', 26, 'sse sse2 avx fma avx2 avx512f', 2095.993, 4191.98), null);
    assert.equal(p.simd, 'avx512');
    assert.equal(p.macsPerCycle, 32);
    assert.equal(p.cores, 2);
    assert.ok(Math.abs(p.ghz - 2.09599) < 1e-3);
    assert.ok(Math.abs(p.perCoreGmacPerSec - 32 * 2.09599) < 0.05);
  });

  it('Zen 4 AVX-512 counts 16 lanes per cycle; AVX2 + FMA Intel counts 2 × 8; a sysfs max clock wins', () => {
    assert.equal(cpuPeak(info('AuthenticAMD', 25, 'avx fma avx2 avx512f', 3000, 6000), null).macsPerCycle, 16);
    const intel = cpuPeak(info('GenuineIntel', 6, 'sse avx fma avx2', 2000, 4000, 4), 3_500_000);
    assert.equal(intel.macsPerCycle, 16);
    assert.equal(intel.ghz, 3.5);
    assert.equal(intel.cores, 4);
    assert.equal(cpuPeak(info('GenuineIntel', 6, 'sse sse2', 2000, 4000), null).macsPerCycle, 4);
  });
});
