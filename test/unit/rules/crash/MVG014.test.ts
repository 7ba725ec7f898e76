import { strict as assert } from 'node:assert';
import { applyFix, makeConfig, none, one, preferredFix, under } from './helpers';

const CODE = 'MVG014';

describe('MVG014 backbone-args', () => {
  it('fires on a missing num_classes and bn_kwargs and adds them from the module-level names', () => {
    const text = makeConfig({ backbone: { num_classes: null, bn_kwargs: null } });
    const f = one(text, CODE);
    assert.equal(under(text, f), 'type="MixVarGENet"');
    assert.match(f.message, /^The MixVarGENet backbone is missing num_classes and bn_kwargs\. .*missing 2 required positional arguments: 'num_classes' and 'bn_kwargs'/);
    assert.match(f.message, /required even without the classifier head/);
    const fixed = applyFix(text, preferredFix(f));
    assert.ok(fixed.includes('        bias=True, num_classes=num_classes, bn_kwargs=bn_kwargs\n    ),'), fixed);
    none(fixed, CODE);
  });

  it('adds literal values when the file defines no such names, into a {...} dict too', () => {
    const text = makeConfig({ backbone: { num_classes: null } }).replace('num_classes = 1000\n', '');
    assert.match(applyFix(text, preferredFix(one(text, CODE))), /bias=True, num_classes=1000\n/);
    const literal = [
      'from hat.models.backbones.mixvargenet import MixVarGENetConfig',
      'net_config = [[MixVarGENetConfig(in_channels=32, out_channels=32, head_op="mixvarge_f2", stack_ops=[], stride=1)]]',
      'model = dict(type="Classifier", backbone={"type": "MixVarGENet", "net_config": net_config, "num_classes": 10})',
      '',
    ].join('\n');
    const g = one(literal, CODE);
    assert.equal(under(literal, g), '"type": "MixVarGENet"');
    assert.ok(applyFix(literal, preferredFix(g)).includes('"num_classes": 10, "bn_kwargs": {}})'));
  });

  it('fires on a misspelt argument and renames it; the missing argument it stands for is not reported twice', () => {
    const text = makeConfig({ backbone: { num_classes: null, num_class: 'num_classes' } });
    const f = one(text, CODE);
    assert.equal(under(text, f), 'num_class');
    assert.match(f.message, /^Unknown backbone argument "num_class": did you mean num_classes\? MixVarGENet has no such argument: .*unexpected keyword argument 'num_class'/);
    const fixed = applyFix(text, preferredFix(f));
    assert.ok(fixed.includes('        num_classes=num_classes,\n'));
    none(fixed, CODE);
  });

  it('fires on an argument MixVarGENet does not have, without a fix when nothing is near', () => {
    const text = makeConfig({ backbone: { pretrained: '"x.pth"' } });
    const f = one(text, CODE);
    assert.equal(under(text, f), 'pretrained');
    assert.equal(f.fixes, undefined);
  });

  it('checks every MixVarGENet backbone (e.g. the deploy model too)', () => {
    const text = makeConfig() + 'deploy_model = dict(type="Classifier", backbone=dict(type="MixVarGENet", net_config=net_config, num_classes=num_classes))\n';
    const f = one(text, CODE);
    assert.match(f.message, /missing bn_kwargs/);
    assert.ok(f.range.start > text.indexOf('deploy_model'));
  });

  it('does not fire on the seed, on all known arguments, or on missing arguments of a dict completed by **', () => {
    none(makeConfig(), CODE);
    none(makeConfig({ backbone: { include_top: 'False', output_list: '[1, 2]', fc_filter: '512', flat_output: 'True', input_channels: '3', input_sequence_length: '1', input_resize_scale: 'None', disable_quanti_input: 'False' } }), CODE);
    const opaque = makeConfig({ preamble: 'from x import common', backbone: { num_classes: null, bn_kwargs: null } }).replace('        bias=True,', '        bias=True,\n        **common,');
    none(opaque, CODE);
  });
});
