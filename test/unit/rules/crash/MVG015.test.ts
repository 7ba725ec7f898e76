import { strict as assert } from 'node:assert';
import { applyFix, makeConfig, none, one, preferredFix, under } from './helpers';

const CODE = 'MVG015';
const input = (h: number) => `dict(img=torch.randn((1, 3, ${h}, ${h})))`;

describe('MVG015 head-too-small', () => {
  it('fires when a 128x128 input leaves a 4x4 map for AvgPool2d(7)', () => {
    const text = makeConfig({ deployInputs: input(128) });
    const f = one(text, CODE);
    assert.equal(under(text, f), 'torch.randn((1, 3, 128, 128))');
    assert.equal(f.stage, 4);
    assert.match(f.message, /^The classifier head needs 7x7, stage 4 outputs 4x4 \(128x128 input\)\. The head's AvgPool2d\(7\) cannot pool the 1x3x128x128 input's 4x4 map/);
    assert.match(f.message, /Given input size: \(1024x4x4\)\. Calculated output size: \(1024x-2x-2\)\. Output size is too small/);
    assert.match(f.message, /a 224x224 input gives exactly 7x7/);
    assert.equal(under(text, f.related![0]), 'MixVarGENetConfig');
    // Five stride-2 steps (stem and stages 1–4): output stride 32, so 7 × 32 = 224.
    assert.deepEqual(f.fixes!.map((x) => x.title), ['Set the input to 224x224 (a 7x7 map at the head)']);
    assert.equal(applyFix(text, preferredFix(f)), makeConfig());
  });

  it('offers no input size fix when H and W are not written as numbers', () => {
    const f = one(makeConfig({ preamble: 'S = 128', deployInputs: 'dict(img=torch.randn((1, 3, S, S)))' }), CODE);
    assert.equal(f.fixes, undefined);
  });

  it('fires for a 32x32 input and for a sixth stride-2 stage at 224', () => {
    assert.match(one(makeConfig({ deployInputs: input(32) }), CODE).message, /^The classifier head needs 7x7, stage 4 outputs 1x1 \(32x32 input\)\./);
    const six = makeConfig({ count: 6 });
    const f6 = one(six, CODE);
    assert.match(f6.message, /^The classifier head needs 7x7, stage 5 outputs 4x4 \(224x224 input\)\..*At output stride 64, a 448x448 input gives exactly 7x7\./);
    none(applyFix(six, preferredFix(f6)), CODE);
  });

  it('reads data_shape when there is no deploy_inputs', () => {
    const text = makeConfig({ deployInputs: null }) + 'data_shape = (3, 96, 96)\n';
    const f = one(text, CODE);
    assert.equal(under(text, f), '(3, 96, 96)');
    assert.ok(applyFix(text, preferredFix(f)).endsWith('data_shape = (3, 224, 224)\n'));
  });

  it('does not fire at 224 or larger, without the top, without a known input, or when include_top is unknown', () => {
    none(makeConfig(), CODE);
    none(makeConfig({ deployInputs: input(256) }), CODE); // 8x8: the silent rules' business
    none(makeConfig({ deployInputs: input(128), backbone: { include_top: 'False' } }), CODE);
    none(makeConfig({ deployInputs: null, count: 6 }), CODE);
    none(makeConfig({ preamble: 'from x import top', deployInputs: input(128), backbone: { include_top: 'top' } }), CODE);
    none(makeConfig({ preamble: 'from x import size', deployInputs: 'dict(img=torch.randn((1, 3, size, size)))' }), CODE);
  });
});
