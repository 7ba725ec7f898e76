// `mvg run … --launcher slurm` against a real Slurm: Debian's slurm-wlm with 2 nodes × 4 fake GPUs on this machine
// (test/slurm/setup.sh, which CI runs; locally these tests skip with that command when no cluster answers). The HAT
// test double prints, per process, HAT's `Launch with rank: R world_size: W hostname: H dist_url: …` from the torch
// env and really rendezvouses at MASTER_ADDR:MASTER_PORT, so a wrong mapping fails or hangs here.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { memoryIO, run } from '../../../extension/cli/main';
import type { RunJson } from '../../../extension/cli/run';
import { parseScontrolJob } from '../../../extension/core/hat';
import { requireOrSkip } from '../../requires';
import { alive } from '../../processes';

const ROOT = path.join(__dirname, '../../../..');
const SEED = fs.readFileSync(path.join(ROOT, 'examples/configs/mixvargenet_imagenet.py'), 'utf8');

/** Both nodes of the test cluster answer (idle, mixed or allocated). */
export function clusterUp(): boolean {
  const r = spawnSync('sinfo', ['-h', '-N', '-o', '%N %t'], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) return false;
  const up = r.stdout.split('\n').filter((l) => /^node[12] (idle|mix|alloc)/.test(l.trim()));
  return new Set(up.map((l) => l.split(' ')[0])).size === 2;
}

interface Launch {
  rank: number;
  world: number;
  host: string;
  url: string;
}

function launches(log: string): Launch[] {
  return [...log.matchAll(/Node\[(\d+)\] Launch with rank: (\d+) world_size: (\d+) hostname: (\S+) dist_url: (\S+)/g)].map((m) => {
    assert.equal(m[1], m[2], 'the log line is tagged with its own rank');
    return { rank: Number(m[2]), world: Number(m[3]), host: m[4], url: m[5] };
  });
}

async function until<T>(fn: () => T | undefined | false, what: string, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('hat: mvg run on a real Slurm cluster (2 nodes × 4 GPUs)', function () {
  this.timeout(120_000);
  let ws: string;
  let config: string;

  before(function () {
    requireOrSkip(this, clusterUp(), 'a Slurm test cluster (node1, node2)', 'bash test/slurm/setup.sh (as root)');
    requireOrSkip(this, fs.existsSync('/usr/bin/python3'), '/usr/bin/python3', 'apt-get install python3');
  });
  beforeEach(() => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-slurm-ws-'));
    fs.cpSync(path.join(ROOT, 'test/fixtures/hat-scripts'), path.join(ws, 'scripts'), { recursive: true });
    config = path.join(ws, 'scripts', 'configs', 'mixvargenet_imagenet.py');
    fs.mkdirSync(path.dirname(config), { recursive: true });
    fs.writeFileSync(config, SEED);
  });
  afterEach(() => {
    // A job a failed test left behind (still in the workspace's store) must not hold the cluster for the next.
    try {
      const store = JSON.parse(fs.readFileSync(path.join(ws, '.mixvargenet', 'results.json'), 'utf8')) as { jobs?: { jobId: string }[] };
      for (const j of store.jobs ?? []) spawnSync('scancel', [j.jobId]);
    } catch {
      /* no store */
    }
    fs.rmSync(ws, { recursive: true, force: true });
  });

  async function mvg(args: string[], env: Record<string, string> = {}, signal?: AbortSignal) {
    const io = memoryIO({ cwd: ws, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', HAT_DOUBLE_STEP_SECONDS: '0.1', ...env } });
    const code = await run(['run', ...args, '--python', '/usr/bin/python3', '--json'], io, signal);
    const json = JSON.parse(io.out) as RunJson;
    return { code, json, log: io.err, io };
  }

  it('float training: 8 ranks over node1 and node2 (ranks 0–7, world size 8), one master, the results stored with the job', async () => {
    const { code, json, log } = await mvg(['float_train', config, '--launcher', 'slurm', '--nodes', '2', '--gpus-per-node', '4'], { HAT_DOUBLE_ACCURACY: '0.7011' });
    assert.equal(code, 0, log);
    const l = launches(log);
    assert.deepEqual(l.map((x) => x.rank).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.ok(l.every((x) => x.world === 8));
    // srun's block distribution: ranks 0-3 on the first node, 4-7 on the second.
    assert.deepEqual(l.filter((x) => x.host === 'node1').map((x) => x.rank).sort(), [0, 1, 2, 3]);
    assert.deepEqual(l.filter((x) => x.host === 'node2').map((x) => x.rank).sort(), [4, 5, 6, 7]);
    assert.equal(new Set(l.map((x) => x.url)).size, 1, 'every rank has the same master');
    assert.match(l[0].url, /^tcp:\/\/node1:\d+$/);
    // The JSON of the issue, exactly these keys.
    assert.deepEqual(Object.keys(json).sort(), ['accuracy', 'config', 'exitCode', 'fps', 'jobId', 'launcher', 'logFile', 'metrics', 'nodes', 'rootCause', 'stage', 'status'].sort());
    assert.equal(json.status, 'succeeded');
    assert.equal(json.exitCode, 0);
    assert.equal(json.launcher, 'slurm');
    assert.match(json.jobId!, /^\d+$/);
    assert.deepEqual(json.nodes, ['node1', 'node2']);
    assert.equal(json.accuracy, 0.7011);
    assert.equal(json.fps, null);
    assert.equal(json.rootCause, null);
    assert.match(log, new RegExp(`Submitted batch job ${json.jobId}\\n`));
    assert.match(log, /\[slurm\] job \d+: RUNNING on node1, node2/);
    // Stored as the editor stores runs, with launcher, job id and nodes; the job no longer pending in the store.
    const store = JSON.parse(fs.readFileSync(path.join(ws, '.mixvargenet', 'results.json'), 'utf8'));
    const [rec] = store.configs['scripts/configs/mixvargenet_imagenet.py'];
    assert.equal(rec.launcher, 'slurm');
    assert.equal(rec.jobId, json.jobId);
    assert.deepEqual(rec.nodes, ['node1', 'node2']);
    assert.equal(rec.accuracy, 0.7011);
    assert.equal(store.jobs, undefined);
    assert.equal(fs.readFileSync(json.logFile!, 'utf8').match(/Launch with rank/g)?.length, 8, 'the saved log has every rank');
  });

  it('calibration runs on one process (rank 0 of 1), as HAT does', async () => {
    const { code, json, log } = await mvg(['calibration', config, '--launcher', 'slurm', '--nodes', '2', '--gpus-per-node', '4']);
    assert.equal(code, 0, log);
    assert.deepEqual(launches(log).map((x) => [x.rank, x.world]), [[0, 1]]);
    assert.equal(json.accuracy, 0.7066);
    assert.equal(json.nodes?.length, 1);
  });

  it('one rank failing on node2: the job FAILED, one root cause (its rank, the config line), the other ranks stopped', async () => {
    const { code, json, log } = await mvg(['float_train', config, '--launcher', 'slurm', '--nodes', '2', '--gpus-per-node', '4'], { HAT_DOUBLE_FAIL: 'KeyError:mixvarge_f2_gb16', HAT_DOUBLE_FAIL_RANK: '5', HAT_DOUBLE_STEPS: '200' });
    assert.equal(json.status, 'failed', log);
    assert.notEqual(code, 0);
    assert.equal(code, json.exitCode ?? 1);
    assert.match(log, /\[slurm\] job \d+: FAILED/);
    assert.deepEqual(json.rootCause && { exception: json.rootCause.exception, message: json.rootCause.message, ranks: json.rootCause.ranks }, { exception: 'KeyError', message: "'mixvarge_f2_gb16'", ranks: [5] });
    const line = SEED.split('\n').findIndex((l) => l.includes('mixvarge_f2_gb16')) + 1;
    assert.equal(json.rootCause?.line, line);
    assert.equal(log.match(/Traceback \(most recent call last\)/g)?.length, 1, 'one rank printed a traceback');
    assert.ok(!/END FLOAT STAGE/.test(log), 'srun ended the other ranks (--kill-on-bad-exit) before they finished');
  });

  it('without the torch env HAT fails as it would: the double, run by hand with --launcher torch, names the missing variable', () => {
    const r = spawnSync('/usr/bin/python3', ['tools/train.py', '--config', config, '--stage', 'float', '--launcher', 'torch'], { cwd: path.join(ws, 'scripts'), encoding: 'utf8', env: { PATH: process.env.PATH } });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /ValueError: Error initializing torch\.distributed using env:\/\/ rendezvous: environment variable RANK expected, but not set/);
  });

  it('cancel (Ctrl+C): scancel, the job CANCELLED, no process of it left, the run stored as cancelled', async () => {
    const ac = new AbortController();
    const pidfile = path.join(ws, 'pids');
    const running = mvg(['float_train', config, '--launcher', 'slurm', '--nodes', '2', '--gpus-per-node', '4'], { HAT_DOUBLE_STEPS: '600', HAT_DOUBLE_STEP_SECONDS: '0.5', HAT_DOUBLE_CHILD_PIDFILE: pidfile }, ac.signal);
    const files = await until(() => {
      const f = fs.readdirSync(ws).filter((n) => n.startsWith('pids.') && !n.endsWith('.tmp'));
      return f.length === 8 && f;
    }, 'all 8 ranks to start').catch((e: unknown) => {
      ac.abort();
      throw e;
    });
    const pids = files.flatMap((f) => fs.readFileSync(path.join(ws, f), 'utf8').trim().split(/\s+/).map(Number));
    assert.equal(pids.length, 16, 'each rank and its grandchild');
    assert.ok(pids.every(alive));
    ac.abort();
    const { code, json, log } = await running;
    assert.equal(code, 130, log);
    assert.equal(json.status, 'cancelled');
    assert.match(log, /\[slurm\] job \d+: CANCELLED/);
    const sc = spawnSync('scontrol', ['show', 'job', '-o', json.jobId!], { encoding: 'utf8' });
    assert.equal(parseScontrolJob(sc.stdout)?.state, 'CANCELLED');
    await until(() => pids.every((p) => !alive(p)), 'every process of the job to be gone', 15_000);
    const store = JSON.parse(fs.readFileSync(path.join(ws, '.mixvargenet', 'results.json'), 'utf8'));
    assert.equal(store.configs['scripts/configs/mixvargenet_imagenet.py'][0].status, 'cancelled');
  });

  it('a job pending behind a busy cluster shows PENDING with its reason, then runs when the cluster frees up', async () => {
    const busy = spawnSync('sbatch', ['--parsable', '-N2', '--ntasks-per-node=4', '--gpus-per-node=4', '-o', '/dev/null', '--wrap', 'sleep 300'], { encoding: 'utf8' });
    assert.equal(busy.status, 0, busy.stderr);
    const busyId = busy.stdout.trim().split(';')[0];
    try {
      await until(() => parseScontrolJob(spawnSync('scontrol', ['show', 'job', '-o', busyId], { encoding: 'utf8' }).stdout)?.state === 'RUNNING', 'the busy job to run');
      const io = memoryIO({ cwd: ws, env: { ...process.env, HAT_DOUBLE_STEPS: '10', HAT_DOUBLE_STEP_SECONDS: '0.3' } });
      const done = run(['run', 'calibration', config, '--launcher', 'slurm', '--gpus-per-node', '4', '--python', '/usr/bin/python3', '--json'], io) as Promise<number>;
      await until(() => /\[slurm\] job \d+: PENDING \((Resources|Priority)\)/.test(io.err), 'the job to be shown PENDING with its reason');
      spawnSync('scancel', [busyId]);
      assert.equal(await done, 0, io.err);
      assert.match(io.err, /PENDING \((Resources|Priority)\)[\s\S]*RUNNING on node[12]/);
    } finally {
      spawnSync('scancel', [busyId]);
    }
  });

  it('a config path with spaces, quotes, $() and backticks arrives literally in every process of the job', async () => {
    const dir = path.join(ws, 'scripts', `weird dir $(touch pwned) 'q' "dq"`);
    fs.mkdirSync(dir);
    const weird = path.join(dir, `cfg \`touch pwned2\` $HOME 'a' "b" ü.py`);
    fs.writeFileSync(weird, SEED);
    const { code, log } = await mvg(['float_train', weird, '--launcher', 'slurm', '--nodes', '2', '--gpus-per-node', '2']);
    assert.equal(code, 0, log);
    const argvs = log.split('\n').filter((l) => l.startsWith('HAT-TEST-DOUBLE ')).map((l) => (JSON.parse(l.slice(16)) as { argv: string[] }).argv);
    assert.equal(argvs.length, 4);
    for (const a of argvs) assert.deepEqual(a.slice(1, 3), ['--config', path.relative(path.join(ws, 'scripts'), weird)]);
    const leaked = spawnSync('find', [ws, '-name', 'pwned*'], { encoding: 'utf8' }).stdout.trim();
    assert.equal(leaked, '', 'no command substitution ran anywhere');
  });

  it('mvg run --launcher local: the same JSON, no job, the exit code of a failed stage', async () => {
    const ok = await mvg(['float_predict', config]);
    assert.equal(ok.code, 0, ok.log);
    assert.equal(ok.json.launcher, 'local');
    assert.equal(ok.json.jobId, null);
    assert.equal(ok.json.nodes, null);
    assert.equal(ok.json.accuracy, 0.7132);
    const bad = await mvg(['calibration', config], { HAT_DOUBLE_FAIL: 'KeyError:mixvarge_f4' });
    assert.equal(bad.code, 1);
    assert.equal(bad.json.status, 'failed');
    assert.equal(bad.json.rootCause?.exception, 'KeyError');
  });
});
