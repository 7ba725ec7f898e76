// int8 beside fp32 as a person meets it in the real workbench (issue 15): with "mixvargenet.perf.precision": "both"
// in the workspace settings, saving the seed config measures it (measureOnSave) and every stage line shows both
// times, `· 0.41 ms fp32 · 0.23 ms int8`.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { useWorkbench } from './lib/mocha';
import { EXAMPLES } from './lib/paths';
import { editAndSave, perfDecorations } from './lib/perf';
import type { ServerOptions } from './lib/server';
import { until } from './lib/workbench';

describe('UI: int8 beside fp32 on every stage line', function () {
  this.timeout(240_000);
  const opts: ServerOptions = { name: 'perf-int8' };
  before(() => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-ui-int8-ws-'));
    fs.cpSync(EXAMPLES, dir, { recursive: true });
    fs.mkdirSync(path.join(dir, '.vscode'));
    const settings = { 'mixvargenet.perf.measureOnSave': true, 'mixvargenet.perf.threads': 1, 'mixvargenet.perf.precision': 'both' };
    fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
    opts.workspaceSource = dir;
  });
  after(() => opts.workspaceSource && fs.rmSync(opts.workspaceSource, { recursive: true, force: true }));
  const wb = useWorkbench(opts);

  it('saving the seed config shows "· N ms fp32 · M ms int8" after each of its 5 stages', async () => {
    const w = wb();
    await w.openFile('configs/mixvargenet_imagenet.py');
    await until('the status-bar summary', async () => (await w.page.locator('.part.statusbar').innerText()).match(/2\.31\s*M/), 30_000);
    assert.deepEqual(await perfDecorations(w), [], 'nothing measured before the save');
    await editAndSave(w);
    const done = await until(
      'both times on the 5 stage lines',
      async () => {
        const d = await perfDecorations(w);
        return d.length === 5 && d.every((x) => /^\s*· \d+\.\d+ ms fp32 · \d+\.\d+ ms int8$/.test(x)) ? d : undefined;
      },
      180_000,
      250,
    );
    await w.screenshot('int8-beside-fp32');
    assert.equal(done.length, 5);
  });
});
