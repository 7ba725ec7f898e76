/**
 * The timing worker: a child process that loads onnxruntime-node, times one model and reports back over
 * IPC. Started by measure() (never run in the caller's process): a native crash, a hang or an
 * out-of-memory here kills only this process.
 *
 * Bundled as its own entry (dist/perf-worker.js); with tsc it is out/extension/ort/worker.js.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeOnnx } from '../core/onnx/build';
import { uniformArray } from '../core/onnx/random';
import { dropFirstRun, nodeTimesFromProfile, type ProfileEvent } from './profile';
import { decodeCalibrationFile, MAX_CALIBRATION_FILE_BYTES } from '../core/onnx/calibrationData';
import { dequantize, encodeQdq, ErrorAccumulator, quantPoints, RangeObserver } from '../core/onnx/quantize';
import { readOnnx } from '../core/onnx/read';
import type {
  NodeTime,
  OutputSummary,
  Precision,
  StageError,
  WorkerExportJob,
  WorkerInt8Facts,
  WorkerJob,
  WorkerMessage,
  WorkerPrecisionJob,
  WorkerPrecisionResult,
  WorkerPrecisionTiming,
} from './protocol';

// The parts of onnxruntime-node's API used here (typed locally: the package is loaded at run time).
interface OrtTensor {
  dims: readonly number[];
  data: unknown;
}
interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  endProfiling(): void;
  release(): Promise<void>;
}
interface Ort {
  env: { versions?: { node?: string; common?: string } };
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;
  InferenceSession: { create(pathOrBytes: string | Uint8Array, options: Record<string, unknown>): Promise<OrtSession> };
}

function send(msg: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) {
      process.stdout.write(JSON.stringify(msg) + '\n');
      resolve();
    } else process.send(msg, undefined, undefined, () => resolve());
  });
}

function summarize(name: string, t: OrtTensor, all: boolean): OutputSummary {
  const data = t.data as Float32Array;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let finite = true;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) finite = false;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return { name, dims: [...t.dims], finite, min, max, mean: data.length ? sum / data.length : 0, values: all ? Array.from(data) : undefined };
}

async function runExport(job: WorkerExportJob): Promise<void> {
  const bytes = encodeOnnx(job.plan).bytes;
  await fs.promises.writeFile(job.path, bytes);
  await send({ type: 'exported', path: job.path, bytes: bytes.length });
}

async function runJob(job: WorkerJob): Promise<void> {
  let model: string | Uint8Array;
  if (job.plan) {
    model = encodeOnnx(job.plan).bytes;
    if (job.saveModelTo) await fs.promises.writeFile(job.saveModelTo, model);
  } else if (job.modelPath) model = job.modelPath;
  else throw new Error('the job names no model');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ort = require(job.ortModule) as Ort;
  await send({ type: 'progress', phase: 'loaded' });
  const base = {
    intraOpNumThreads: job.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: job.graphOptimizationLevel,
    logSeverityLevel: 3,
  };
  const n = job.inputDims.reduce((a, b) => a * b, 1);
  const input = new ort.Tensor('float32', uniformArray(n, job.inputSeed), job.inputDims);
  const feeds = { [job.inputName]: input };

  const t0 = performance.now();
  const session = await ort.InferenceSession.create(model, base);
  const sessionMs = performance.now() - t0;
  await send({ type: 'progress', phase: 'session' });
  let out: Record<string, OrtTensor> = {};
  for (let i = 0; i < job.warmup; i++) out = await session.run(feeds);
  await send({ type: 'progress', phase: 'warmup', done: job.warmup, total: job.warmup });
  const timesMs: number[] = [];
  for (let i = 0; i < job.runs; i++) {
    const s = performance.now();
    out = await session.run(feeds);
    timesMs.push(performance.now() - s);
    if ((i + 1) % 10 === 0 || i + 1 === job.runs) await send({ type: 'progress', phase: 'timing', done: i + 1, total: job.runs });
  }
  const outputs = Object.entries(out).map(([name, t]) => summarize(name, t, job.returnOutputs));
  await session.release();

  let nodes: NodeTime[] | undefined;
  if (job.profileRuns > 0) {
    nodes = await profileNodes(ort, model, base, feeds, job.profileDir, 'ort-profile', job.profileRuns);
    await send({ type: 'progress', phase: 'profiling', done: job.profileRuns, total: job.profileRuns });
  }
  const ortVersion = ort.env.versions?.node ?? ort.env.versions?.common ?? 'unknown';
  await send({ type: 'result', ortVersion, timesMs, sessionMs, outputs, nodes, profileRuns: nodes ? job.profileRuns : undefined });
}

/** Per-node kernel times of `runs` profiled runs (after one untimed run) in a session of its own. */
async function profileNodes(ort: Ort, model: string | Uint8Array, base: Record<string, unknown>, feeds: Record<string, OrtTensor>, dir: string, name: string, runs: number): Promise<NodeTime[]> {
  const prefix = path.join(dir, name);
  const ps = await ort.InferenceSession.create(model, { ...base, enableProfiling: true, profileFilePrefix: prefix });
  await ps.run(feeds); // the first run allocates: dropFirstRun() leaves it out
  for (let i = 0; i < runs; i++) await ps.run(feeds);
  ps.endProfiling();
  await ps.release();
  const file = fs.readdirSync(dir).find((f) => f.startsWith(name) && f.endsWith('.json'));
  if (!file) throw new Error(`ORT wrote no profile file in ${dir}`);
  const events = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as ProfileEvent[];
  return nodeTimesFromProfile(dropFirstRun(events));
}

/** The calibration inputs: the user's files (decoded; undecodable ones skipped with why) or seeded ones. */
function calibrationInputs(job: WorkerPrecisionJob, count: number, seedBase: number): { inputs: Float32Array[]; skipped: string[] } {
  const n = job.inputDims.reduce((a, b) => a * b, 1);
  const files = job.calibration.files;
  if (!files || files.length === 0) return { inputs: Array.from({ length: count }, (_, i) => uniformArray(n, seedBase + i)), skipped: [] };
  const [batch, c, h, w] = job.inputDims;
  const inputs: Float32Array[] = [];
  const skipped: string[] = [];
  const images: Float32Array[] = [];
  for (const f of files) {
    let got: Float32Array | string;
    try {
      const st = fs.statSync(f);
      got = !st.isFile() ? 'not a regular file' : st.size > MAX_CALIBRATION_FILE_BYTES ? `${st.size} bytes, over ${MAX_CALIBRATION_FILE_BYTES}` : decodeCalibrationFile(f, fs.readFileSync(f), [c, h, w]);
    } catch (e) {
      got = e instanceof Error ? e.message : String(e);
    }
    if (typeof got === 'string') skipped.push(`${path.basename(f)}: ${got}`);
    else images.push(got);
  }
  // One image per batch entry, in order (a batch > 1 takes the next images, wrapping around).
  for (let i = 0; i + batch <= Math.max(images.length, batch) && images.length > 0; i += batch) {
    const x = new Float32Array(n);
    for (let b = 0; b < batch; b++) x.set(images[(i + b) % images.length], b * c * h * w);
    inputs.push(x);
  }
  return { inputs, skipped };
}

/** Calibration inputs per run (the observed tensors of 8 seed images take ~100 MB). */
const CALIBRATION_BATCH = 8;

async function runPrecisions(job: WorkerPrecisionJob): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ort = require(job.ortModule) as Ort;
  await send({ type: 'progress', phase: 'loaded' });
  const base = { intraOpNumThreads: job.threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: job.graphOptimizationLevel, logSeverityLevel: 3 };
  const tensor = (x: Float32Array) => new ort.Tensor('float32', x, job.inputDims);
  const n = job.inputDims.reduce((a, b) => a * b, 1);
  const feeds = { [job.inputName]: tensor(uniformArray(n, job.inputSeed)) };
  const fp32Bytes = encodeOnnx(job.plan).bytes;
  if (job.save?.fp32) await fs.promises.writeFile(job.save.fp32, job.save.exportPlan ? encodeOnnx(job.save.exportPlan).bytes : fp32Bytes);
  const models: { precision: Precision; bytes: Uint8Array }[] = [];
  if (job.precisions.includes('fp32')) models.push({ precision: 'fp32', bytes: fp32Bytes });
  let int8Facts: WorkerInt8Facts | undefined;
  if (job.precisions.includes('int8')) {
    // Calibration: the fp32 model with every quantized tensor (and each stage's output) as an output.
    await send({ type: 'progress', phase: 'calibrating' });
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const points = quantPoints(job.plan);
    const observed = points.filter((p) => p.value !== job.plan.input.name);
    // A symbolic batch, so that the calibration inputs run CALIBRATION_BATCH at a time (fewer, more efficient runs).
    const symbolic = { ...job.plan, input: { ...job.plan.input, dims: ['n', ...job.plan.input.dims.slice(1)] }, outputs: job.plan.outputs.map((o) => ({ ...o, dims: ['m', ...o.dims.slice(1)] })) };
    const calib = await ort.InferenceSession.create(encodeOnnx(symbolic, observed.map((p) => p.value)).bytes, base);
    const observers = new Map(points.map((p) => [p.value, new RangeObserver(job.calibration.method, job.calibration.percentile)]));
    const { inputs, skipped } = calibrationInputs(job, job.calibration.samples, job.calibration.seed);
    if (inputs.length === 0) throw new Error(`no calibration input could be read${skipped.length ? `: ${skipped.slice(0, 3).join('; ')}` : ''}`);
    const per = inputs[0].length;
    for (let i = 0; i < inputs.length; i += CALIBRATION_BATCH) {
      const chunk = inputs.slice(i, i + CALIBRATION_BATCH);
      const x = new Float32Array(per * chunk.length);
      chunk.forEach((c, k) => x.set(c, k * per));
      const out = await calib.run({ [job.inputName]: new ort.Tensor('float32', x, [chunk.length * job.inputDims[0], ...job.inputDims.slice(1)]) });
      observers.get(job.plan.input.name)!.observe(x);
      for (const p of observed) observers.get(p.value)!.observe(out[p.value].data as Float32Array);
    }
    const ranges: Record<string, number> = {};
    for (const [v, o] of observers) ranges[v] = o.result();
    const calibrationMs = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    const calibrationCpuMs = (cpu.user + cpu.system) / 1000;
    const note = `Calibrated (${job.calibration.method}) on ${inputs.length} ${job.calibration.files?.length ? 'inputs from files' : 'seeded random inputs'}.`;
    const qdq = encodeQdq(job.plan, ranges, [], note);
    if (job.save?.int8) await fs.promises.writeFile(job.save.int8, job.save.exportPlan ? encodeQdq(job.save.exportPlan, ranges, [], note).bytes : qdq.bytes);
    models.push({ precision: 'int8', bytes: qdq.bytes });

    // What ORT made of it: its optimised model, read back.
    const optimized = path.join(job.profileDir, 'int8-optimized.onnx');
    const os8 = await ort.InferenceSession.create(qdq.bytes, { ...base, optimizedModelFilePath: optimized });
    await os8.release();
    const optimizedNodes = readOnnx(fs.readFileSync(optimized)).nodes.map((nd) => ({ opType: nd.opType, name: nd.name }));

    // Stage by stage: fp32 (the calibration session) against int8 (the QDQ model with each stage's Q output observed).
    await send({ type: 'progress', phase: 'comparing' });
    const stageValues = job.plan.stageOutputs ?? [];
    const cmp = await ort.InferenceSession.create(encodeQdq(job.plan, ranges, stageValues).bytes, base);
    const errs = stageValues.map(() => new ErrorAccumulator());
    const outErr = job.plan.outputs.map(() => new ErrorAccumulator());
    const errInputs = job.calibration.files?.length ? inputs.slice(0, job.errorSamples) : calibrationInputs({ ...job, calibration: { ...job.calibration, files: [] } }, job.errorSamples, job.calibration.seed + 1_000_003).inputs;
    for (const x of errInputs) {
      const f = await calib.run({ [job.inputName]: tensor(x) });
      const q = await cmp.run({ [job.inputName]: tensor(x) });
      stageValues.forEach((v, i) => {
        const qi = qdq.quantized[v];
        errs[i].add(f[v].data as Float32Array, dequantize(q[qi.q].data as Uint8Array, qi.scale, qi.zeroPoint));
      });
      job.plan.outputs.forEach((o, i) => outErr[i].add(f[o.name].data as Float32Array, q[o.name].data as Float32Array));
    }
    await calib.release();
    await cmp.release();
    const stageErrors: StageError[] = [...errs.map((e, index) => ({ index, ...e.result() })), ...outErr.map((e) => ({ index: -1, ...e.result() }))];
    int8Facts = { optimizedNodes, calibrationMs, calibrationCpuMs, calibrationSamples: inputs.length, skipped, stageErrors, errorSamples: errInputs.length };
  }

  // Timing: the runs of every precision interleaved.
  const sessions: { precision: Precision; session: OrtSession; sessionMs: number; timesMs: number[]; out: Record<string, OrtTensor> }[] = [];
  for (const m of models) {
    const t0 = performance.now();
    const session = await ort.InferenceSession.create(m.bytes, base);
    sessions.push({ precision: m.precision, session, sessionMs: performance.now() - t0, timesMs: [], out: {} });
  }
  await send({ type: 'progress', phase: 'session' });
  for (let i = 0; i < job.warmup; i++) for (const s of sessions) s.out = await s.session.run(feeds);
  await send({ type: 'progress', phase: 'warmup', done: job.warmup, total: job.warmup });
  for (let i = 0; i < job.runs; i++) {
    for (const s of sessions) {
      const t = performance.now();
      s.out = await s.session.run(feeds);
      s.timesMs.push(performance.now() - t);
    }
    if ((i + 1) % 10 === 0 || i + 1 === job.runs) await send({ type: 'progress', phase: 'timing', done: i + 1, total: job.runs });
  }
  const result: WorkerPrecisionResult = { type: 'precisions', ortVersion: ort.env.versions?.node ?? ort.env.versions?.common ?? 'unknown' };
  for (const s of sessions) {
    await s.session.release();
    const timing: WorkerPrecisionTiming = { timesMs: s.timesMs, sessionMs: s.sessionMs, outputs: Object.entries(s.out).map(([name, t]) => summarize(name, t, false)) };
    if (job.profileRuns > 0) {
      timing.nodes = await profileNodes(ort, models.find((m) => m.precision === s.precision)!.bytes, base, feeds, job.profileDir, `profile-${s.precision}`, job.profileRuns);
      timing.profileRuns = job.profileRuns;
    }
    if (s.precision === 'fp32') result.fp32 = timing;
    else result.int8 = { ...timing, ...int8Facts! };
  }
  if (job.profileRuns > 0) await send({ type: 'progress', phase: 'profiling', done: job.profileRuns, total: job.profileRuns });
  await send(result);
}

function fail(e: unknown): void {
  const err = e instanceof Error ? e : new Error(String(e));
  void send({ type: 'error', message: err.message, stack: err.stack }).then(() => process.exit(1));
}

if (require.main === module) {
  process.on('message', (m: unknown) => {
    const job = m as WorkerJob | WorkerExportJob | WorkerPrecisionJob;
    if (!job || (job.type !== 'job' && job.type !== 'export' && job.type !== 'precisions')) return;
    (job.type === 'job' ? runJob(job) : job.type === 'precisions' ? runPrecisions(job) : runExport(job)).then(
      () => process.exit(0),
      (e) => fail(e),
    );
  });
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  // Without a parent (IPC closed) there is no one to report to.
  process.on('disconnect', () => process.exit(2));
}
