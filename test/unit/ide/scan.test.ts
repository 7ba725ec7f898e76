import { strict as assert } from 'node:assert';
import { scan, allFrames } from '../../../extension/core/ide/scan';
import { at } from './helpers';

describe('ide/scan', () => {
  it('finds the call, argument, keyword and string the cursor is in', () => {
    const text = 'x = [[MixVarGENetConfig(in_channels=32, head_op="mixv", stack_ops=["a", "b"])]]\n';
    const c = scan(text, at(text, '"mix|v"')).cursor;
    assert.equal(c.frame?.callee, 'MixVarGENetConfig');
    assert.equal(c.argIndex, 1);
    assert.equal(c.frame?.args[1].kw, 'head_op');
    assert.equal(c.string?.value, 'mixv');
    assert.equal(c.string?.terminated, true);
    const inList = scan(text, at(text, '"|b"')).cursor;
    assert.equal(inList.frame?.kind, '[');
    assert.equal(inList.argIndex, 1);
    assert.equal(inList.frame?.parent?.callee, 'MixVarGENetConfig');
    assert.equal(inList.frame?.parent?.args[inList.frame.argIndex].kw, 'stack_ops');
  });

  it('ends an unterminated string at its line and keeps scanning the next line', () => {
    const text = 'cfg = MixVarGENetConfig(head_op="mixv\n    , stride=2)\nmodel = 1\n';
    const s = scan(text, at(text, 'mixv|'));
    assert.equal(s.cursor.string?.terminated, false);
    assert.equal(s.cursor.string?.value, 'mixv');
    const call = allFrames(s.roots).find((f) => f.callee === 'MixVarGENetConfig')!;
    assert.notEqual(call.close, null, 'the call still closes on the next line');
    assert.deepEqual(
      call.args.map((a) => a.kw),
      ['head_op', 'stride'],
    );
  });

  it('closes an unclosed bracket at the next line that starts a statement', () => {
    const text = 'net_config = [\n    [MixVarGENetConfig(in_channels=32, \n\nmodel = dict(type="Classifier")\n';
    const s = scan(text, at(text, 'model = dict(type=|'));
    assert.equal(s.cursor.frame?.callee, 'dict', 'the cursor is in dict(), not in the unclosed net_config');
    assert.deepEqual(
      s.roots.map((f) => f.callee ?? f.assignTarget),
      ['net_config', 'dict'],
    );
    assert.equal(s.roots[0].close, null);
  });

  it('knows comments, keyword arguments and comparisons apart', () => {
    const text = 'f(a=1, b == 2, c)  # g(x="y")\n';
    const s = scan(text, at(text, 'g(x|'));
    assert.equal(s.cursor.comment, true);
    const f = s.roots[0];
    assert.deepEqual(
      f.args.map((a) => a.kw),
      ['a', undefined, undefined],
    );
    assert.equal(scan(text, at(text, 'c|)')).cursor.word?.start, at(text, 'c)'));
  });

  it('reports argument starts and keyword values', () => {
    const text = 'MixVarGENetConfig(in_channels=32, st, stride=)';
    const typing = scan(text, at(text, 'st|,')).cursor;
    assert.equal(typing.atArgStart, true);
    assert.deepEqual(typing.word, { start: at(text, 'st,'), end: at(text, 'st|,') });
    const value = scan(text, at(text, 'stride=|)')).cursor;
    assert.equal(value.inValue, true);
    assert.equal(value.frame?.args[value.argIndex].kw, 'stride');
    const afterComma = scan(text, at(text, '32,| st')).cursor;
    assert.equal(afterComma.atArgStart, true);
    assert.equal(afterComma.argIndex, 1);
  });

  it('handles triple-quoted strings, prefixes and escapes', () => {
    const text = 'a = f(r"x\\"y", """multi\n(line""", b"z")\nb = [1]\n';
    const s = scan(text, at(text, 'b = [|1'));
    assert.equal(s.roots[0].callee, 'f');
    assert.equal(s.roots[0].close, at(text, ')\nb ='));
    assert.equal(s.roots[0].strings.length, 3);
    assert.equal(s.cursor.frame?.kind, '[');
  });
});
