import { strict as assert } from 'node:assert';
import { RULES, RULE_BY_CODE } from '../../../../extension/core/rules/index';
import { CRASH_CODES, example, makeConfig, run } from './helpers';

/** The crash rules this suite covers, MVG003–MVG016, from the one registry. */
const CRASH_RULES = RULES.filter((r) => r.category === 'crash' && r.code >= 'MVG003');

describe('crash rules: registry and examples', () => {
  it('registers MVG003–MVG016 as crash errors with a name, title and doc', () => {
    assert.deepEqual(CRASH_RULES.map((r) => r.code), CRASH_CODES);
    for (const r of CRASH_RULES) {
      assert.equal(RULE_BY_CODE.get(r.code), r);
      assert.equal(r.severity, 'error');
      assert.equal(r.category, 'crash');
      assert.match(r.name, /^[a-z]+(-[a-z]+)*$/);
      assert.ok(r.title.length > 10 && r.doc.length > 200, r.code);
    }
  });

  for (const name of ['mixvargenet_imagenet.py', 'mixvargenet_fusion.py', 'mixvargenet_backbone_only.py', 'mixvargenet_expressions.py']) {
    it(`finds nothing in the valid example ${name}`, () => {
      const a = run(example(name));
      assert.deepEqual(
        a.findings.filter((f) => CRASH_CODES.includes(f.code)).map((f) => `${f.code} ${f.message}`),
        [],
      );
    });
  }

  it('finds nothing in the helper-built seed config', () => {
    const a = run(makeConfig());
    assert.equal(a.network?.params, 2_310_744, 'the helper builds the seed network');
    assert.deepEqual(a.findings.filter((f) => CRASH_CODES.includes(f.code)), []);
  });

  it('reports the crash mistakes of examples/configs/mistakes.py', () => {
    const text = example('mistakes.py');
    const codes = run(text).findings.filter((f) => CRASH_CODES.includes(f.code)).map((f) => `${f.code} ${text.slice(f.range.start, f.range.end)}`);
    // One finding per mistake, where it is written: the width 56 (not each gb16 op it breaks), the
    // fusion_strides list written out of order (not each of its entries).
    assert.deepEqual(codes, ['MVG012 stack_factr', 'MVG003 56', 'MVG006 [8, 4]']);
  });
});
