// Where a Python line's code ends (inline numbers go there, before a trailing comment): by hand, per case.
import { strict as assert } from 'node:assert';
import { codeEnd } from '../../extension/core/text';

describe('codeEnd: the end of a line\'s code, before a trailing comment', () => {
  const cases: [string, string][] = [
    // line, the code part a person reads as the code
    ['    stack_factor=1, stride=1, fusion_strides=[], extra_downsample_num=0)],   # stride 2', '    stack_factor=1, stride=1, fusion_strides=[], extra_downsample_num=0)],'],
    ['x = 1', 'x = 1'],
    ['x = 1   ', 'x = 1'],
    ['# only a comment', ''],
    ['s = "a # not a comment"  # but this is', 's = "a # not a comment"'],
    ["s = 'it\\'s # still a string' # c", "s = 'it\\'s # still a string'"],
    ['y = f(2)\t# tab', 'y = f(2)'],
    ['', ''],
  ];
  for (const [line, code] of cases) {
    it(JSON.stringify(line), () => assert.equal(line.slice(0, codeEnd(line)), code));
  }
});
