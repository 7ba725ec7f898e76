import { strict as assert } from 'node:assert';
import { RULE_BY_CODE } from '../../../../extension/core/rules/index';
import { at, applyFix, config, example, only, run } from './helpers';

const CODE = 'MVG109';
const noTop = (ol: string) => ({ include_top: 'False', output_list: ol });

describe('MVG109 output-list-range', () => {
  it('is registered as a silent warning', () => {
    const r = RULE_BY_CODE.get(CODE);
    assert.equal(r?.name, 'output-list-range');
    assert.equal(r?.severity, 'warning');
    assert.equal(r?.category, 'silent');
  });

  it('fires on an index past the last stage', () => {
    const text = config({ backbone: noTop('[2, 3, 4, 5]') });
    const a = run(text);
    const fs = a.findings.filter((f) => f.code === CODE);
    assert.equal(fs.length, 1);
    const f = fs[0];
    assert.equal(f.severity, 'warning');
    assert.equal(at(text, f.range), '5');
    assert.ok(text.slice(0, f.range.start).endsWith('output_list=[2, 3, 4, '));
    assert.match(f.message, /output_list entry 5 matches no stage: net_config has 5 stages \(0–4\)/);
    assert.deepEqual(a.network?.outputs, [2, 3, 4]);
  });

  it('fires on a negative index and offers the stage Python indexing means', () => {
    const text = config({ backbone: noTop('[1, -1]') });
    const [f] = only(text, CODE);
    assert.equal(at(text, f.range), '-1');
    assert.match(f.message, /entry -1 .*negative indices are not resolved/);
    const fixed = applyFix(text, f.fixes![0]);
    assert.equal(fixed, config({ backbone: noTop('[1, 4]') }));
    assert.equal(only(fixed, CODE).length, 0);
    assert.deepEqual(run(fixed).network?.outputs, [1, 4]);
  });

  it('says when nothing at all is returned', () => {
    const [f] = only(config({ backbone: noTop('(7,)') }), CODE);
    assert.match(f.message, /the backbone returns an empty list/);
  });

  it('does not fire with the top, valid indices, an empty list or unknown values', () => {
    assert.equal(only(config({ backbone: { output_list: '[5]' } }), CODE).length, 0, 'ignored with include_top');
    assert.equal(only(config({ backbone: noTop('[0, 1, 2, 3, 4]') }), CODE).length, 0);
    assert.equal(only(config({ backbone: noTop('[]') }), CODE).length, 0);
    assert.equal(only(config({ prelude: 'from x import OL', backbone: noTop('OL') }), CODE).length, 0);
    assert.equal(only(config({ prelude: 'from x import TOP', backbone: { include_top: 'TOP', output_list: '[9]' } }), CODE).length, 0);
    assert.equal(only(example('mixvargenet_backbone_only.py'), CODE).length, 0);
  });
});
