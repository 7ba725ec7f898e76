import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configKey, emptyStore, latestForConfig, parseStore, serializeStore, STORE_VERSION } from '../../../extension/core/hat';
import { appendRun, loadStore, resultsForConfigSync, storePathFor, updateStore, writeFileAtomic } from '../../../extension/core/hat/store';
import { run } from './helpers';

describe('hat: results store on disk', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-store-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes atomically: no temporary file left, and a reader never sees a half-written file', async () => {
    const file = path.join(dir, 'sub', 'r.json');
    const big = 'x'.repeat(2_000_000);
    let sawPartial = false;
    const watcher = setInterval(() => {
      try {
        const t = fs.readFileSync(file, 'utf8');
        if (t !== 'first' && t !== big) sawPartial = true;
      } catch {
        /* not there yet */
      }
    }, 1);
    await writeFileAtomic(file, 'first');
    for (let i = 0; i < 5; i++) {
      await writeFileAtomic(file, big);
      await writeFileAtomic(file, 'first');
    }
    clearInterval(watcher);
    assert.equal(sawPartial, false);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['r.json']);
  });

  it('a failed write leaves the old file as it was and no temporary file', async () => {
    const file = path.join(dir, 'r.json');
    fs.writeFileSync(file, 'old');
    fs.mkdirSync(path.join(dir, 'blocker'));
    // Renaming a file over a directory fails: the write must not lose the target.
    await assert.rejects(writeFileAtomic(path.join(dir, 'blocker'), 'new'));
    assert.deepEqual(fs.readdirSync(dir).sort(), ['blocker', 'r.json']);
    assert.equal(fs.readFileSync(file, 'utf8'), 'old');
  });

  it('appends runs; parallel appends in one process all survive', async () => {
    const file = storePathFor(dir);
    await Promise.all(Array.from({ length: 20 }, (_, i) => appendRun(file, 'configs/a.py', run('float_predict', new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(), { id: `r${i}`, accuracy: 0.7 + i / 1000 }))));
    const l = await loadStore(file);
    assert.equal(l.error, undefined);
    assert.equal(l.store.configs['configs/a.py'].length, 20);
    assert.equal(latestForConfig(l.store, 'configs/a.py').float?.accuracy, 0.719);
    const text = fs.readFileSync(file, 'utf8');
    assert.equal(JSON.parse(text).version, STORE_VERSION);
  });

  it('a corrupt store is not lost: kept aside byte for byte, named in the warning, and a new store started', async () => {
    const file = storePathFor(dir);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const garbage = '{"version": 1, "configs": {"a": [ CUT OFF';
    fs.writeFileSync(file, garbage);
    const l = await loadStore(file);
    assert.match(l.error ?? '', /not valid JSON/);
    assert.equal(fs.readFileSync(file, 'utf8'), garbage, 'loading does not touch it');
    const u = await appendRun(file, 'a', run('calibration', '2026-01-01T00:00:00Z', { accuracy: 0.7066 }));
    assert.ok(u.written);
    assert.ok(u.backup && fs.existsSync(u.backup));
    assert.equal(fs.readFileSync(u.backup!, 'utf8'), garbage);
    assert.match(u.warning ?? '', /not valid JSON/);
    assert.ok(u.warning!.includes(u.backup!), 'the message names where it was kept');
    const after = parseStore(fs.readFileSync(file, 'utf8'));
    assert.ok(after.ok && after.store.configs.a.length === 1);
  });

  it('a store from a newer version is never written over', async () => {
    const file = storePathFor(dir);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const text = JSON.stringify({ version: STORE_VERSION + 1, configs: { a: [] }, future: true });
    fs.writeFileSync(file, text);
    const u = await updateStore(file, (s) => s);
    assert.equal(u.written, false);
    assert.match(u.warning ?? '', /newer version/);
    assert.equal(fs.readFileSync(file, 'utf8'), text);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['results.json']);
  });

  it('finds a config\'s results from its path (what the graph panel and mvg results use)', async () => {
    const cfg = path.join(dir, 'configs', 'sub dir', 'm.py');
    fs.mkdirSync(path.dirname(cfg), { recursive: true });
    fs.writeFileSync(cfg, 'task_name = "m"\n');
    assert.equal(resultsForConfigSync(cfg).runs.length, 0);
    await appendRun(storePathFor(dir), configKey(path.relative(dir, cfg)), run('compile_perf', '2026-01-01T00:00:00Z', { fps: 5790.35, march: 'BAYES' }));
    const r = resultsForConfigSync(cfg);
    assert.equal(r.key, 'configs/sub dir/m.py');
    assert.equal(r.latest.compile?.fps, 5790.35);
    assert.equal(r.file, storePathFor(dir));
    assert.equal(serializeStore(emptyStore()).endsWith('\n'), true);
  });
});
