import { strict as assert } from 'node:assert';
import { applyFix, lineAt, makeConfig, none, one, preferredFix, under } from './helpers';

const CODE = 'MVG009';

describe('MVG009 stride-value', () => {
  it('fires on stride=0 with fixes to 2 (preferred after stage 0) and 1', () => {
    const text = makeConfig({ stages: { 2: { stride: '0' } } });
    const f = one(text, CODE);
    assert.equal(under(text, f), '0');
    assert.equal(f.stage, 2);
    assert.match(f.message, /stride=0 is not 1 or 2.*non-positive stride is not supported/);
    assert.equal(f.fixes!.length, 2);
    assert.match(lineAt(applyFix(text, preferredFix(f)), f.range.start), /stride=2, fusion_strides/);
    assert.equal(applyFix(text, preferredFix(f)), makeConfig());
    assert.match(lineAt(applyFix(text, f.fixes!.find((x) => !x.preferred)!), f.range.start), /stride=1, fusion_strides/);
  });

  it('prefers stride 1 for stage 0 and reports strides above 2', () => {
    const text = makeConfig({ stages: { 0: { stride: '-1' } } });
    const f = one(text, CODE);
    assert.equal(under(text, f), '-1');
    assert.equal(applyFix(text, preferredFix(f)), makeConfig());
    const three = makeConfig({ stages: { 3: { stride: '3' } } });
    const g = one(three, CODE);
    assert.match(g.message, /^stride=3 is not 1 or 2 \(stage 3\)\. MixVarGENet supports only 1 and 2/);
  });

  it('reports a computed stride without a fix', () => {
    const text = makeConfig({ preamble: 's = 2', stages: { 3: { stride: 's * 2' } } });
    const f = one(text, CODE);
    assert.equal(under(text, f), 's * 2');
    assert.match(f.message, /stride=s \* 2/);
    assert.equal(f.fixes, undefined);
  });

  it('does not fire on 1, 2, True, unknown values or the seed', () => {
    none(makeConfig({ stages: { 2: { stride: '1' } } }), CODE);
    none(makeConfig({ stages: { 2: { stride: 'True' } } }), CODE);
    none(makeConfig({ preamble: 'from x import s', stages: { 2: { stride: 's' } } }), CODE);
    none(makeConfig(), CODE);
  });
});
