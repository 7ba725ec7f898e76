// Measured latency survives a new session: results go to a cache folder in the extension's global storage, and
// opening a config looks its network up there (never measuring) and shows the cached times.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, closeAll, open, until } from './lib/ext';

interface PerfState {
  measuring: boolean;
  stages: { stage: number; line: number; character: number; text: string; hover: string }[];
  medianMs: number | null;
  error?: string;
  fromCache: boolean | null;
  measuredAt: string | null;
  workersStarted: number;
}

const FILE = 'configs/mixvargenet_imagenet.py';
const state = (uri: vscode.Uri) => vscode.commands.executeCommand<PerfState>('mixvargenet._perfState', uri.toString());
const cacheCmd = (args: { newSession?: boolean; clearDisk?: boolean }) =>
  vscode.commands.executeCommand<{ dir: string | null; entries: number }>('mixvargenet._perfCache', args);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('perf: the result cache across sessions', function () {
  this.timeout(180_000);
  // Leave no cached measurement behind for the suites that expect a fresh start.
  const reset = async () => {
    await api(); // activated: its internal commands exist
    await closeAll();
    await cacheCmd({ newSession: true, clearDisk: true });
  };
  before(reset);
  after(reset);

  it('a measured config reopened in a "new session" shows the cached times without measuring; with an empty cache it shows nothing', async function () {
    const a = await api();
    let { doc } = await open(FILE);
    await a.whenAnalyzed(doc);
    if (!vscode.workspace.isTrusted) this.skip();

    // Measure with the settings a plain "Measure Latency" uses (the lookup on open uses the same ones).
    const r = await vscode.commands.executeCommand<{ ok: boolean; fromCache?: boolean; cacheKey?: string; measuredAt?: string; error?: string }>('mixvargenet.measureLatency', {
      uri: doc.uri.toString(),
      silent: true,
    });
    assert.equal(r.ok, true, `measurement failed: ${r.error}`);
    assert.equal(r.fromCache, false, 'the cache was emptied first');
    const measured = await state(doc.uri);
    assert.equal(measured.stages.length, 5);
    assert.equal(measured.fromCache, false);
    assert.ok(measured.workersStarted >= 1, 'the measurement started a timing worker');
    const workers = measured.workersStarted;

    // On disk, in the extension's global storage.
    const { dir, entries } = await cacheCmd({});
    assert.ok(dir && path.basename(dir) === 'perf-cache', `cache folder: ${dir}`);
    assert.ok(fs.existsSync(path.join(dir, `${r.cacheKey}.json`)), 'the result was written to the cache folder');
    assert.ok(entries >= 1);

    // "New session": close the file, forget every measurement and the in-memory cache; reopen.
    await closeAll();
    await cacheCmd({ newSession: true });
    ({ doc } = await open(FILE));
    await a.whenAnalyzed(doc);
    const restored = await until(
      async () => {
        const s = await state(doc.uri);
        return s.stages.length === 5 ? s : undefined;
      },
      'the cached times on the stage lines',
    );
    assert.equal(restored.fromCache, true, 'restored from the cache');
    assert.equal(restored.measuring, false);
    assert.equal(restored.workersStarted, workers, 'no timing worker was started');
    assert.equal(restored.measuredAt, r.measuredAt, 'the original measurement time');
    assert.deepEqual(
      restored.stages.map((s) => [s.line, s.text]),
      measured.stages.map((s) => [s.line, s.text]),
      'the same times on the same lines',
    );
    for (const s of restored.stages) {
      assert.match(s.hover, /from the result cache/);
      assert.match(s.hover, /measured \d{4}-\d\d-\d\d \d\d:\d\d/);
      assert.match(s.hover, /not J5/);
    }

    // Negative control: a new session with an empty cache folder shows nothing, and measures nothing by itself.
    await closeAll();
    await cacheCmd({ newSession: true, clearDisk: true });
    ({ doc } = await open(FILE));
    await a.whenAnalyzed(doc);
    await sleep(1500);
    const empty = await state(doc.uri);
    assert.deepEqual(empty.stages, [], 'nothing to show');
    assert.equal(empty.fromCache, null);
    assert.equal(empty.workersStarted, workers, 'opening a config never measures');
  });
});
