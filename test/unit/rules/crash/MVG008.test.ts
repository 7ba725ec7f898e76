import { strict as assert } from 'node:assert';
import { applyFix, findings, makeConfig, none, one, preferredFix, SEED_STAGES, stageCall, under } from './helpers';

const CODE = 'MVG008';
const call = (i: number) => stageCall(SEED_STAGES[i]);

describe('MVG008 stage-shape', () => {
  it('fires on a bare config (not wrapped in a list) and wraps it', () => {
    const text = makeConfig({ items: { 2: call(2) } });
    const f = one(text, CODE);
    assert.equal(under(text, f), call(2));
    assert.equal(f.stage, 2);
    assert.match(f.message, /Stage 2 is a bare MixVarGENetConfig.*'MixVarGENetConfig' object is not iterable/);
    assert.equal(applyFix(text, preferredFix(f)), makeConfig());
  });

  it('names the subscript error for a bare stage 0', () => {
    const text = makeConfig({ items: { 0: call(0) } });
    assert.match(one(text, CODE).message, /net_config\[0\]\[0\].*not subscriptable/);
  });

  it('fires on two configs in one stage, at the second', () => {
    const second = stageCall({ ...SEED_STAGES[2], in_channels: '64', stride: '1' });
    const text = makeConfig({ items: { 2: `[${call(2)}, ${second}]` } });
    const f = one(text, CODE);
    assert.equal(under(text, f), second);
    assert.match(f.message, /Stage 2 holds 2 MixVarGENetConfig calls.*tuple/);
    assert.equal(under(text, f.related![0]), call(2));
    assert.equal(f.fixes, undefined);
  });

  it('fires on an empty stage and on a stage holding something else than configs', () => {
    const text = makeConfig({ items: { 1: '[]', 3: `[${call(3)}, 5]` } });
    const fs = findings(text, CODE);
    assert.equal(fs.length, 2);
    assert.equal(under(text, fs[0]), '[]');
    assert.match(fs[0].message, /Stage 1 is an empty list/);
    assert.equal(under(text, fs[1]), '5');
    assert.match(fs[1].message, /Stage 3 holds 5 \(an int\)/);
    const notList = makeConfig({ items: { 0: '32' } });
    assert.match(one(notList, CODE).message, /Stage 0 is 32 \(an int\), not a list/);
  });

  it('does not fire on the seed, a trailing IdentityConfig, stages through names, or unknown stages', () => {
    none(makeConfig(), CODE);
    none(makeConfig({ preamble: 'from hat.models.backbones.mixvargenet import IdentityConfig', items: { 4: `[${call(4)}, IdentityConfig()]` } }), CODE);
    none(makeConfig({ preamble: `s2 = [${call(2)}]`, items: { 2: 's2' } }), CODE);
    none(makeConfig({ preamble: 'from x import s2', items: { 2: 's2' } }), CODE);
  });

  it('stays silent while net_config has a syntax error (the stage structure is not what was meant)', () => {
    const text = makeConfig({ items: { 2: call(2) } }).replace('extra_downsample_num=0)],\n]', 'extra_downsample_num=0)],\n]]');
    assert.ok(findings(text, 'MVG000').length > 0);
    none(text, CODE);
  });
});
