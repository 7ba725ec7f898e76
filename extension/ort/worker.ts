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
import type { NodeTime, OutputSummary, WorkerExportJob, WorkerJob, WorkerMessage } from './protocol';

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
    const prefix = path.join(job.profileDir, 'ort-profile');
    const ps = await ort.InferenceSession.create(model, { ...base, enableProfiling: true, profileFilePrefix: prefix });
    await ps.run(feeds); // the first run allocates: dropFirstRun() leaves it out
    for (let i = 0; i < job.profileRuns; i++) await ps.run(feeds);
    ps.endProfiling();
    await ps.release();
    const file = fs.readdirSync(job.profileDir).find((f) => f.startsWith('ort-profile') && f.endsWith('.json'));
    if (!file) throw new Error(`ORT wrote no profile file in ${job.profileDir}`);
    const events = JSON.parse(fs.readFileSync(path.join(job.profileDir, file), 'utf8')) as ProfileEvent[];
    nodes = nodeTimesFromProfile(dropFirstRun(events));
    await send({ type: 'progress', phase: 'profiling', done: job.profileRuns, total: job.profileRuns });
  }
  const ortVersion = ort.env.versions?.node ?? ort.env.versions?.common ?? 'unknown';
  await send({ type: 'result', ortVersion, timesMs, sessionMs, outputs, nodes, profileRuns: nodes ? job.profileRuns : undefined });
}

function fail(e: unknown): void {
  const err = e instanceof Error ? e : new Error(String(e));
  void send({ type: 'error', message: err.message, stack: err.stack }).then(() => process.exit(1));
}

if (require.main === module) {
  process.on('message', (m: unknown) => {
    const job = m as WorkerJob | WorkerExportJob;
    if (!job || (job.type !== 'job' && job.type !== 'export')) return;
    (job.type === 'job' ? runJob(job) : runExport(job)).then(
      () => process.exit(0),
      (e) => fail(e),
    );
  });
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  // Without a parent (IPC closed) there is no one to report to.
  process.on('disconnect', () => process.exit(2));
}
