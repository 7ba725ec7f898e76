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

  it('applies the MVG002 quick fix (in_channels chained to 56): the diagnostic goes, undo brings it back', async () => {
    const w = wb();
    const text = w.readFile(FILE);
    const at = positionOf(text, '[MixVarGENetConfig(in_channels=96', { offset: '[MixVarGENetConfig(in_channels='.length });
    await w.openFile(FILE);
    await w.problems({ source: 'mixvargenet', wait: (r) => r.some((x) => x.code === 'MVG002') });
    const entries = await w.quickFix(at, 'Set in_channels to 56');
    assert.ok(entries.some((e) => /in_channels/.test(e)), entries.join('\n'));
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
