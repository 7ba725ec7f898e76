// What a person sees on examples/configs/mistakes.py: the Problems panel lists each mistake with its rule code
// (a link to the rule's docs), line and column, the same as `mvg lint`; a quick fix removes one for good.
import { strict as assert } from 'node:assert';
import { mvgLint } from './lib/cli';
import { useWorkbench } from './lib/mocha';
import { positionOf, until, type ProblemRow } from './lib/workbench';
import { requireOrSkip } from '../../requires';

const FILE = 'configs/mistakes.py';

describe('UI: Problems panel and quick fix on mistakes.py', function () {
  this.timeout(90_000);
  const wb = useWorkbench({ name: 'problems' });
  const rowsOf = (rows: ProblemRow[], code: string) => rows.filter((r) => r.code === code);

  it('lists MVG002 (broken channel chain) with its code, line and column', async () => {
    const w = wb();
    const text = w.readFile(FILE);
    // in_channels=96 of stage 4, where stage 3 outputs 56: the range is the value "96".
    const at = positionOf(text, '[MixVarGENetConfig(in_channels=96', { offset: '[MixVarGENetConfig(in_channels='.length });
    await w.openFile(FILE);
    const rows = await w.problems({ source: 'mixvargenet', wait: (r) => rowsOf(r, 'MVG002').length > 0 });
    await w.screenshot('problems-mistakes');
    const [mvg002] = rowsOf(rows, 'MVG002');
    assert.equal(mvg002.line, at.line, mvg002.text);
    assert.equal(mvg002.column, at.column, mvg002.text);
    assert.equal(mvg002.severity, 'error');
    assert.match(mvg002.message, /^Stage 4 expects 96 channels, stage 3 gives 56\. /, 'the point first');
    assert.match(mvg002.message, /in_channels=96/);
    assert.match(mvg002.message, /\b56\b/);
    assert.ok(mvg002.codeLink, 'the code links to the rule documentation');
    // Related information: where the previous stage's out_channels=56 is written.
    const prev = positionOf(text, 'in_channels=64, out_channels=56', { offset: 'in_channels=64, out_channels='.length });
    assert.ok(
      mvg002.related?.some((r) => r.includes(`[Ln ${prev.line}, Col ${prev.column}]`) && /out_channels=56/.test(r)),
      `related information points at out_channels=56: ${JSON.stringify(mvg002.related)}`,
    );
    // The misspelt op in stage 4's stack_ops is there too, on its own line.
    const op = positionOf(text, '"mixvarge_f2_bg16"]');
    assert.ok(rowsOf(rows, 'MVG001').some((r) => r.line === op.line), rows.map((r) => r.text).join('\n'));
  });

  it('shows the same errors and warnings as `mvg lint`', async function () {
    const w = wb();
    const cli = mvgLint(w.file(FILE));
    requireOrSkip(this, !!cli, 'dist/cli.js', 'npm run build');
    await w.openFile(FILE);
    const want = cli!.filter((f) => f.severity === 'error' || f.severity === 'warning');
    assert.ok(want.length >= 2, 'mistakes.py has errors and warnings');
    const rows = await w.problems({ source: 'mixvargenet', wait: (r) => r.filter((x) => x.severity === 'error' || x.severity === 'warning').length >= want.length });
    const key = (code: string | undefined, line: number | undefined, col: number | undefined) => `${code}@${line}:${col}`;
    const shown = rows.filter((r) => r.severity === 'error' || r.severity === 'warning').map((r) => key(r.code, r.line, r.column)).sort();
    assert.deepEqual(shown, want.map((f) => key(f.code, f.line, f.column)).sort());
    for (const f of want) {
      const row = rows.find((r) => r.code === f.code && r.line === f.line && r.column === f.column)!;
      assert.equal(row.message.replace(/\s+/g, ' '), f.message.replace(/\s+/g, ' '), `${f.code} says what mvg lint says`);
      assert.equal(row.severity, f.severity);
    }
  });

  it('starts every row with its headline, fully visible in the panel (the point before the explanation)', async () => {
    const w = wb();
    await w.openFile(FILE);
    const rows = await w.problems({ source: 'mixvargenet', wait: (r) => r.some((x) => x.code === 'MVG001') && r.some((x) => x.code === 'MVG101') });
    // What each mistake's row begins with: the values that say what is wrong, before why HAT fails.
    const headlines: Record<string, string> = {
      MVG012: 'Unknown field "stack_factr": did you mean stack_factor?',
      MVG003: "56 channels don't split into 3 groups (stage 3, mixvarge_f2_gb16).",
      MVG006: 'Fusion convs expect 64 and 32 channels, get 32 and 64 (stage 3).',
      MVG101: "Stage 4 drops stage 3's 2x map (no fusion_strides).",
      MVG002: 'Stage 4 expects 96 channels, stage 3 gives 56.',
      MVG001: 'Unknown op "mixvarge_f2_bg16" in stack_ops: did you mean "mixvarge_f2_gb16"?',
    };
    assert.deepEqual(rows.filter((r) => r.severity === 'error' || r.severity === 'warning').map((r) => r.code).sort(), Object.keys(headlines).sort(), 'one row per mistake');
    for (const r of rows) if (headlines[r.code!]) assert.ok(r.message.startsWith(headlines[r.code!]), `${r.code} starts with its headline: ${r.message}`);
    // The panel cuts long messages with an ellipsis: the headline's last character must lie inside the visible row.
    const cut = await w.page.locator('.markers-panel .monaco-list-row').evaluateAll((els, heads: string[]) => {
      const out: string[] = [];
      for (const row of els) {
        const msg = row.querySelector('.marker-message') as HTMLElement | null;
        const text = msg?.innerText ?? '';
        const head = heads.find((h) => text.startsWith(h));
        if (!msg || !head) continue;
        // The DOM range of the headline's characters, across the label's text nodes.
        const walker = document.createTreeWalker(msg, NodeFilter.SHOW_TEXT);
        let left = head.length;
        let end: { node: Text; offset: number } | undefined;
        for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
          if (n.data.length >= left) {
            end = { node: n, offset: left };
            break;
          }
          left -= n.data.length;
        }
        const first = document.createTreeWalker(msg, NodeFilter.SHOW_TEXT).nextNode();
        if (!end || !first) {
          out.push(`${head}: not found in the row's text`);
          continue;
        }
        const range = document.createRange();
        range.setStart(first, 0);
        range.setEnd(end.node, end.offset);
        const right = range.getBoundingClientRect().right;
        const visible = Math.min(msg.getBoundingClientRect().right, (row as HTMLElement).getBoundingClientRect().right, window.innerWidth);
        if (right > visible + 1) out.push(`${head}: ends at ${Math.round(right)} px, the row shows up to ${Math.round(visible)} px`);
      }
      return out;
    }, Object.values(headlines));
    await w.screenshot('problems-headlines');
    assert.deepEqual(cut, [], 'every headline is fully visible');
  });

  it('applies the MVG002 quick fix (in_channels chained to 56): the diagnostic goes, undo brings it back', async () => {
    const w = wb();
    const text = w.readFile(FILE);
    const at = positionOf(text, '[MixVarGENetConfig(in_channels=96', { offset: '[MixVarGENetConfig(in_channels='.length });
    await w.openFile(FILE);
    await w.problems({ source: 'mixvargenet', wait: (r) => r.some((x) => x.code === 'MVG002') });
    const entries = await w.quickFix(at, 'Set in_channels to 56');
    // Both ways to mend the chain are listed; the one that adds no error (stage 3 out_channels=96:
    // 56 would give stage 4's gb16 head 3 groups) comes first.
    assert.ok(entries[0].includes('Set stage 3 out_channels to 96'), entries.join('\n'));
    assert.ok(entries.some((e) => e.includes('Set in_channels to 56')), entries.join('\n'));
    const lines = await until('the fixed line', async () => {
      const l = (await w.visibleLines()).get(at.line);
      return l?.includes('in_channels=56') ? l : undefined;
    });
    assert.match(lines, /\[MixVarGENetConfig\(in_channels=56, out_channels=160/);
    const after = await w.problems({ source: 'mixvargenet', wait: (r) => !r.some((x) => x.code === 'MVG002') });
    await w.screenshot('quick-fix-applied');
    assert.ok(after.some((r) => r.code === 'MVG001'), 'the other mistakes are still reported');
    await w.save();
    assert.match(w.readFile(FILE).split('\n')[at.line - 1], /in_channels=56,/);

    // One undoable edit: a single Ctrl+Z restores the mistake and its diagnostic.
    await w.goto(at);
    await w.page.keyboard.press('Control+Z');
    await until('the undone line', async () => (await w.visibleLines()).get(at.line)?.includes('in_channels=96'));
    await w.problems({ source: 'mixvargenet', wait: (r) => r.some((x) => x.code === 'MVG002' && x.line === at.line) });
  });
});
