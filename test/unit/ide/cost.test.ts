import { strict as assert } from 'node:assert';
import { analyze } from '../../../extension/core/analyze';
import { blockAt, receivedAfter, stackWidths, strideNaming } from '../../../extension/core/ide/cost';
import { DEFAULT_OPS } from '../../../extension/core/schema';
import { FUSION, SEED } from './helpers';

describe('ide/cost', () => {
  it('builds every block of the seed exactly as the network model does', () => {
    const net = analyze(SEED).network!;
    let n = 0;
    for (const st of net.stages) {
      for (const b of st.blocks) {
        const got = blockAt(b.op, DEFAULT_OPS.get(b.op)!, b.cin, b.cout, b.stride, b.inShape, net.args.bias);
        assert.equal(got.mid, b.mid, b.id);
        assert.equal(got.params, b.params, `${b.id} params`);
        assert.equal(got.macs, b.macs, `${b.id} macs`);
        assert.deepEqual(got.outShape, b.outShape, `${b.id} shape`);
        assert.equal(!!got.shortcut, !!b.shortcut, `${b.id} shortcut`);
        n++;
      }
    }
    assert.equal(n, 17);
  });

  it('reports group counts PyTorch refuses, and group bases that are not honoured', () => {
    // k3k3_gb16 at 64→96: conv2 groups int(96/16)=6 do not divide mid=128.
    const crash = blockAt('mixvarge_k3k3_f2_gb16', DEFAULT_OPS.get('mixvarge_k3k3_f2_gb16')!, 64, 96, 2, [64, 28, 28], false);
    assert.equal(crash.params, null);
    assert.match(crash.problems.join(), /not divisible by groups 6/);
    // f2_gb16 at 40 channels: int(40/16)=2 groups of 20 — builds, but not groups of 16.
    const silent = blockAt('mixvarge_f2_gb16', DEFAULT_OPS.get('mixvarge_f2_gb16')!, 40, 40, 1, [40, 14, 14], false);
    assert.equal(silent.problems.length, 0);
    assert.match(silent.notes.join(), /2 groups of 20 channels/);
    const fine = blockAt('mixvarge_f2_gb16', DEFAULT_OPS.get('mixvarge_f2_gb16')!, 64, 64, 1, [64, 14, 14], false);
    assert.deepEqual([fine.problems, fine.notes], [[], []]);
  });

  it('widens the middle of the stack with stack_factor', () => {
    assert.deepEqual(stackWidths(64, 2, 0, 3), { cin: 64, cout: 128 });
    assert.deepEqual(stackWidths(64, 2, 1, 3), { cin: 128, cout: 128 });
    assert.deepEqual(stackWidths(64, 2, 2, 3), { cin: 128, cout: 64 });
    assert.deepEqual(stackWidths(64, 2, 0, 1), { cin: 64, cout: 64 }, 'ignored with fewer than two stack ops');
  });

  it('routes fusion maps to a following head as the model does', () => {
    const net = analyze(FUSION).network!;
    assert.ok(net.routingKnown);
    for (let k = 1; k < net.stages.length; k++) {
      assert.deepEqual(receivedAfter(net.stages.slice(0, k)), net.stages[k].received, `stage ${k}`);
    }
    // Stage 3 receives stage 1's 4x map and stage 2's 2x map: strides 4 and 8, in that order.
    assert.deepEqual(net.stages[3].received!.map(strideNaming), [4, 8]);
    assert.deepEqual(net.stages[2].received!.map(strideNaming), [4]);
    assert.equal(receivedAfter(net.stages), null, 'the last stage emits nothing: a plain tensor');
  });
});
