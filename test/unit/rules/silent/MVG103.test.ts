import { strict as assert } from 'node:assert';
import { RULE_BY_CODE } from '../../../../extension/core/rules/index';
import { at, config, only, run } from './helpers';

const CODE = 'MVG103';

describe('MVG103 head-map-not-7x7', () => {
  it('is registered as a silent warning', () => {
    const r = RULE_BY_CODE.get(CODE);
    assert.equal(r?.name, 'head-map-not-7x7');
    assert.equal(r?.severity, 'warning');
    assert.equal(r?.category, 'silent');
  });

  it('fires at deploy_inputs\' H and W for 256x256: 8x8 map, 2x2 after the pool, 4 rows per image', () => {
    const text = config({ input: [256, 256] });
    const a = run(text);
    const fs = a.findings.filter((f) => f.code === CODE);
    assert.equal(fs.length, 1);
    const f = fs[0];
    assert.equal(f.severity, 'warning');
    assert.equal(at(text, f.range), '256, 256');
    assert.ok(text.slice(0, f.range.start).endsWith('torch.randn((1, 3, '));
    assert.match(f.message, /256x256 input/);
    assert.match(f.message, /last stage outputs 8x8/);
    assert.match(f.message, /leaves 2x2/);
    assert.match(f.message, /view\(-1, 1000\) makes 4 rows per image/);
    assert.equal(a.network?.head?.rowsPerImage, 4);
  });

  it('counts rows for non-square inputs (224x320 → 7x10 → 1x4)', () => {
    const [f] = only(config({ input: [224, 320] }), CODE);
    assert.match(f.message, /224x320 input/);
    assert.match(f.message, /7x10/);
    assert.match(f.message, /4 rows per image/);
  });

  it('reads data_shape and puts the range on its H and W', () => {
    const text = config({ input: null, prelude: 'data_shape = (3, 288, 288)' });
    const [f] = only(text, CODE);
    assert.equal(at(text, f.range), '288, 288');
    assert.match(f.message, /^The classifier head gets 9x9, not 7x7 \(288x288 input\)\. With include_top the last stage outputs 9x9, AvgPool2d\(7, stride=1\) leaves 3x3.*9 rows per image/);
  });

  it('without an input, falls back to the backbone dict (a 4-stage net at the assumed 224x224)', () => {
    const text = config({ input: null, layout: undefined, stages: {}, prelude: '' }).replace(/\n {4}\[MixVarGENetConfig\(in_channels=96.*\n/, '\n');
    const a = run(text);
    assert.equal(a.network?.stages.length, 4);
    const [f] = a.findings.filter((x) => x.code === CODE);
    assert.ok(f);
    assert.equal(at(text, f.range), '"MixVarGENet"');
    assert.match(f.message, /^The classifier head gets 14x14, not 7x7 \(224x224 input, assumed: no deploy_inputs found\)\..*leaves 8x8.*64 rows per image/);
  });

  it('says what the output is without flat_output', () => {
    const [f] = only(config({ input: [256, 256], backbone: { flat_output: 'False' } }), CODE);
    assert.match(f.message, /the output is 2x2 per class instead of one logit/);
  });

  it('does not fire at 224x224, without the top, for smaller maps (a crash), or when include_top is unknown', () => {
    assert.equal(only(config(), CODE).length, 0);
    assert.equal(only(config({ input: [256, 256], backbone: { include_top: 'False' } }), CODE).length, 0);
    assert.equal(only(config({ input: [192, 192] }), CODE).length, 0, '6x6: the pool crashes, another rule');
    assert.equal(only(config({ input: [256, 256], prelude: 'from x import TOP', backbone: { include_top: 'TOP' } }), CODE).length, 0);
    assert.equal(only(config({ prelude: 'from x import S', input: null }).replace('net_config = [', 'deploy_inputs = dict(img=torch.randn((1, 3, S, S)))\nnet_config = ['), CODE).length, 0);
  });
});
