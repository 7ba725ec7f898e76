import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import '../../../extension/ort/worker'; // compiled next to measure.js (see measure.test.ts)
import { run } from '../../../extension/cli/main';
import { memoryIO } from '../../../extension/cli/io';
import { readOnnx } from '../../../extension/core/onnx/read';
import { ROOT, SMALL_CLASSIFIER } from './helpers';

/** `mvg perf ARGS` through the CLI's own entry (the shared parser and error reporting), output captured. */
function capture(cwd = ROOT) {
  const io = memoryIO({ cwd });
  return {
    io,
    get o() {
      return io.out;
    },
    get e() {
      return io.err;
    },
  };
}

const perf = (args: string[], c: ReturnType<typeof capture>) => Promise.resolve(run(['perf', ...args], c.io));

describe('mvg perf', function () {
  this.timeout(180_000);
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-perf-cli-'));
    fs.writeFileSync(path.join(tmp, 'small.py'), SMALL_CLASSIFIER);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('--json: latency {median, p90, min}, fps, stages [{latencyMs}], threads, batch, ortVersion; --onnx writes the model', async () => {
    const io = capture(tmp);
    const code = await perf(['small.py', '--json', '--runs', '3', '--threads', '1', '--batch', '2', '--warmup=1', '--onnx', 'small.onnx'], io);
    assert.equal(code, 0, io.e);
    const j = JSON.parse(io.o);
    for (const k of ['median', 'p90', 'min']) assert.ok(j.latencyMs[k] > 0, k);
    assert.ok(j.fps > 0);
    assert.equal(j.threads, 1);
    assert.equal(j.batch, 2);
    assert.equal(j.runs, 3);
    assert.match(j.ortVersion, /^\d+\.\d+\.\d+/);
    assert.equal(j.stages.length, 4);
    assert.ok(j.stages.every((s: { latencyMs: number; macs: number }) => s.latencyMs >= 0 && s.macs > 0));
    assert.equal(j.outputs[0].dims.join('x'), '2x10');
    // Batch 1 and the user-set batch, each timed: FPS = batch / median latency of that batch.
    assert.deepEqual(j.batches.map((b: { batch: number }) => b.batch), [1, 2]);
    for (const b of j.batches as { batch: number; fps: number; latencyMs: { median: number; p90: number; min: number } }[]) {
      assert.ok(b.latencyMs.min > 0 && b.latencyMs.min <= b.latencyMs.median && b.latencyMs.median <= b.latencyMs.p90, JSON.stringify(b));
      assert.ok(Math.abs(b.fps - (b.batch * 1000) / b.latencyMs.median) < 1e-6 * b.fps);
    }
    assert.deepEqual(j.batches[1].latencyMs, { median: j.latencyMs.median, p90: j.latencyMs.p90, min: j.latencyMs.min });
    assert.notDeepEqual(j.batches[0].latencyMs, j.batches[1].latencyMs);
    const info = readOnnx(fs.readFileSync(path.join(tmp, 'small.onnx')));
    assert.deepEqual(info.outputs[0].dims, [2, 10]);
  });

  it('text: the totals line and a per-stage table', async () => {
    const io = capture(tmp);
    const code = await perf(['small.py', '--runs', '2', '--threads', '1', '--warmup', '0'], io);
    assert.equal(code, 0, io.e);
    assert.match(io.o, /latency: median [\d.]+ ms · p90 [\d.]+ ms · min [\d.]+ ms · [\d.]+ FPS · [\d.]+ GMAC\/s/);
    for (const part of ['stem', 'stage 0', 'stage 1', 'stage 2', 'stage 3', 'head']) assert.match(io.o, new RegExp(`^  ${part}\\s+[\\d.]+ ms\\s+[\\d.]+%`, 'm'));
    assert.match(io.o, /not J5/);
    assert.doesNotMatch(io.o, /^  batch /m, 'batch 1 only: no per-batch lines');
  });

  it('text with --batch 4: both batches on their own line, the table at batch 4; --json without --batch has no batches', async () => {
    let io = capture(tmp);
    let code = await perf(['small.py', '--runs', '2', '--threads', '1', '--warmup', '0', '--batch', '4', '--no-profile'], io);
    assert.equal(code, 0, io.e);
    assert.match(io.o, /batch 4, graph optimisation/);
    assert.match(io.o, /^  batch 1 {4}median [\d.]+ ms · p90 [\d.]+ ms · min [\d.]+ ms · [\d.]+ FPS/m);
    assert.match(io.o, /^  batch 4 {4}median [\d.]+ ms · p90 [\d.]+ ms · min [\d.]+ ms · [\d.]+ FPS/m);
    io = capture(tmp);
    code = await perf(['small.py', '--json', '--runs', '2', '--threads', '1', '--warmup', '0', '--no-profile'], io);
    assert.equal(code, 0, io.e);
    const j = JSON.parse(io.o);
    assert.equal(j.batch, 1);
    assert.equal(j.batches, undefined);
  });

  it('usage and input errors exit 2 without measuring', async () => {
    let io = capture(tmp);
    assert.equal(await perf([], io), 2);
    assert.match(io.e, /no config file/);
    io = capture(tmp);
    assert.equal(await perf(['small.py', '--runs', 'x'], io), 2);
    assert.match(io.e, /--runs must be an integer/);
    assert.match(io.e, /Run 'mvg help perf' for usage/);
    io = capture(tmp);
    assert.equal(await perf(['small.py', '--opt', 'max'], io), 2);
    io = capture(tmp);
    assert.equal(await perf(['small.py', '--frobnicate'], io), 2);
    assert.match(io.e, /unknown option '--frobnicate'/);
    io = capture(tmp);
    assert.equal(await perf(['missing.py'], io), 2);
    assert.match(io.e, /cannot read missing\.py: no such file/);
    io = capture(ROOT);
    assert.equal(await perf(['examples/configs/mistakes.py'], io), 2);
    assert.match(io.e, /cannot be built/);
    io = capture(tmp);
    assert.equal(await perf(['--help'], io), 0);
    assert.match(io.o, /Usage: mvg perf FILE/);
  });
});
