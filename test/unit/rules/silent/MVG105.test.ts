import { strict as assert } from 'node:assert';
import { RULE_BY_CODE } from '../../../../extension/core/rules/index';
import { at, applyFix, config, example, fusionConfig, inStage, only, preferred, run } from './helpers';

const CODE = 'MVG105';
/** Stages 2 and 3 both 96 wide: stage 4's two fusion convs take 96 channels whichever map they get. */
const same = { 2: { out_channels: 96 }, 3: { in_channels: 96 } };

describe('MVG105 fusion-order', () => {
  it('is registered as a silent warning', () => {
    const r = RULE_BY_CODE.get(CODE);
    assert.equal(r?.name, 'fusion-order');
    assert.equal(r?.severity, 'warning');
    assert.equal(r?.category, 'silent');
  });

  it('fires on [16, 8] and the fix sorts it back to the valid fusion config', () => {
    const text = fusionConfig({ stages: { ...same, 4: { fusion_strides: [16, 8] } } });
    const a = run(text);
    const fs = a.findings.filter((f) => f.code === CODE);
    assert.equal(fs.length, 1);
    const f = fs[0];
    assert.equal(f.severity, 'warning');
    assert.equal(at(text, f.range), '[16, 8]');
    assert.ok(inStage(a, f.range, 4) && f.stage === 4);
    assert.match(f.message, /fusion_strides=\[16, 8\] is not ascending \(16 before 8\)/);
    assert.match(f.message, /matched to the fusion layers by position/);
    assert.match(f.message, /Write \[8, 16\]/);
    assert.equal(a.findings.filter((x) => x.severity === 'error').length, 0, 'it runs, wired the other way round');
    const fixed = applyFix(text, preferred(f));
    assert.equal(fixed, fusionConfig({ stages: same }));
    assert.equal(run(fixed).findings.filter((x) => x.severity === 'error' || x.severity === 'warning').length, 0);
  });

  it('keeps a tuple a tuple', () => {
    const text = fusionConfig({ stages: { ...same, 4: { fusion_strides: '(16, 8)' } } });
    const [f] = only(text, CODE);
    assert.equal(applyFix(text, preferred(f)), fusionConfig({ stages: { ...same, 4: { fusion_strides: '(8, 16)' } } }));
  });

  it('leaves the order to the crash rule when a map reaches a fusion conv of another width', () => {
    const text = fusionConfig({ stages: { 4: { fusion_strides: [16, 8] } } });
    assert.equal(only(text, CODE).length, 0);
    assert.ok(run(text).findings.some((f) => f.severity === 'error' && f.stage === 4));
    const mistakes = example('mistakes.py');
    assert.equal(only(mistakes, CODE).length, 0);
  });

  it('checks configs outside net_config too', () => {
    const text = config({ prelude: 'spare = MixVarGENetConfig(in_channels=64, out_channels=96, head_op="mixvarge_f2_gb16", stack_ops=[], stride=2, fusion_strides=[8, 4])' });
    const [f] = only(text, CODE);
    assert.ok(f);
    assert.equal(at(text, f.range), '[8, 4]');
    assert.equal(f.stage, undefined);
    assert.equal(preferred(f).edits[0].newText, '[4, 8]');
  });

  it('offers no fix for a list that is not written out', () => {
    const text = fusionConfig({ prelude: 'FS = [16, 8]', stages: { ...same, 4: { fusion_strides: 'FS' } } });
    const [f] = only(text, CODE);
    assert.equal(at(text, f.range), 'FS');
    assert.equal(f.fixes, undefined);
    const rep = fusionConfig({ stages: { ...same, 4: { fusion_strides: '[16] + [8]' } } });
    const [g] = only(rep, CODE);
    assert.equal(g.fixes, undefined);
  });

  it('does not fire on ascending lists, equal entries, or unknown entries', () => {
    assert.equal(only(config(), CODE).length, 0);
    assert.equal(only(fusionConfig(), CODE).length, 0);
    assert.equal(only(example('mixvargenet_fusion.py'), CODE).length, 0);
    assert.equal(only(fusionConfig({ stages: { 4: { fusion_strides: [8, 8] } } }), CODE).length, 0);
    assert.equal(only(fusionConfig({ prelude: 'from x import S', stages: { 4: { fusion_strides: '[S, 8]' } } }), CODE).length, 0);
  });
});
