// A hostile repository opened in Restricted Mode (issue 12), in the real workbench, as a person meets it.
//
// The workspace is a copy of examples/ whose .vscode/settings.json points mixvargenet.extraOpsFile at /dev/zero and
// whose .mixvargenet/results.json (the HAT results store the graph preview and the inline results read) is a symlink
// to /dev/zero. Read naively, either one never ends and grows without bound on the extension host's thread.
// What must hold: the window stays responsive (the config is analysed, a hover answers, the graph preview draws its
// stages), the workspace's extraOpsFile is ignored (a restricted setting: no problem about it anywhere), and the
// results store is refused, not read (no HAT results in the preview's header), without an error notification.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { useWorkbench } from './lib/mocha';
import { EXAMPLES } from './lib/paths';
import { positionOf, until } from './lib/workbench';

const FILE = 'configs/mixvargenet_imagenet.py';

function hostileWorkspace(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-ui-hostile-'));
  const ws = path.join(root, 'ws');
  fs.cpSync(EXAMPLES, ws, { recursive: true });
  fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), JSON.stringify({ 'mixvargenet.extraOpsFile': '/dev/zero' }, null, 2));
  fs.mkdirSync(path.join(ws, '.mixvargenet'), { recursive: true });
  fs.symlinkSync('/dev/zero', path.join(ws, '.mixvargenet', 'results.json'));
  return ws;
}

describe('UI: a hostile workspace in Restricted Mode (extraOpsFile → /dev/zero, results.json → /dev/zero)', function () {
  this.timeout(180_000);
  const opts: { name: string; trust: boolean; workspaceSource?: string } = { name: 'hostile-restricted', trust: false };
  let ws = '';
  before(() => {
    ws = hostileWorkspace();
    opts.workspaceSource = ws;
  });
  after(() => ws && fs.rmSync(path.dirname(ws), { recursive: true, force: true }));
  const wb = useWorkbench(opts);
  const frame = (): FrameLocator => wb().page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');

  it('the copy keeps its traps (the server copies the workspace: the symlink must survive)', () => {
    const w = wb();
    const link = w.file('.mixvargenet/results.json');
    assert.ok(fs.lstatSync(link).isSymbolicLink(), 'results.json is still a symlink in the served copy');
    assert.equal(fs.readlinkSync(link), '/dev/zero');
    assert.match(fs.readFileSync(w.file('.vscode/settings.json'), 'utf8'), /"\/dev\/zero"/);
  });

  it('the config is analysed, a hover answers, and nothing about the ops file shows', async () => {
    const w = wb();
    await until('the Restricted Mode indicator', async () => (await w.page.locator('.monaco-workbench').innerText()).match(/Restricted Mode/), 30_000);
    await w.openFile(FILE);
    await until('the status-bar summary', async () => (await w.page.locator('.part.statusbar').innerText()).match(/2\.31\s*M/), 30_000);
    const text = fs.readFileSync(w.file(FILE), 'utf8');
    const t0 = Date.now();
    const hover = await w.hover(positionOf(text, 'mixvarge_f4', { offset: 3 }), { contains: 'mixvarge_f4' });
    console.log(`      (hover in ${Date.now() - t0} ms)`);
    assert.match(hover, /J5 toolkit/);
    const rows = await w.problems({ timeoutMs: 10_000 }).catch(() => []);
    assert.ok(!rows.some((r) => /zero|ops file|extra ops|not valid JSON/i.test(`${r.text} ${r.message}`)), JSON.stringify(rows));
    const notes = await w.page.locator('.notification-toast .notification-list-item-message').allInnerTexts();
    assert.ok(!notes.some((n) => /zero|results\.json|cannot be read/i.test(n)), JSON.stringify(notes));
  });

  it('the graph preview draws the network; the results store is refused, not read', async () => {
    const w = wb();
    const t0 = Date.now();
    await w.command('MixVarGENet: Open Graph Preview');
    const f = frame();
    await f.locator('svg#graph g.node.kind-stage').first().waitFor({ state: 'visible', timeout: 30_000 });
    console.log(`      (preview drawn in ${Date.now() - t0} ms)`);
    assert.equal(await f.locator('svg#graph g.node.kind-stage').count(), 5);
    const header = await f.locator('header#header').innerText();
    assert.doesNotMatch(header, /calib|float \d|FPS/, 'no HAT results came from /dev/zero');
    await w.screenshot('hostile-restricted-preview');
    // Still responsive afterwards: the palette opens and runs a command.
    const t1 = Date.now();
    await w.command('View: Close All Editors');
    assert.ok(Date.now() - t1 < 10_000, `the palette took ${Date.now() - t1} ms`);
  });
});
