import { strict as assert } from 'node:assert';
import { applyFix, findings, lineAt, makeConfig, none, one, preferredFix, under } from './helpers';

const CODE = 'MVG011';

describe('MVG011 field-type', () => {
  it('fires on a float width and writes it as an int', () => {
    const text = makeConfig({ stages: { 2: { in_channels: '32.0' } } });
    const f = one(text, CODE);
    assert.equal(under(text, f), '32.0');
    assert.equal(f.stage, 2);
    assert.match(f.message, /in_channels=32\.0 is a float, not an int/);
    assert.equal(applyFix(text, preferredFix(f)), makeConfig());
  });

  it('fires on a str width and a float stride, with int fixes', () => {
    const text = makeConfig({ stages: { 2: { out_channels: '"64"' }, 3: { stride: '2.0' } } });
    const fs = findings(text, CODE);
    assert.deepEqual(fs.map((f) => under(text, f)), ['"64"', '2.0']);
    assert.match(fs[0].message, /out_channels="64" is a str/);
    assert.match(fs[1].message, /stride=2\.0 is a float.*first batch/);
    let fixed = text;
    for (const f of [...fs].reverse()) fixed = applyFix(fixed, preferredFix(f));
    assert.equal(fixed, makeConfig());
  });

  it('explains extra_downsample_num=1.0 (passes the assert, fails in range()) and None (fails the assert)', () => {
    const text = makeConfig({ stages: { 1: { extra_downsample_num: '1.0' }, 2: { fusion_strides: '[4]', extra_downsample_num: 'None' } } });
    const fs = findings(text, CODE);
    assert.equal(fs.length, 2);
    assert.match(fs[0].message, /range\(1\.0\) raises "TypeError: 'float' object cannot be interpreted as an integer"/);
    assert.match(fs[1].message, /extra_downsample_num is None, not an int: .*AssertionError/);
    assert.equal(fs[1].fixes, undefined);
  });

  it('fires on a bare op string in stack_ops (KeyError: \'m\') and wraps it in a list', () => {
    const text = makeConfig({ stages: { 1: { stack_ops: '"mixvarge_f4"' } } });
    const f = one(text, CODE);
    assert.equal(under(text, f), '"mixvarge_f4"');
    assert.match(f.message, /KeyError: 'm'/);
    assert.match(lineAt(applyFix(text, preferredFix(f)), f.range.start), /stack_ops=\["mixvarge_f4"\], stack_factor/);
  });

  it('fires on None for stack_ops and fusion_strides and replaces them by []', () => {
    const text = makeConfig({ stages: { 0: { stack_ops: 'None', fusion_strides: 'None' } } });
    const fs = findings(text, CODE);
    assert.deepEqual(fs.map((f) => under(text, f)), ['None', 'None']);
    assert.match(fs[0].message, /stack_ops is None.*object of type 'NoneType' has no len\(\)/);
    assert.match(fs[1].message, /fusion_strides is None/);
    let fixed = text;
    for (const f of [...fs].reverse()) fixed = applyFix(fixed, preferredFix(f));
    assert.equal(fixed, makeConfig());
  });

  it('fires on a bare int fusion_strides, wrong item types and a non-str head_op', () => {
    const text = makeConfig({ stages: { 1: { extra_downsample_num: '1' }, 2: { fusion_strides: '4' }, 3: { head_op: '3', stack_ops: '["mixvarge_f2_gb16", None]' }, 4: { fusion_strides: '["16"]' } } });
    const fs = findings(text, CODE);
    assert.deepEqual(fs.map((f) => under(text, f)), ['4', '3', 'None', '"16"']);
    assert.match(fs[0].message, /fusion_strides=4 is an int, not a list of ints/);
    assert.match(applyFix(text, preferredFix(fs[0])), /fusion_strides=\[4\]/);
    assert.match(fs[1].message, /head_op=3 is an int.*KeyError: 3/);
    assert.match(fs[2].message, /stack_ops holds None.*KeyError: None/);
    assert.match(fs[3].message, /must be real number, not str/);
  });

  it('does not fire on bool ints, float fusion strides, unused stack_factor, "" or unknown values', () => {
    none(makeConfig(), CODE);
    none(makeConfig({ stages: { 1: { stride: 'True', extra_downsample_num: 'False' } } }), CODE);
    none(makeConfig({ stages: { 1: { extra_downsample_num: '1' }, 2: { fusion_strides: '[4.0]' } } }), CODE);
    none(makeConfig({ stages: { 0: { stack_factor: '1.5' } } }), CODE); // stage 0 has no stack ops
    none(makeConfig({ stages: { 0: { stack_ops: '""', fusion_strides: '""' } } }), CODE);
    none(makeConfig({ preamble: 'from x import c, ops', stages: { 2: { out_channels: 'c', stack_ops: 'ops' }, 3: { in_channels: 'c' } } }), CODE);
    // a value cut by a syntax error is not judged by its type
    const broken = makeConfig({ stages: { 1: { stack_ops: '"mixvarge_f4", "mixvarge_f4"]' } } });
    assert.ok(findings(broken, 'MVG000').length > 0);
    none(broken, CODE);
  });
});
