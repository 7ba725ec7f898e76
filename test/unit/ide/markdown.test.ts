// Text from the file shown in Markdown (hovers, the network summary, completion details) is shown as the
// characters it is: a crafted op string adds no link, command link, image or HTML, and breaks no table.
// Checked by rendering the Markdown with markdown-it (an independent renderer), not by reading our escapes.
import { strict as assert } from 'node:assert';
import { escapeMarkdown, markdownCode, notificationText } from '../../../extension/core/markdown';
import { hover } from '../../../extension/core/ide/hover';
import { analyze } from '../../../extension/core/analyze';
import { toSnapshot } from '../../../extension/core/ide/snapshot';
import { networkSummaryMarkdown } from '../../../extension/core/ide/summary';
import { at, input, replaceOnce, SEED } from './helpers';
import { rendered } from '../rendered';

const HOSTILE = [
  '[click](command:mixvargenet.showRuleDoc?%5B%22MVG001%22%5D)',
  '![x](https://example.invalid/x.png)',
  '<img src=https://example.invalid/y.png>',
  'see https://example.invalid/z and www.example.invalid',
  '`code` | cell | **bold** _it_ ~~s~~ # h > q',
  '1. list',
  '- item',
  'a\nb\r\nc',
  'x&amp;y',
  '# heading',
  '> quote',
  '+ plus',
  '3) paren list',
];

describe('markdown: text from files is shown as text', () => {
  for (const s of HOSTILE) {
    it(`escapeMarkdown ${JSON.stringify(s)} renders as exactly that text in a line, with no link, image or markup`, () => {
      // As it is used: inside a line (a message after "MVG001: ", a table cell, a list item's text).
      const { html, text } = rendered(`Problem: ${escapeMarkdown(s)}`);
      assert.doesNotMatch(html, /<(a|img|strong|em|s|del|code|h\d|blockquote|ol|ul|li|table)\b/, html);
      assert.equal(text.trim(), `Problem: ${s.replace(/[\r\n]+/g, ' ').replace(/[ \t]+/g, ' ')}`);
    });
  }

  it('keeps ordinary text readable (intraword underscores and dots are not escaped)', () => {
    for (const plain of ['mixvarge_f2_gb16 71.32% 96×14×14', 'groups = int(cin/16) · 1x1 conv + BN', 'stage 1 ↓4 (32 ch, 14×14)', '0.0%', '1,234']) assert.equal(escapeMarkdown(plain), plain);
    // In a table cell too.
    assert.ok(rendered(`| a |\n|---|\n| ${escapeMarkdown('1. x | y')} |`).html.includes('<td>1. x | y</td>'), 'one cell, as written');
  });

  it('markdownCode fences any backticks inside', () => {
    for (const s of ['a`b', '``x``', '`lead', 'plain']) {
      const { html, text } = rendered(`say ${markdownCode(s)}`);
      assert.match(html, /<code>/);
      assert.equal(text.trim(), `say ${s}`);
    }
  });

  it('notificationText breaks the [label](target) shape VS Code turns into a link', () => {
    const linkShape = /\[[^\]]+\]\((?:https?:|command:|file:)/;
    assert.match(HOSTILE[0], linkShape);
    assert.doesNotMatch(notificationText(HOSTILE[0]), linkShape);
    assert.equal(notificationText('no links here (ok)'), 'no links here (ok)');
  });

  it('a hostile op name in head_op: the op hover and the network summary show it as text', () => {
    const op = '[x](command:mixvargenet.showRuleDoc?%5B%22MVG001%22%5D) ![i](https://example.invalid/i.png)';
    const text = replaceOnce(SEED, 'head_op="mixvarge_f2",', `head_op="${op}",`);
    const h = hover(input(text, at(text, `head_op="[|x]`)));
    assert.equal(h?.kind, 'op');
    const hv = rendered(h!.markdown);
    assert.doesNotMatch(hv.html, /<a |<img /, hv.html);
    assert.ok(hv.text.includes(op), hv.text);
    // Negative control: the same name unescaped would have made a link and an image.
    assert.match(rendered(`**${op}**`).html, /<a .*<img /s);
    const summary = rendered(networkSummaryMarkdown(toSnapshot(analyze(text), { uri: 'u', version: 1 }), 'f.py'));
    assert.doesNotMatch(summary.html, /<a [^>]*command:mixvargenet\.showRuleDoc\?%5B%22MVG001|<img /);
    assert.ok(summary.text.includes(op), 'the finding names the op as written');
  });
});
