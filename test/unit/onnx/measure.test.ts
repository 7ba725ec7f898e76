import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
// The worker is a separate entry point (a child process runs it); importing it here only makes tsc
// compile it next to measure.js. It does nothing unless it is the main module.
import '../../../extension/ort/worker';
import { buildOnnx } from '../../../extension/core/onnx/build';
import { PerfCache } from '../../../extension/ort/cache';
import { exportOnnx, measure, type MeasureOutcome, type PerfResult } from '../../../extension/ort/measure';
import { BACKBONE_FUSION, example, netOf, ROOT, SMALL_CLASSIFIER } from './helpers';

function ok(r: MeasureOutcome): PerfResult {
  if (!r.ok) assert.fail(`measurement failed: ${r.kind}: ${r.error}\n${r.stderr ?? ''}`);
  return r;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const ORT_VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/onnxruntime-node/package.json'), 'utf8')) as { version: string }).version;

describe('measure() with onnxruntime-node in a child process', function () {
  this.timeout(180_000);
  const small = netOf(SMALL_CLASSIFIER);
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-measure-test-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('times the seed config (runs=3): finite 1x1000 logits, latencies, per-stage shares that add up', async () => {
    const seed = netOf(example('mixvargenet_imagenet.py'));
    const r = ok(await measure(seed, { runs: 3, warmup: 1, threads: 1, profileRuns: 2, cache: false }));
    assert.equal(r.outputs.length, 1);
    assert.deepEqual(r.outputs[0].dims, [1, 1000]);
    assert.ok(r.outputs[0].finite);
    assert.ok(r.outputs[0].max > r.outputs[0].min, 'logits are not constant');
    assert.ok(r.latencyMs.min > 0 && r.latencyMs.min <= r.latencyMs.median && r.latencyMs.median <= r.latencyMs.p90);
    assert.ok(Math.abs(r.fps - 1000 / r.latencyMs.median) < 1e-9);
    assert.equal(r.ortVersion, ORT_VERSION);
    assert.equal(r.threads, 1);
    assert.equal(r.batch, 1);
    assert.equal(r.graphOptimizationLevel, 'all');
    assert.equal(r.macs, 1_033_746_432);
    assert.equal(r.stages.length, 5);
    const shares = r.stem!.share + r.stages.reduce((a, s) => a + s.share, 0) + r.head!.share;
    assert.ok(Math.abs(shares - 1) < 1e-9, `shares add up to ${shares}`);
    for (const s of r.stages) assert.ok(s.share > 0, `stage ${s.index} has time`);
    // Stage 0..3 carry ≥ 94% of the MACs; they should carry most of the time too.
    assert.ok(r.stages.slice(0, 4).reduce((a, s) => a + s.share, 0) > 0.5);
    assert.ok(r.nodes && r.nodes.length > 20);
  });

  it('times a backbone-only model at batch 2: one finite output per output_list stage', async () => {
    const net = netOf(BACKBONE_FUSION);
    const r = ok(await measure(net, { batch: 2, runs: 3, warmup: 1, threads: 1, profile: false, cache: false }));
    assert.deepEqual(
      r.outputs.map((o) => [o.name, o.dims]),
      [
        ['stage2.output', [2, 32, 16, 16]],
        ['stage4.output', [2, 64, 4, 4]],
      ],
    );
    assert.ok(r.outputs.every((o) => o.finite && o.max > 0));
    assert.equal(r.stages.length, 0);
    assert.equal(r.stem, null);
    assert.ok(Math.abs(r.fps - 2000 / r.latencyMs.median) < 1e-9);
  });

  it('equal outputs for two builds of the same config; another weight seed gives others', async () => {
    const opts = { runs: 1, warmup: 0, threads: 1, profile: false, cache: false as const, returnOutputs: true, graphOptimizationLevel: 'basic' as const };
    const a = ok(await measure(netOf(SMALL_CLASSIFIER), opts));
    const b = ok(await measure(netOf(SMALL_CLASSIFIER), opts));
    assert.deepEqual(a.outputs[0].values, b.outputs[0].values);
    assert.equal(a.outputs[0].values!.length, 10);
    const c = ok(await measure(netOf(SMALL_CLASSIFIER), { ...opts, seed: 99 }));
    assert.notDeepEqual(c.outputs[0].values, a.outputs[0].values);
  });

  it('serves a repeated measurement from the cache (memory, then a cache folder in a new cache)', async () => {
    const dir = path.join(tmp, 'cache');
    const cache = new PerfCache(dir);
    const opts = { runs: 2, warmup: 0, threads: 1, profile: false, cache };
    const first = ok(await measure(small, opts));
    assert.equal(first.fromCache, false);
    const again = ok(await measure(netOf(SMALL_CLASSIFIER), opts));
    assert.equal(again.fromCache, true);
    assert.deepEqual(again.latencyMs, first.latencyMs);
    const reopened = ok(await measure(small, { ...opts, cache: new PerfCache(dir) }));
    assert.equal(reopened.fromCache, true);
    assert.equal(reopened.cacheKey, first.cacheKey);
    // Different settings are a different key.
    const other = ok(await measure(small, { ...opts, runs: 3 }));
    assert.equal(other.fromCache, false);
    assert.notEqual(other.cacheKey, first.cacheKey);
  });

  it('times ONNX bytes too (symbolic batch filled in from the batch option)', async () => {
    const r = ok(await measure(buildOnnx(small), { batch: 3, runs: 2, warmup: 0, threads: 1, cache: false, profileRuns: 1 }));
    assert.deepEqual(r.outputs[0].dims, [3, 10]);
    assert.equal(r.stages.length, 4);
    assert.ok(r.head);
  });

  it('the worker encodes the same bytes as buildOnnx (measure saveOnnxTo, exportOnnx)', async () => {
    const saved = path.join(tmp, 'measured.onnx');
    ok(await measure(small, { batch: 2, runs: 1, warmup: 0, threads: 1, profile: false, cache: false, saveOnnxTo: saved }));
    assert.ok(fs.readFileSync(saved).equals(Buffer.from(buildOnnx(small, { batch: 2 }))));
    const exported = path.join(tmp, 'exported.onnx');
    const e = await exportOnnx(small, exported);
    assert.ok(e.ok, !e.ok ? e.error : '');
    assert.ok(fs.readFileSync(exported).equals(Buffer.from(buildOnnx(small))));
    const bad = await exportOnnx(netOf(SMALL_CLASSIFIER.replace('head_op="mixvarge_f4"', 'head_op="mixvarge_f5"')), exported);
    assert.equal(!bad.ok && bad.kind, 'invalid');
  });

  it('abort kills the worker and reports "aborted"', async () => {
    const ac = new AbortController();
    let pid: number | undefined;
    const r = await measure(
      small,
      {
        runs: 1_000_000,
        warmup: 0,
        threads: 1,
        profile: false,
        cache: false,
        onProgress: (p) => {
          if (p.phase === 'spawned') pid = p.pid;
          if (p.phase === 'timing') ac.abort();
        },
      },
      ac.signal,
    );
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.kind, 'aborted');
    assert.ok(pid, 'the worker was started');
    assert.equal(alive(pid!), false, 'the worker process is gone');
  });

  it('an already aborted signal starts nothing', async () => {
    const ac = new AbortController();
    ac.abort();
    let spawned = false;
    const r = await measure(small, { onProgress: (p) => (spawned ||= p.phase === 'spawned') }, ac.signal);
    assert.equal(!r.ok && r.kind, 'aborted');
    assert.equal(spawned, false);
  });

  it('a hung worker is killed at the timeout', async () => {
    const hang = path.join(tmp, 'hang.js');
    fs.writeFileSync(hang, 'process.on("message", () => {}); setInterval(() => {}, 1000);\n');
    let pid: number | undefined;
    const t0 = Date.now();
    const r = await measure(small, { workerPath: hang, timeoutMs: 700, cache: false, onProgress: (p) => (pid = p.pid ?? pid) });
    assert.equal(!r.ok && r.kind, 'timeout');
    assert.ok(Date.now() - t0 < 10_000);
    assert.equal(alive(pid!), false);
  });

  it('a worker that crashes (exit code, signal, garbage) is an error result, not an exception', async () => {
    const exit7 = path.join(tmp, 'exit7.js');
    fs.writeFileSync(exit7, 'process.on("message", () => { process.stderr.write("boom\\n"); process.exit(7); });\n');
    const r1 = await measure(small, { workerPath: exit7, cache: false });
    assert.equal(!r1.ok && r1.kind, 'crash');
    assert.match(!r1.ok ? r1.error : '', /code 7/);
    assert.match((!r1.ok && r1.stderr) || '', /boom/);

    const abort = path.join(tmp, 'abort.js');
    fs.writeFileSync(abort, 'process.on("message", () => process.abort());\n');
    const r2 = await measure(small, { workerPath: abort, cache: false });
    assert.equal(!r2.ok && r2.kind, 'crash');
    assert.match(!r2.ok ? r2.error : '', /SIGABRT/);

    const garbage = path.join(tmp, 'garbage.js');
    fs.writeFileSync(garbage, 'process.on("message", () => { process.send("nonsense", () => process.exit(0)); });\n');
    const r3 = await measure(small, { workerPath: garbage, cache: false });
    assert.equal(!r3.ok && r3.kind, 'crash');
  });

  it('an ORT failure on a bad model is an error result', async () => {
    // A Conv whose weight has the wrong input width: valid protobuf, invalid graph.
    const F = onnx.TensorProto.DataType.FLOAT;
    const vi = (name: string, dims: number[]) => ({ name, type: { tensorType: { elemType: F, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } });
    const bad = onnx.ModelProto.encode({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 13 }],
      graph: {
        name: 'bad',
        node: [{ name: 'stem', opType: 'Conv', input: ['input', 'w'], output: ['y'] }],
        initializer: [{ name: 'w', dataType: F, dims: [4, 5, 3, 3], floatData: new Array(180).fill(0.1) }],
        input: [vi('input', [1, 3, 8, 8])],
        output: [vi('y', [1, 4, 6, 6])],
      },
    }).finish();
    const r = await measure(bad, { runs: 1, warmup: 0, threads: 1, cache: false });
    assert.equal(!r.ok && r.kind, 'error');
    assert.match(!r.ok ? r.error : '', /onnxruntime/);
    const junk = await measure(new Uint8Array([1, 2, 3, 4, 5]), { cache: false });
    assert.equal(!junk.ok && junk.kind, 'invalid');
  });

  it('refuses bad settings and unbuildable networks without starting a worker', async () => {
    let spawned = false;
    const onProgress = (p: { phase: string }) => (spawned ||= p.phase === 'spawned');
    const r1 = await measure(small, { runs: 0, onProgress });
    assert.equal(!r1.ok && r1.kind, 'invalid');
    const broken = netOf(SMALL_CLASSIFIER.replace('head_op="mixvarge_f4"', 'head_op="mixvarge_f5"'));
    const r2 = await measure(broken, { onProgress, cache: false });
    assert.equal(!r2.ok && r2.kind, 'invalid');
    assert.match(!r2.ok ? r2.error : '', /cannot build an ONNX model/);
    assert.equal(spawned, false);
  });
});
