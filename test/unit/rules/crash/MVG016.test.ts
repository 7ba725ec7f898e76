import { strict as assert } from 'node:assert';
import { applyFix, makeConfig, none, one, preferredFix, under } from './helpers';

const CODE = 'MVG016';

describe('MVG016 input-channels', () => {
  it('fires on a 1-channel deploy input with the default input_channels=3', () => {
    const text = makeConfig({ deployInputs: 'dict(img=torch.randn((1, 1, 224, 224)))' });
    const f = one(text, CODE);
    assert.equal(under(text, f), '1');
    assert.equal(text.slice(f.range.start - 5, f.range.end + 1), '((1, 1,');
    assert.match(f.message, /deploy_inputs has 1 channel \(shape \(1, 1, 224, 224\)\), but the stem conv is built for input_channels=3/);
    assert.match(f.message, /weight of size \[32, 3, 3, 3\].*to have 3 channels, but got 1 channels instead/);
    assert.equal(under(text, f.related![0]), 'type="MixVarGENet"');
    assert.equal(applyFix(text, preferredFix(f)), makeConfig());
    const other = f.fixes!.find((x) => !x.preferred)!;
    const fixed = applyFix(text, other);
    assert.ok(fixed.includes('        bias=True, input_channels=1\n'));
    none(fixed, CODE);
  });

  it('fires when input_channels is set and differs, and replaces it', () => {
    const text = makeConfig({ backbone: { input_channels: '1' } });
    const f = one(text, CODE);
    assert.equal(under(text, f), '3');
    assert.equal(under(text, f.related![0]), 'input_channels=1');
    const fixed = applyFix(text, f.fixes!.find((x) => !x.preferred)!);
    assert.ok(fixed.includes('input_channels=3,'));
  });

  it('checks the frames of a sequence input against input_channels × input_sequence_length', () => {
    const text = makeConfig({ backbone: { input_sequence_length: '2' }, deployInputs: 'dict(img=[torch.randn((1, 3, 224, 224)), torch.randn((1, 1, 224, 224))])' });
    const f = one(text, CODE);
    assert.equal(under(text, f), '1');
    assert.match(f.message, /4 channels over 2 frames.*3 × 2 = 6/);
    none(makeConfig({ backbone: { input_sequence_length: '2' }, deployInputs: 'dict(img=[torch.randn((1, 3, 224, 224)), torch.randn((1, 3, 224, 224))])' }), CODE);
  });

  it('does not fire on matching channels, unknown arguments or unknown shapes', () => {
    none(makeConfig(), CODE);
    none(makeConfig({ backbone: { input_channels: '1' }, deployInputs: 'dict(img=torch.randn((1, 1, 224, 224)))' }), CODE);
    none(makeConfig({ preamble: 'from x import c', backbone: { input_channels: 'c' }, deployInputs: 'dict(img=torch.randn((1, 1, 224, 224)))' }), CODE);
    none(makeConfig({ preamble: 'from x import c', deployInputs: 'dict(img=torch.randn((1, c, 224, 224)))' }), CODE);
    const opaque = makeConfig({ preamble: 'from x import common', deployInputs: 'dict(img=torch.randn((1, 1, 224, 224)))' }).replace('        bias=True,', '        bias=True,\n        **common,');
    none(opaque, CODE);
  });
});
