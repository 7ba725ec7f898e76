/** `mvg perf --precision`: the JSON of fp32 and int8, the default output unchanged, --onnx per precision, calibration data. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import '../../../extension/ort/worker'; // compiled next to measure.js (see measure.test.ts)
import { run } from '../../../extension/cli/main';
import { memoryIO } from '../../../extension/cli/io';
import { onnx } from 'onnx-proto';
import { readOnnx } from '../../../extension/core/onnx/read';
import { SMALL_CLASSIFIER } from './helpers';

async function perf(args: string[], cwd: string): Promise<{ code: number; o: string; e: string }> {
  const io = memoryIO({ cwd });
  const code = await Promise.resolve(run(['perf', ...args], io));
  return { code, o: io.out, e: io.err };
}

/** The top-level keys of `mvg perf --json` before precisions existed (PerfResult of 29dfb4b, plus file and params). */
const FP32_KEYS = [
  'batch', 'cacheKey', 'device', 'file', 'fps', 'fromCache', 'gmacPerSec', 'graphOptimizationLevel', 'head', 'latencyMs', 'macs',
  'measuredAt', 'modelHash', 'nodes', 'note', 'ok', 'ortVersion', 'outputs', 'params', 'runs', 'sessionMs', 'stages', 'stem', 'threads', 'warmup',
].sort();

/** Each activation's quantization scale in a QDQ model: the scale initializer of every QuantizeLinear (by tensor). */
function activationScales(file: string): Map<string, number> {
  const m = onnx.ModelProto.decode(fs.readFileSync(file));
  const init = new Map((m.graph?.initializer ?? []).map((t) => [t.name ?? '', t]));
  const out = new Map<string, number>();
  for (const n of m.graph?.node ?? []) {
    if (n.opType !== 'QuantizeLinear') continue;
    const t = init.get(n.input![1])!;
    const v = t.floatData && t.floatData.length ? t.floatData[0] : Buffer.from(t.rawData!).readFloatLE(0);
    out.set(n.input![0], v);
  }
  return out;
}

describe('mvg perf --precision', function () {
  this.timeout(300_000);
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-perf-int8-'));
    fs.writeFileSync(path.join(tmp, 'small.py'), SMALL_CLASSIFIER);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('default (fp32): the JSON has exactly the keys it had, and the text no precision lines', async () => {
    const j = await perf(['small.py', '--json', '--runs', '2', '--warmup', '1', '--threads', '1'], tmp);
    assert.equal(j.code, 0, j.e);
    assert.deepEqual(Object.keys(JSON.parse(j.o)).sort(), FP32_KEYS);
    const t = await perf(['small.py', '--runs', '2', '--warmup', '1', '--threads', '1'], tmp);
    assert.equal(t.code, 0, t.e);
    assert.match(t.o, /^ {2}latency: median [\d.]+ ms · p90 [\d.]+ ms · min [\d.]+ ms · [\d.]+ FPS/m);
    assert.doesNotMatch(t.o, /int8|ISA|fp32/);
  });

  it('--precision both --json: precisions.fp32 and .int8 with latency, fps, stages, convs in int8, calibration; isa; --onnx writes both models', async () => {
    const j = await perf(['small.py', '--json', '--precision', 'both', '--runs', '2', '--warmup', '1', '--threads', '1', '--calibration-samples', '3', '--onnx', 'm.onnx'], tmp);
    assert.equal(j.code, 0, j.e);
    const r = JSON.parse(j.o);
    assert.deepEqual(Object.keys(r.precisions).sort(), ['fp32', 'int8']);
    for (const k of ['fp32', 'int8']) {
      const p = r.precisions[k];
      for (const s of ['median', 'p90', 'min']) assert.ok(p.latencyMs[s] > 0, `${k}.${s}`);
      assert.ok(Math.abs(p.fps - 1000 / p.latencyMs.median) < 1e-6 * p.fps);
      assert.equal(p.stages.length, 4);
    }
    const q = r.precisions.int8;
    // SMALL_CLASSIFIER (helpers.ts), counted by hand: stem; stage 0 conv1+conv2; stages 1-3 a strided head with a shortcut
    // and one stack block (stage 3's f2_r_gb16 always has a shortcut); head fc + cls.
    assert.equal(q.totalConvs, 1 + (2 + 0) + (2 + 1 + 2) + (2 + 1 + 2) + (2 + 1 + 2 + 1) + 2);
    assert.equal(q.quantizedConvs, q.totalConvs);
    assert.deepEqual(q.calibration, { samples: 3, method: 'minmax', source: 'seeded', ms: q.calibration.ms, cpuMs: q.calibration.cpuMs });
    assert.ok(q.error.stages.every((e: { sqnrDb: number }) => e.sqnrDb > 20));
    assert.match(q.error.note, /seeded random weights and inputs: a property of the structure, not of your trained model/);
    assert.ok(Array.isArray(r.isa));
    assert.equal(r.precision, 'fp32');
    const fp = readOnnx(fs.readFileSync(path.join(tmp, 'm.onnx')));
    const i8 = readOnnx(fs.readFileSync(path.join(tmp, 'm.int8.onnx')));
    assert.equal(fp.nodes.filter((n) => n.opType === 'QuantizeLinear').length, 0);
    assert.ok(i8.nodes.filter((n) => n.opType === 'QuantizeLinear').length > q.totalConvs);
    assert.equal(typeof i8.inputs[0].dims[0], 'string', 'symbolic batch without --batch, as the fp32 export');
  });

  it('--precision int8 text: N/M convs in int8, the calibration, the ISA, SQNR per stage; --onnx writes the int8 model', async () => {
    const t = await perf(['small.py', '--precision', 'int8', '--runs', '2', '--warmup', '1', '--threads', '1', '--calibration-samples', '2', '--onnx', 'q.onnx'], tmp);
    assert.equal(t.code, 0, t.e);
    assert.match(t.o, /int8: (\d+)\/\1 convs in int8/);
    assert.match(t.o, /calibration: 2 seeded random inputs, minmax/);
    assert.match(t.o, /ISA: /);
    assert.match(t.o, /stage 3 .* [\d.]+ dB +[01]\.\d{4}/);
    assert.match(t.e, /wrote q\.onnx \(int8, QDQ\)/);
    assert.ok(readOnnx(fs.readFileSync(path.join(tmp, 'q.onnx'))).nodes.some((n) => n.opType === 'DequantizeLinear'));
  });

  it('--calibration-data DIR: the folder\'s float32 inputs (unreadable ones skipped with why); a folder without inputs is refused', async () => {
    const dir = path.join(tmp, 'calib');
    fs.mkdirSync(dir);
    for (let i = 0; i < 3; i++) fs.writeFileSync(path.join(dir, `x${i}.f32`), Buffer.from(new Float32Array(3 * 112 * 112).fill(i * 0.3 - 0.3).buffer));
    fs.writeFileSync(path.join(dir, 'bad.raw'), Buffer.alloc(8));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'ignored');
    const j = await perf(['small.py', '--json', '--precision', 'int8', '--runs', '1', '--warmup', '0', '--threads', '1', '--no-profile', '--calibration-data', 'calib'], tmp);
    assert.equal(j.code, 0, j.e);
    const c = JSON.parse(j.o).precisions.int8.calibration;
    assert.equal(c.samples, 3);
    assert.equal(c.source, 'files');
    assert.deepEqual(c.skipped, ['bad.raw: 8 bytes, but one 3×112×112 float32 image is 150528']);
    fs.mkdirSync(path.join(tmp, 'empty'));
    const e = await perf(['small.py', '--precision', 'int8', '--calibration-data', 'empty'], tmp);
    assert.equal(e.code, 2);
    assert.match(e.e, /holds no calibration input/);
  });

  it('--calibration-method percentile --calibration-percentile P: every activation range at most the min/max one, most smaller', async () => {
    const args = ['small.py', '--json', '--precision', 'int8', '--runs', '1', '--warmup', '0', '--threads', '1', '--no-profile', '--calibration-samples', '3'];
    const a = await perf([...args, '--onnx', 'minmax.onnx'], tmp);
    assert.equal(a.code, 0, a.e);
    const b = await perf([...args, '--calibration-method', 'percentile', '--calibration-percentile', '60', '--onnx', 'p60.onnx'], tmp);
    assert.equal(b.code, 0, b.e);
    const c = JSON.parse(b.o).precisions.int8.calibration;
    assert.equal(c.method, 'percentile');
    assert.equal(c.percentile, 60);
    // The same seeded inputs: the 60th percentile of |x| is never above the largest |x| (the scale is range / 255 or
    // range / 127, the same divisor on both sides), and below it wherever the values are not all equal.
    const mm = activationScales(path.join(tmp, 'minmax.onnx'));
    const p60 = activationScales(path.join(tmp, 'p60.onnx'));
    assert.deepEqual([...p60.keys()].sort(), [...mm.keys()].sort());
    let smaller = 0;
    for (const [k, v] of p60) {
      assert.ok(v <= mm.get(k)! * (1 + 1e-6), `${k}: ${v} > ${mm.get(k)}`);
      if (v < mm.get(k)! * 0.99) smaller++;
    }
    assert.ok(smaller > p60.size / 2, `${smaller} of ${p60.size} ranges smaller`);
    const bad = await perf(['small.py', '--precision', 'int8', '--calibration-method', 'percentile', '--calibration-percentile', '40'], tmp);
    assert.equal(bad.code, 2);
    assert.match(bad.e, /--calibration-percentile must be a number above 50 and at most 100 \(got '40'\)/);
    const alone = await perf(['small.py', '--precision', 'int8', '--calibration-percentile', '99.9'], tmp);
    assert.equal(alone.code, 2);
    assert.match(alone.e, /--calibration-percentile needs --calibration-method percentile/);
  });

  it('bad usage: an unknown precision or method, calibration options without int8', async () => {
    const a = await perf(['small.py', '--precision', 'int4'], tmp);
    assert.equal(a.code, 2);
    assert.match(a.e, /--precision must be one of fp32, int8, both/);
    const b = await perf(['small.py', '--precision', 'int8', '--calibration-method', 'entropy'], tmp);
    assert.equal(b.code, 2);
    assert.match(b.e, /--calibration-method must be one of minmax, percentile/);
    const c = await perf(['small.py', '--calibration-samples', '4'], tmp);
    assert.equal(c.code, 2);
    assert.match(c.e, /need --precision int8 or both/);
  });
});
