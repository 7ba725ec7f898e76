// The measurement result cache (issue 5): a folder that outlives the process, bounded, robust to junk;
// and measure({ cacheOnly }) that answers from it without building or starting anything.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// Compiled next to measure.js (the worker is a separate entry point; see measure.test.ts).
import '../../../extension/ort/worker';
import { PerfCache } from '../../../extension/ort/cache';
import { measure, type MeasureOutcome, type PerfResult } from '../../../extension/ort/measure';
import { netOf, SMALL_CLASSIFIER } from './helpers';

const DAY = 86_400_000;

/** A well-formed result for `key` (the cache does not care where it came from). */
function result(key: string, median = 1.5): PerfResult {
  return {
    ok: true,
    latencyMs: { median, p90: median * 1.2, min: median * 0.9, max: median * 1.5, mean: median },
    fps: 1000 / median,
    batch: 1,
    threads: 1,
    runs: 3,
    warmup: 1,
    ortVersion: '1.0.0',
    graphOptimizationLevel: 'all',
    sessionMs: 10,
    device: 'CPU (test)',
    stages: [{ index: 0, share: 1, latencyMs: median, downsampleShare: 0, blocks: [] }],
    stem: null,
    head: null,
    outputs: [],
    macs: 1000,
    gmacPerSec: 1,
    modelHash: 'net-test',
    cacheKey: key,
    fromCache: false,
    measuredAt: new Date().toISOString(),
    note: 'test',
  };
}

function ok(r: MeasureOutcome): PerfResult {
  if (!r.ok) assert.fail(`measurement failed: ${r.kind}: ${r.error}\n${r.stderr ?? ''}`);
  return r;
}

function setMtime(file: string, msAgo: number): void {
  const t = new Date(Date.now() - msAgo);
  fs.utimesSync(file, t, t);
}

const entries = (dir: string) =>
  fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();

describe('PerfCache: the persistent measurement cache', function () {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-cache-test-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('an entry that is not a small regular file (a symlink to /dev/zero, a FIFO) is a miss, at once', () => {
    const dir = path.join(tmp, 'perf-cache');
    new PerfCache(dir).set('k1', result('k1'));
    assert.ok(new PerfCache(dir).get('k1'), 'positive control: the real entry is read');
    fs.rmSync(path.join(dir, 'k1.json'));
    fs.symlinkSync('/dev/zero', path.join(dir, 'k1.json'));
    const t0 = Date.now();
    assert.equal(new PerfCache(dir).get('k1'), undefined);
    fs.rmSync(path.join(dir, 'k1.json'));
    assert.equal(spawnSync('mkfifo', [path.join(dir, 'k1.json')]).status, 0);
    assert.equal(new PerfCache(dir).get('k1'), undefined);
    assert.ok(Date.now() - t0 < 1000, `took ${Date.now() - t0} ms`);
  });

  it('writes an entry that a fresh PerfCache on the same folder reads back; without a folder nothing survives', () => {
    const dir = path.join(tmp, 'perf-cache');
    const a = new PerfCache(dir);
    a.set('k1', result('k1', 2.25));
    assert.deepEqual(entries(dir), ['k1.json'], 'one file per key');
    assert.equal(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')).length, 0, 'no temp file left behind');
    const b = new PerfCache(dir);
    assert.equal(b.get('k1')?.latencyMs.median, 2.25);
    assert.equal(b.get('k2'), undefined);
    const memOnly = new PerfCache();
    memOnly.set('k1', result('k1'));
    assert.ok(memOnly.get('k1'));
    assert.equal(new PerfCache().get('k1'), undefined, 'a memory-only cache is per instance');
  });

  it('ignores corrupt, truncated, foreign and mismatched files (and never throws)', () => {
    const dir = path.join(tmp, 'c');
    fs.mkdirSync(dir);
    const good = result('good');
    fs.writeFileSync(path.join(dir, 'good.json'), JSON.stringify(good));
    fs.writeFileSync(path.join(dir, 'garbage.json'), '\u0000\u0001 not json');
    fs.writeFileSync(path.join(dir, 'truncated.json'), JSON.stringify(result('truncated')).slice(0, 40));
    fs.writeFileSync(path.join(dir, 'other.json'), JSON.stringify(result('somethingelse')));
    fs.writeFileSync(path.join(dir, 'failed.json'), JSON.stringify({ ok: false, cacheKey: 'failed', kind: 'crash' }));
    fs.writeFileSync(path.join(dir, 'nostages.json'), JSON.stringify({ ...result('nostages'), stages: undefined }));
    fs.mkdirSync(path.join(dir, 'adir.json'));
    const c = new PerfCache(dir);
    for (const k of ['garbage', 'truncated', 'other', 'failed', 'nostages', 'adir', 'missing', '../c/good', 'UPPER'])
      assert.equal(c.get(k), undefined, `${k} is a miss`);
    assert.equal(c.get('good')?.cacheKey, 'good', 'the good entry next to them is read');
    // A folder that is a file: reads miss, writes are dropped, nothing throws.
    const notADir = path.join(tmp, 'file');
    fs.writeFileSync(notADir, 'x');
    const broken = new PerfCache(notADir);
    broken.set('k', result('k'));
    assert.equal(broken.get('k')?.cacheKey, 'k', 'still a memory cache');
    assert.equal(new PerfCache(notADir).get('k'), undefined);
    assert.equal(broken.prune(), 0);
  });

  it('keeps at most maxEntries files, dropping the least recently used (a read counts as a use)', () => {
    const dir = path.join(tmp, 'p');
    const c = new PerfCache(dir, { maxEntries: 3 });
    for (let i = 0; i < 3; i++) c.set(`e${i}`, result(`e${i}`));
    // e0 oldest, e2 newest.
    for (let i = 0; i < 3; i++) setMtime(path.join(dir, `e${i}.json`), (10 - i) * 60_000);
    // Reading e0 through a fresh instance (not from memory) makes it the most recently used.
    assert.ok(new PerfCache(dir, { maxEntries: 3 }).get('e0'));
    c.set('e3', result('e3'));
    assert.deepEqual(entries(dir), ['e0.json', 'e2.json', 'e3.json'], 'e1 (least recently used) was dropped');
    c.set('e4', result('e4'));
    c.set('e5', result('e5'));
    assert.equal(entries(dir).length, 3, 'still 3');
    // Dropped from memory too: a fresh lookup of a pruned key misses.
    assert.equal(new PerfCache(dir).get('e1'), undefined);
  });

  it('drops entries unused for longer than maxAgeDays, on read and when pruning; old temp files go too', () => {
    const dir = path.join(tmp, 'a');
    const c = new PerfCache(dir, { maxAgeDays: 7 });
    c.set('fresh', result('fresh'));
    c.set('stale', result('stale'));
    c.set('stale2', result('stale2'));
    setMtime(path.join(dir, 'stale.json'), 8 * DAY);
    setMtime(path.join(dir, 'stale2.json'), 30 * DAY);
    setMtime(path.join(dir, 'fresh.json'), 6 * DAY);
    fs.writeFileSync(path.join(dir, 'x.json.1.abc.tmp'), '{');
    setMtime(path.join(dir, 'x.json.1.abc.tmp'), 2 * 3_600_000);
    fs.writeFileSync(path.join(dir, 'y.json.1.abc.tmp'), '{');
    const fresh = new PerfCache(dir, { maxAgeDays: 7 });
    assert.equal(fresh.get('stale'), undefined, 'too old: a miss');
    assert.equal(fs.existsSync(path.join(dir, 'stale.json')), false, 'and deleted');
    assert.ok(fresh.get('fresh'));
    assert.equal(fresh.prune(), 2, 'stale2 and the old temp file');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['fresh.json', 'y.json.1.abc.tmp'], 'a recent temp file may belong to a writer at work');
  });

  it('bounds the in-memory entries too', () => {
    const c = new PerfCache(undefined, { maxEntries: 2 });
    c.set('a', result('a'));
    c.set('b', result('b'));
    assert.ok(c.get('a')); // a is now the most recently used
    c.set('c', result('c'));
    assert.ok(c.get('a'));
    assert.equal(c.get('b'), undefined);
    assert.ok(c.get('c'));
  });

  it('clear() forgets memory; clear(true) also empties the folder', () => {
    const dir = path.join(tmp, 'cl');
    const c = new PerfCache(dir);
    c.set('a', result('a'));
    c.clear();
    assert.ok(c.get('a'), 'read back from the folder');
    c.clear(true);
    assert.equal(c.get('a'), undefined);
    assert.deepEqual(entries(dir), []);
  });
});

describe('measure({ cacheOnly }): a cache lookup that never starts a worker', function () {
  this.timeout(120_000);
  let tmp: string;
  let marker: string;
  let spy: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-cacheonly-test-'));
    marker = path.join(tmp, 'forked');
    // A "worker" that leaves a trace when it is started, then exits without a result.
    spy = path.join(tmp, 'spy-worker.js');
    fs.writeFileSync(spy, `require('fs').writeFileSync(${JSON.stringify(marker)}, String(process.pid)); process.exit(3);\n`);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('a miss starts nothing (positive control: the same call without cacheOnly does fork the worker)', async () => {
    const net = netOf(SMALL_CLASSIFIER);
    const cache = new PerfCache(path.join(tmp, 'empty'));
    const phases: string[] = [];
    const r = await measure(net, { threads: 1, workerPath: spy, cache, cacheOnly: true, onProgress: (p) => phases.push(p.phase) });
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.kind, 'miss');
    assert.deepEqual(phases, [], 'not even a build');
    assert.equal(fs.existsSync(marker), false, 'the worker was not started');
    // Also with a worker path that does not exist: the lookup needs none.
    const r2 = await measure(net, { threads: 1, workerPath: path.join(tmp, 'nope.js'), cache, cacheOnly: true });
    assert.equal(!r2.ok && r2.kind, 'miss');

    const control = await measure(net, { threads: 1, workerPath: spy, cache, timeoutMs: 30_000 });
    assert.equal(!control.ok && control.kind, 'crash');
    assert.ok(fs.existsSync(marker), 'without cacheOnly the spy worker runs');
    assert.ok(!fs.existsSync(path.join(tmp, 'empty')) || entries(path.join(tmp, 'empty')).length === 0, 'a failure is not cached');
    fs.rmSync(marker);
  });

  it('a measurement written by one cache is found by cacheOnly in a fresh cache on the same folder, with no fork', async () => {
    fs.rmSync(marker, { force: true });
    const dir = path.join(tmp, 'shared');
    const opts = { runs: 2, warmup: 0, threads: 1, profileRuns: 1 };
    const first = ok(await measure(netOf(SMALL_CLASSIFIER), { ...opts, cache: new PerfCache(dir) }));
    assert.equal(first.fromCache, false);
    assert.deepEqual(entries(dir), [`${first.cacheKey}.json`]);

    // "Next session": a new cache object, a re-analysed network, a worker that would leave a trace.
    const phases: string[] = [];
    const again = ok(
      await measure(netOf(SMALL_CLASSIFIER), { ...opts, cache: new PerfCache(dir), cacheOnly: true, workerPath: spy, onProgress: (p) => phases.push(p.phase) }),
    );
    assert.equal(again.fromCache, true);
    assert.equal(again.measuredAt, first.measuredAt, 'the original measurement time');
    assert.deepEqual(again.latencyMs, first.latencyMs);
    assert.deepEqual(again.stages, first.stages);
    assert.deepEqual(phases, ['cache']);
    assert.equal(fs.existsSync(marker), false, 'no worker was started');

    // Other settings or another network: a miss.
    const otherThreads = await measure(netOf(SMALL_CLASSIFIER), { ...opts, threads: 2, cache: new PerfCache(dir), cacheOnly: true, workerPath: spy });
    assert.equal(!otherThreads.ok && otherThreads.kind, 'miss');
    const otherNet = await measure(netOf(SMALL_CLASSIFIER.replace('num_classes=10', 'num_classes=11')), { ...opts, cache: new PerfCache(dir), cacheOnly: true, workerPath: spy });
    assert.equal(!otherNet.ok && otherNet.kind, 'miss');

    // A corrupted entry is a miss, not an error.
    fs.writeFileSync(path.join(dir, `${first.cacheKey}.json`), '{"ok": true, "cacheKey": ');
    const corrupt = await measure(netOf(SMALL_CLASSIFIER), { ...opts, cache: new PerfCache(dir), cacheOnly: true, workerPath: spy });
    assert.equal(!corrupt.ok && corrupt.kind, 'miss');
    assert.equal(fs.existsSync(marker), false);
  });
});
