// Compare Configs and the configs view in the real VS Code: the view's items (params/MACs as PyTorch counts them,
// findings icon, results from the store, live edits), and the compare webview's rows and Pareto frontier.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, closeAll, EXTENSION_ID, open, readWs, until, withSettings, wsUri } from './lib/ext';
import type { ConfigItemState } from '../../../extension/features/compare/configsView';
import type { CompareState } from '../../../extension/features/compare/panel';

type Item = ConfigItemState;

const items = () => vscode.commands.executeCommand<Item[]>('mixvargenet._configsViewState');
const compareState = () => vscode.commands.executeCommand<CompareState>('mixvargenet._compareState');
const itemOf = (all: Item[], rel: string) => all.find((i) => i.uri === wsUri(rel).toString());

/** Expected params/MACs: the PyTorch reference fixtures (test/fixtures/expected), not our own output. */
function expected(name: string): { params: number; macs: number } {
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  return JSON.parse(fs.readFileSync(path.join(ext.extensionPath, 'test', 'fixtures', 'expected', `${name}.json`), 'utf8')) as { params: number; macs: number };
}

describe('compare: the configs view and Compare Configs', function () {
  this.timeout(60_000);
  const storeDir = () => wsUri('.mixvargenet').fsPath;
  const storeFile = () => path.join(storeDir(), 'results.json');
  let savedStore: string | undefined;

  before(async () => {
    await api();
    // No CPU latency measured by earlier tests: the scatter's default axes are then params against MACs.
    await vscode.commands.executeCommand('mixvargenet._perfCache', { newSession: true, clearDisk: true });
    savedStore = fs.existsSync(storeFile()) ? fs.readFileSync(storeFile(), 'utf8') : undefined;
  });
  after(async () => {
    if (savedStore !== undefined) fs.writeFileSync(storeFile(), savedStore);
    else fs.rmSync(storeFile(), { force: true });
    await closeAll();
  });

  it('the view lists each config with params · MACs, its findings as the icon, and no HAT results yet', async () => {
    const all = await until(async () => {
      const x = await items();
      return x.length >= 5 && x;
    }, 'the configs view to list the example configs');
    // Hand conversion of the fixtures' exact counts: 2,310,744 → 2.31M; 1,033,746,432 → 1.03 GMAC.
    const want = expected('mixvargenet_imagenet');
    assert.equal(want.params, 2310744);
    assert.equal(want.macs, 1033746432);
    const seed = itemOf(all, 'configs/mixvargenet_imagenet.py');
    assert.ok(seed, JSON.stringify(all.map((i) => i.uri)));
    assert.equal(seed.label, 'mixvargenet_imagenet.py');
    assert.equal(seed.description, '2.31M params · 1.03 GMAC');
    assert.equal(seed.icon, 'pass');
    assert.match(seed.tooltip, /No HAT results yet/);
    assert.match(seed.tooltip, /No problems found/);
    // 2,706,264 params, 1,089,592,320 MACs; one J5 design hint (MVG203).
    const fusion = itemOf(all, 'configs/mixvargenet_fusion.py')!;
    assert.equal(fusion.description, '2.71M params · 1.09 GMAC');
    assert.equal(fusion.icon, 'lightbulb');
    assert.match(fusion.tooltip, /0 errors, 0 warnings, 1 hint/);
    const mistakes = itemOf(all, 'configs/mistakes.py')!;
    assert.equal(mistakes.icon, 'error');
    // Not a config: not listed.
    assert.ok(all.every((i) => i.uri.endsWith('.py')));
    assert.ok(all.every((i) => i.contextValue.startsWith('mixvargenet.config')));
  });

  it('a results store written on disk shows in the tooltip; an edit in an editor changes the item before it is saved', async () => {
    fs.mkdirSync(storeDir(), { recursive: true });
    const store = {
      version: 1,
      configs: {
        'configs/mixvargenet_fusion.py': [
          { id: 'a', stage: 'calibration', time: '2026-01-01T00:00:00Z', status: 'ok', source: 'run', accuracy: 0.7066 },
          { id: 'b', stage: 'compile_perf', time: '2026-01-02T00:00:00Z', status: 'ok', source: 'run', fps: 5790, latencyMs: 0.52 },
          { id: 'c', stage: 'float_predict', time: '2026-01-03T00:00:00Z', status: 'failed', source: 'run' },
        ],
      },
    };
    fs.writeFileSync(storeFile(), JSON.stringify(store));
    const fusion = await until(async () => {
      const it = itemOf(await items(), 'configs/mixvargenet_fusion.py');
      return it && /calibration 70\.66%/.test(it.tooltip) && it;
    }, 'the stored accuracy in the tooltip', 20_000);
    assert.match(fusion.tooltip, /J5: 5790 FPS · 0\.52 ms \(compile_perf\)/);
    assert.match(fusion.description, /last run failed/);
    assert.match(fusion.tooltip, /Its last HAT run failed/);

    // An unsaved edit: the last stage 160 → 192 channels wide has more params (the item follows the editor).
    const seedText = await readWs('configs/mixvargenet_imagenet.py');
    const { doc, editor } = await open({ content: seedText });
    const rel = vscode.workspace.asRelativePath(doc.uri);
    const first = await until(async () => itemOf(await items(), rel), 'the new scratch config in the view', 20_000);
    assert.equal(first.description, '2.31M params · 1.03 GMAC');
    const needle = 'in_channels=96, out_channels=160';
    const at = seedText.indexOf(needle);
    assert.ok(at > 0);
    await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(at), doc.positionAt(at + needle.length)), 'in_channels=96, out_channels=192'));
    const changed = await until(async () => {
      const it = itemOf(await items(), rel);
      return it && it.description !== first.description && it;
    }, 'the edited config to show its new size', 20_000);
    const m = /^([\d.]+)M params · ([\d.]+) GMAC$/.exec(changed.description);
    assert.ok(m, changed.description);
    assert.ok(Number(m[1]) > 2.31, changed.description);
    assert.ok(doc.isDirty, 'the edit is not saved');

    // The store removed: the results go again.
    fs.rmSync(storeFile(), { force: true });
    await until(async () => {
      const it = itemOf(await items(), 'configs/mixvargenet_fusion.py');
      return it && /No HAT results yet/.test(it.tooltip);
    }, 'the results to go with the store', 20_000);
  });

  it('a HAT run on a config shows as running in the view, then its result', async function () {
    if (!vscode.workspace.isTrusted) this.skip();
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const scripts = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-cmp-hat-'));
    fs.cpSync(path.join(ext.extensionPath, 'test', 'fixtures', 'hat-scripts'), scripts, { recursive: true });
    try {
      const { doc } = await open({ content: await readWs('configs/mixvargenet_imagenet.py') });
      const rel = vscode.workspace.asRelativePath(doc.uri);
      await until(async () => itemOf(await items(), rel), 'the scratch config in the view', 20_000);
      const py = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
      const slow = { HAT_DOUBLE_ACCURACY: '0.6543', HAT_DOUBLE_STEPS: '30', HAT_DOUBLE_STEP_SECONDS: '0.1' };
      await withSettings({ 'hat.scriptsDir': scripts, 'hat.python': py, 'hat.stages': { calibration: { env: slow } } }, async () => {
        const outcome = vscode.commands.executeCommand<{ ok: boolean; error?: string }>('mixvargenet.hat.runCalibration', { uri: doc.uri.toString(), silent: true });
        const running = await until(async () => {
          const it = itemOf(await items(), rel);
          return it && /running…/.test(it.description) && it;
        }, 'the item to say running', 20_000);
        assert.equal(running.icon, 'sync~spin');
        assert.equal(running.contextValue, 'mixvargenet.config.running');
        const done = await outcome;
        assert.equal(done.ok, true, done.error);
        const after = await until(async () => {
          const it = itemOf(await items(), rel);
          return it && !/running/.test(it.description) && /calibration 65\.43%/.test(it.tooltip) && it;
        }, 'the item to show the run\'s accuracy', 20_000);
        assert.equal(after.icon, 'pass');
      });
    } finally {
      fs.rmSync(scripts, { recursive: true, force: true });
    }
  });

  it('Compare Configs on an Explorer selection: those rows, drawn with params against MACs and the Pareto frontier', async () => {
    const rels = ['configs/mixvargenet_imagenet.py', 'configs/mixvargenet_fusion.py', 'configs/mixvargenet_backbone_only.py', 'configs/mixvargenet_expressions.py'];
    const uris = rels.map(wsUri);
    await vscode.commands.executeCommand('mixvargenet.compareConfigs', uris[0], uris);
    const st = await until(async () => {
      const s = await compareState();
      return s.rendered && s.rendered.rows === 4 && s;
    }, 'the compare view to draw four rows', 30_000);
    assert.deepEqual([...st.rows].sort(), [...rels].sort());
    const r = st.rendered!;
    assert.equal(r.x, 'params');
    assert.equal(r.y, 'macs');
    assert.equal(r.points, 4);
    // Minimising both, from the fixtures: backbone_only has the fewest params (1,668,880); the seed (2,310,744 params,
    // 1,033,746,432 MACs) has the fewest MACs and beats expressions (2,372,664 / 1,045,788,672) and fusion
    // (2,706,264 / 1,089,592,320) on both.
    for (const n of ['mixvargenet_imagenet', 'mixvargenet_fusion', 'mixvargenet_backbone_only', 'mixvargenet_expressions']) assert.ok(expected(n).params > 0);
    assert.deepEqual([...r.frontier].sort(), [wsUri('configs/mixvargenet_backbone_only.py').toString(), wsUri('configs/mixvargenet_imagenet.py').toString()].sort());
    // Only the columns that differ: params, MACs, activations and hints (fusion's one MVG203); nothing was measured or
    // run (no latency, accuracy, FPS), and none has errors or warnings.
    assert.deepEqual(r.columns, ['params', 'macs', 'activationBytes', 'hints']);
    assert.ok(r.drawMs >= 0);
  });

  it('results arriving in the store switch the scatter to accuracy against FPS, with its own frontier', async () => {
    fs.mkdirSync(storeDir(), { recursive: true });
    const runs = (acc: number, fps: number) => [
      { id: 'a', stage: 'calibration', time: '2026-01-01T00:00:00Z', status: 'ok', source: 'run', accuracy: acc },
      { id: 'b', stage: 'compile_perf', time: '2026-01-02T00:00:00Z', status: 'ok', source: 'run', fps },
    ];
    const store = {
      version: 1,
      configs: {
        'configs/mixvargenet_imagenet.py': runs(0.7, 5000),
        'configs/mixvargenet_fusion.py': runs(0.7066, 5790),
        'configs/mixvargenet_backbone_only.py': runs(0.72, 3000),
      },
    };
    fs.writeFileSync(storeFile(), JSON.stringify(store));
    const st = await until(async () => {
      const s = await compareState();
      return s.rendered && s.rendered.x === 'fps' && s.rendered.points === 3 && s;
    }, 'the compare view to plot accuracy against FPS', 30_000);
    const r = st.rendered!;
    assert.equal(r.y, 'accCalibration');
    // Maximising both: fusion (5790 FPS, 70.66%) beats the seed (5000, 70.00%) on both; backbone_only has the best
    // accuracy (72.00%). expressions has no results: in the table, not on the plot.
    assert.deepEqual([...r.frontier].sort(), [wsUri('configs/mixvargenet_backbone_only.py').toString(), wsUri('configs/mixvargenet_fusion.py').toString()].sort());
    assert.equal(r.rows, 4);
    assert.ok(r.columns.includes('accCalibration') && r.columns.includes('fps'), r.columns.join(','));
  });
});
