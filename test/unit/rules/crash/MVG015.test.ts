import { strict as assert } from 'node:assert';
import { makeConfig, none, one, under } from './helpers';

const CODE = 'MVG015';
const input = (h: number) => `dict(img=torch.randn((1, 3, ${h}, ${h})))`;

describe('MVG015 head-too-small', () => {
  it('fires when a 128x128 input leaves a 4x4 map for AvgPool2d(7)', () => {
    const text = makeConfig({ deployInputs: input(128) });
    const f = one(text, CODE);
    assert.equal(under(text, f), 'torch.randn((1, 3, 128, 128))');
    assert.equal(f.stage, 4);
    assert.match(f.message, /1x3x128x128 input the last stage \(stage 4\) outputs a 4x4 map/);
    assert.match(f.message, /Given input size: \(1024x4x4\)\. Calculated output size: \(1024x-2x-2\)\. Output size is too small/);
    assert.match(f.message, /a 224x224 input gives exactly 7x7/);
    assert.equal(under(text, f.related![0]), 'MixVarGENetConfig');
  });

  it('fires for a 32x32 input and for a sixth stride-2 stage at 224', () => {
    assert.match(one(makeConfig({ deployInputs: input(32) }), CODE).message, /outputs a 1x1 map/);
    const six = makeConfig({ count: 6 });
    assert.match(one(six, CODE).message, /last stage \(stage 5\) outputs a 4x4 map/);
  });

  it('reads data_shape when there is no deploy_inputs', () => {
    const text = makeConfig({ deployInputs: null }) + 'data_shape = (3, 96, 96)\n';
    const f = one(text, CODE);
    assert.equal(under(text, f), '(3, 96, 96)');
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
