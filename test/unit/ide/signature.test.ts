import { strict as assert } from 'node:assert';
import { configSignatureLabel, signatureHelp } from '../../../extension/core/ide/signature';
import { FIELDS } from '../../../extension/core/schema';
import { SEED, at, input } from './helpers';

describe('ide/signature', () => {
  it('labels every field with its type and default', () => {
    const { label, params } = configSignatureLabel();
    assert.equal(params.length, FIELDS.length);
    params.forEach(([s, e], i) => assert.ok(label.slice(s, e).startsWith(`${FIELDS[i].name}: `)));
    assert.match(label, /stack_factor: int = 1, fusion_strides: list\[int\] = \(\), extra_downsample_num: int = 0\)$/);
  });

  it('makes the keyword argument at the cursor active', () => {
    const s = signatureHelp(input(SEED, at(SEED, 'stride=|2,\n                       fusion_strides=[], extra_downsample_num=0)],                              # stride 8')));
    assert.equal(FIELDS[s!.activeParameter].name, 'stride');
    assert.equal(s!.stage, 2);
    assert.match(s!.documentation, /Stage 2 · input 32×56×56 · previous stage outputs 32 channels/);
    assert.match(s!.parameters[0].documentation, /previous stage \(stage 1\) outputs \*\*32\*\* channels/);
  });

  it('follows the cursor into nested lists and positional arguments', () => {
    const inList = signatureHelp(input(SEED, at(SEED, '["mixvarge_f4", |"mixvarge_f4"]')));
    assert.equal(FIELDS[inList!.activeParameter].name, 'stack_ops');
    const text = 'from hat.models.backbones.mixvargenet import MixVarGENetConfig\nc = MixVarGENetConfig(32, 64, \n';
    const pos = signatureHelp(input(text, at(text, '32, 64, |')));
    assert.equal(FIELDS[pos!.activeParameter].name, 'head_op');
    const mixed = 'from hat.models.backbones.mixvargenet import MixVarGENetConfig\nc = MixVarGENetConfig(in_channels=32, out_channels=64, \n';
    const m = signatureHelp(input(mixed, at(mixed, '=64, |')));
    assert.equal(FIELDS[m!.activeParameter].name, 'head_op', 'the first missing field after keywords');
    assert.equal(signatureHelp(input(SEED, at(SEED, 'dict(img=|torch'))), null);
  });
});
