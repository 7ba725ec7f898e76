import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configKey, emptyStore, latestForConfig, parseStore, serializeStore, STORE_VERSION } from '../../../extension/core/hat';
import { spawn, spawnSync } from 'node:child_process';
import { appendRun, LOCK_WAIT_MS, loadStore, resultsForConfig, storePathFor, updateStore, withFileLock, writeFileAtomic } from '../../../extension/core/hat/store';
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
    assert.equal((await resultsForConfig(cfg)).runs.length, 0);
    await appendRun(storePathFor(dir), configKey(path.relative(dir, cfg)), run('compile_perf', '2026-01-01T00:00:00Z', { fps: 5790.35, march: 'BAYES' }));
    const r = await resultsForConfig(cfg);
    assert.equal(r.key, 'configs/sub dir/m.py');
    assert.equal(r.latest.compile?.fps, 5790.35);
    assert.equal(r.file, storePathFor(dir));
    assert.equal(serializeStore(emptyStore()).endsWith('\n'), true);
  });

  it('two processes appending 100 runs each to one store lose none (cross-process lock)', async function () {
    this.timeout(120_000);
    const file = storePathFor(dir);
    const storeJs = path.resolve(__dirname, '../../../extension/core/hat/store.js');
    // Each writer: 100 appends one after the other, as two VS Code windows on one folder would make them.
    const writer = (who: string) => `
      const { appendRun } = require(${JSON.stringify(storeJs)});
      (async () => {
        for (let i = 0; i < 100; i++) {
          const r = await appendRun(${JSON.stringify(file)}, 'configs/m.py', { id: '${who}-' + i, stage: 'float_predict', time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), status: 'ok', source: 'run' });
          if (!r.written) { console.error(r.warning); process.exit(2); }
        }
      })();`;
    const runChild = (who: string) =>
      new Promise<number>((resolve) => {
        const c = spawn(process.execPath, ['-e', writer(who)], { stdio: ['ignore', 'ignore', 'inherit'] });
        c.on('exit', (code) => resolve(code ?? 1));
      });
    const codes = await Promise.all([runChild('a'), runChild('b')]);
    assert.deepEqual(codes, [0, 0]);
    const l = await loadStore(file);
    assert.equal(l.error, undefined);
    const ids = new Set(l.store.configs['configs/m.py'].map((r) => r.id));
    assert.equal(ids.size, 200, 'every run of both writers is in the store');
    assert.ok(!fs.existsSync(`${file}.lock`), 'the lock is released');
  });

  it('waits for a lock held by a live process, and takes over one whose process is gone', async function () {
    this.timeout(30_000);
    const file = storePathFor(dir);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Held by us (alive): the update waits until it is released.
    let release!: () => void;
    const held = withFileLock(file, () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 50));
    let done = false;
    const update = appendRun(file, 'configs/a.py', run('calibration', '2026-01-01T00:00:00Z')).then((r) => ((done = true), r));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(done, false, 'the update waits for the lock');
    release();
    await held;
    assert.equal((await update).written, true);
    // A lock left by a process that has exited (same host): taken over at once, not after LOCK_WAIT_MS.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    fs.writeFileSync(`${file}.lock`, JSON.stringify({ pid: Number(gone.stdout), host: os.hostname(), time: Date.now() }));
    const t0 = Date.now();
    const r = await appendRun(file, 'configs/a.py', run('calibration', '2026-01-02T00:00:00Z'));
    assert.equal(r.written, true);
    assert.ok(Date.now() - t0 < LOCK_WAIT_MS / 3, `took ${Date.now() - t0} ms`);
    assert.equal((await loadStore(file)).store.configs['configs/a.py'].length, 2);
  });

  it('reads the store only as a bounded regular file: a symlink to /dev/zero, a FIFO and a huge file are refused at once', async function () {
    this.timeout(20_000);
    const file = storePathFor(dir);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.symlinkSync('/dev/zero', file);
    let t0 = Date.now();
    let l = await loadStore(file);
    assert.ok(Date.now() - t0 < 1000);
    assert.match(l.error ?? '', /symbolic link/);
    assert.equal(l.readOnly, true, 'nothing is written over it');
    const w = await appendRun(file, 'configs/a.py', run('calibration', '2026-01-01T00:00:00Z'));
    assert.equal(w.written, false);
    assert.ok(fs.lstatSync(file).isSymbolicLink(), 'the link is left as it was');
    fs.rmSync(file);
    assert.equal(spawnSync('mkfifo', [file]).status, 0);
    t0 = Date.now();
    l = await loadStore(file);
    assert.ok(Date.now() - t0 < 1000, 'a FIFO with no writer does not block');
    assert.match(l.error ?? '', /not a regular file/);
    fs.rmSync(file);
    fs.writeFileSync(file, '');
    fs.truncateSync(file, 64 * 1024 * 1024);
    l = await loadStore(file);
    assert.match(l.error ?? '', /over the \d+-byte limit/);
    // Positive control: an ordinary store is read.
    fs.rmSync(file);
    await appendRun(file, 'configs/a.py', run('calibration', '2026-01-01T00:00:00Z'));
    assert.equal((await loadStore(file)).error, undefined);
  });
});
