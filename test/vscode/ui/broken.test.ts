// A file that does not parse (examples/configs/half_typed.py: stage 3 not closed yet) still gets diagnostics for its
// intact stages: a person types a mistake into stage 0 and sees it reported next to the syntax error.
import { strict as assert } from 'node:assert';
import { mvgLint } from './lib/cli';
import { useWorkbench } from './lib/mocha';
import { positionOf } from './lib/workbench';

const FILE = 'configs/half_typed.py';

describe('UI: a syntax-broken config', function () {
  this.timeout(90_000);
  const wb = useWorkbench({ name: 'broken' });

  it('reports the syntax error (MVG000) where the bracket is missing', async () => {
    const w = wb();
    await w.openFile(FILE);
    const rows = await w.problems({ source: 'mixvargenet', wait: (r) => r.some((x) => x.code === 'MVG000') });
    await w.screenshot('syntax-error');
    assert.ok(rows.every((r) => r.code === 'MVG000'), `only the syntax error in the file as written: ${rows.map((r) => r.text).join('\n')}`);
  });

  it('reports a mistake typed into an intact stage, while the syntax error stays', async () => {
    const w = wb();
    const text = w.readFile(FILE);
    await w.openFile(FILE);
    // Stage 0's head op becomes an op that does not exist.
    const at = positionOf(text, 'head_op="mixvarge_f2"', { offset: 'head_op="'.length });
    await w.goto(at);
    for (let i = 0; i < 'mixvarge_f2'.length; i++) await w.page.keyboard.press('Shift+ArrowRight');
    await w.type('mixvarge_f7');
    await w.page.keyboard.press('Escape');
    const rows = await w.problems({
      source: 'mixvargenet',
      // (it updates as the person types: wait for the state after the last keystroke)
      wait: (r) => r.some((x) => x.code === 'MVG001' && x.line === at.line && x.message.includes('mixvarge_f7')) && r.some((x) => x.code === 'MVG000'),
    });
    await w.screenshot('broken-file-intact-stage');
    const mvg001 = rows.find((r) => r.code === 'MVG001')!;
    assert.equal(mvg001.column, at.column - 1, 'the range covers the string "mixvarge_f7"');
    assert.match(mvg001.message, /mixvarge_f7/);
    // The CLI agrees on the saved file.
    await w.save();
    const cli = mvgLint(w.file(FILE));
    if (cli) {
      assert.ok(cli.some((f) => f.code === 'MVG001' && f.line === at.line), JSON.stringify(cli));
      assert.ok(cli.some((f) => f.code === 'MVG000'));
    }
  });
});
