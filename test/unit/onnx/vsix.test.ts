// The .vsix as a user installs it: it must carry onnxruntime-node (the one runtime dependency the bundles keep
// external: a native addon) with the linux-x64 CPU binaries only, and its perf worker must time a network with it
// when the extension is unpacked far from this repository's node_modules.
//
// Packs the current dist/ (`node scripts/package.mjs --no-build`, ~6 s: no rebuild of dist/, the vsix goes to a
// temp dir), or uses $MVG_TEST_VSIX when it names a .vsix. Skips, saying why, when dist/ is not built.
import { strict as assert } from 'node:assert';
import { spawnSync, fork } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { planOnnx } from '../../../extension/core/onnx/build';
import type { WorkerJob, WorkerMessage, WorkerResult } from '../../../extension/ort/protocol';
import { example, netOf, ROOT } from './helpers';
import { requireOrSkip } from '../../requires';
import { launcherSource } from '../../../extension/run/slurm';

// adm-zip: onnxruntime-node's own dependency (its install script), so present wherever onnxruntime-node is.
interface ZipEntry {
  entryName: string;
  isDirectory: boolean;
}
interface Zip {
  getEntries(): ZipEntry[];
  getEntry(name: string): ZipEntry | null;
  readAsText(entry: ZipEntry): string;
  extractAllTo(dir: string, overwrite: boolean): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AdmZip = require(require.resolve('adm-zip', { paths: [path.join(ROOT, 'node_modules/onnxruntime-node')] })) as new (file: string) => Zip;

const ORT_VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/onnxruntime-node/package.json'), 'utf8')) as { version: string }).version;
const ORT_BIN = 'extension/dist/node_modules/onnxruntime-node/bin/napi-v6/';

/** An environment without anything that could point Node at this repository's modules. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ['NODE_PATH', 'NODE_OPTIONS', 'ELECTRON_RUN_AS_NODE']) delete env[k];
  return env;
}

/** Forks `worker` (cwd: its folder) and sends it the job; resolves with its result or error message, or its exit. */
function runWorker(worker: string, job: WorkerJob, timeoutMs = 120_000): Promise<WorkerResult | { type: 'error'; message: string } | { type: 'exit'; code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = fork(worker, [], { cwd: path.dirname(worker), env: cleanEnv(), execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
    let stderr = '';
    let done = false;
    const finish = (v: Parameters<typeof resolve>[0]) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
      resolve(v);
    };
    const timer = setTimeout(() => finish({ type: 'exit', code: null, stderr: `timeout\n${stderr}` }), timeoutMs);
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('message', (m: WorkerMessage) => {
      if (m.type === 'result') finish(m);
      else if (m.type === 'error') finish({ type: 'error', message: m.message });
    });
    child.on('exit', (code) => setTimeout(() => finish({ type: 'exit', code, stderr }), 100));
    child.send(job);
  });
}

describe('the .vsix carries onnxruntime-node and its perf worker runs it (unpacked outside the repo)', function () {
  this.timeout(180_000);
  let tmp: string;
  let vsix: string;
  let entries: string[];

  before(function () {
    const given = process.env.MVG_TEST_VSIX;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-vsix-test-'));
    if (given && given !== '0' && fs.existsSync(given)) vsix = path.resolve(given);
    else {
      const missing = ['dist/extension.js', 'dist/perf-worker.js'].filter((f) => !fs.existsSync(path.join(ROOT, f)));
      requireOrSkip(this, missing.length === 0, missing.join(', '), 'run npm run build, or npm run package and set MVG_TEST_VSIX');
      vsix = path.join(tmp, 'test.vsix');
      const t0 = Date.now();
      const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/package.mjs'), '--no-build', '--out', vsix], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
      assert.equal(r.status, 0, `scripts/package.mjs --no-build failed:\n${r.stdout}\n${r.stderr}`);
      console.log(`      (packed ${(fs.statSync(vsix).size / 1e6).toFixed(1)} MB in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
    entries = new AdmZip(vsix)
      .getEntries()
      .filter((e) => !e.isDirectory)
      .map((e) => e.entryName);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('carries the third-party notices: the bundled packages and the onnxruntime runtime, with licence texts', () => {
    const zip = new AdmZip(vsix);
    const entry = zip.getEntry('extension/dist/ThirdPartyNotices.txt');
    assert.ok(entry, 'extension/dist/ThirdPartyNotices.txt is in the vsix');
    const text = zip.readAsText(entry);
    for (const name of ['onnxruntime-node', 'onnxruntime-common', '@lezer/python', 'd3-selection', '@vscode/webview-ui-toolkit', 'protobufjs'])
      assert.match(text, new RegExp(`^- ${name.replace(/[/.]/g, '\\$&')} \\d`, 'm'), `${name} is listed`);
    assert.match(text, /Permission is hereby granted/, 'MIT texts are reproduced');
    assert.match(text, /Copyright \(c\) Microsoft Corporation/, 'onnxruntime (no licence file in its npm package) gets the MIT text with its holder');
  });

  it('holds the bundles, onnxruntime-node + -common and the linux-x64 CPU binaries only; no root node_modules, maps, CLI or sources', () => {
    for (const f of [
      'extension/package.json',
      'extension/dist/extension.js',
      'extension/dist/perf-worker.js',
      'extension/dist/analysisWorker.js',
      'extension/dist/node_modules/onnxruntime-node/package.json',
      'extension/dist/node_modules/onnxruntime-node/dist/index.js',
      `${ORT_BIN}linux/x64/onnxruntime_binding.node`,
      `${ORT_BIN}linux/x64/libonnxruntime.so.1`,
      'extension/dist/node_modules/onnxruntime-common/package.json',
      'extension/dist/node_modules/onnxruntime-common/dist/cjs/index.js',
      'extension/dist/node_modules/onnxruntime-common/dist/cjs/package.json',
    ])
      assert.ok(entries.includes(f), `${f} is in the vsix`);
    const binaries = entries.filter((e) => e.startsWith(ORT_BIN));
    assert.deepEqual(binaries.filter((e) => !e.startsWith(`${ORT_BIN}linux/x64/`)), [], 'no other platform');
    assert.deepEqual(entries.filter((e) => /cuda|tensorrt|providers_shared|directml/i.test(e)), [], 'no GPU execution provider');
    assert.deepEqual(entries.filter((e) => e.startsWith('extension/node_modules/')), [], 'not the root node_modules');
    assert.deepEqual(entries.filter((e) => /\.map$|\.d\.ts$|\.ts$/.test(e)), [], 'no maps, typings or sources');
    assert.ok(!entries.includes('extension/dist/cli.js'), 'not the CLI bundle (bin/mvg.js is not shipped)');
    // The whole of onnxruntime-node for every platform is ~290 MB unpacked; the linux-x64 CPU runtime packs to ~17 MB.
    const mb = fs.statSync(vsix).size / 1e6;
    assert.ok(mb < 25, `the vsix is ${mb.toFixed(1)} MB`);
  });

  it('carries the Slurm launcher, found from the unpacked dist/ as the extension looks for it', () => {
    assert.ok(entries.includes('extension/resources/mvg_slurm_launch.py'), 'resources/mvg_slurm_launch.py is in the vsix');
    const dir = path.join(tmp, 'launcher');
    const zip = new AdmZip(vsix);
    const entry = zip.getEntry('extension/resources/mvg_slurm_launch.py');
    assert.ok(entry);
    fs.mkdirSync(path.join(dir, 'resources'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'dist'));
    fs.writeFileSync(path.join(dir, 'resources', 'mvg_slurm_launch.py'), zip.readAsText(entry));
    assert.equal(launcherSource(path.join(dir, 'dist')), path.join(dir, 'resources', 'mvg_slurm_launch.py'));
  });

  it('unpacked outside the repo: dist/ resolves its own onnxruntime-node, and the packaged perf worker times the seed config', async () => {
    const dir = path.join(tmp, 'installed');
    new AdmZip(vsix).extractAllTo(dir, true);
    const ext = path.join(dir, 'extension');
    assert.ok(path.relative(ROOT, ext).startsWith('..'), 'the unpacked copy is outside the repository');
    // What dist/extension.js's findOrt() does: require.resolve('onnxruntime-node') from dist/.
    const fromDist = createRequire(path.join(ext, 'dist', 'extension.js'));
    const ortModule = fromDist.resolve('onnxruntime-node');
    assert.ok(ortModule.startsWith(path.join(ext, 'dist', 'node_modules', 'onnxruntime-node') + path.sep), `resolved to the packaged copy: ${ortModule}`);
    const pkgVersion = (JSON.parse(fs.readFileSync(fromDist.resolve('onnxruntime-node/package.json'), 'utf8')) as { version: string }).version;
    assert.equal(pkgVersion, ORT_VERSION);

    const plan = planOnnx(netOf(example('mixvargenet_imagenet.py')), { batch: 1 });
    const profileDir = path.join(tmp, 'profile');
    fs.mkdirSync(profileDir);
    const job: WorkerJob = {
      type: 'job',
      ortModule,
      plan,
      inputName: plan.input.name,
      inputDims: plan.input.dims as number[],
      inputSeed: 1,
      threads: 1,
      warmup: 1,
      runs: 3,
      graphOptimizationLevel: 'all',
      profileRuns: 1,
      profileDir,
      returnOutputs: false,
    };
    const r = await runWorker(path.join(ext, 'dist', 'perf-worker.js'), job);
    assert.equal(r.type, 'result', JSON.stringify(r));
    const res = r as WorkerResult;
    assert.equal(res.ortVersion, ORT_VERSION);
    assert.equal(res.timesMs.length, 3);
    assert.ok(res.timesMs.every((t) => Number.isFinite(t) && t > 0), `latencies: ${res.timesMs.join(', ')}`);
    assert.deepEqual(res.outputs.map((o) => o.dims), [[1, 1000]], 'the 1000 logits of the seed classifier');
    assert.ok(res.outputs[0].finite);
    assert.ok(res.nodes && res.nodes.some((n) => n.name.startsWith('stage0.')), 'ORT profiling works there too (per-stage node names)');
  });

  it('without its dist/node_modules the unpacked copy finds no onnxruntime-node (nothing outside it answered the test above)', async () => {
    const dir = path.join(tmp, 'stripped');
    new AdmZip(vsix).extractAllTo(dir, true);
    const ext = path.join(dir, 'extension');
    fs.rmSync(path.join(ext, 'dist', 'node_modules'), { recursive: true });
    assert.throws(() => createRequire(path.join(ext, 'dist', 'extension.js')).resolve('onnxruntime-node'), /Cannot find module 'onnxruntime-node'/);
    // The worker, handed the bare name, cannot load it either: it reports the error (and does not hang).
    const plan = planOnnx(netOf(example('mixvargenet_imagenet.py')), { batch: 1 });
    const r = await runWorker(path.join(ext, 'dist', 'perf-worker.js'), {
      type: 'job',
      ortModule: 'onnxruntime-node',
      plan,
      inputName: plan.input.name,
      inputDims: plan.input.dims as number[],
      inputSeed: 1,
      threads: 1,
      warmup: 0,
      runs: 1,
      graphOptimizationLevel: 'all',
      profileRuns: 0,
      profileDir: tmp,
      returnOutputs: false,
    });
    assert.equal(r.type, 'error', JSON.stringify(r).slice(0, 500));
    assert.match((r as { message: string }).message, /Cannot find module 'onnxruntime-node'/);
  });
});
