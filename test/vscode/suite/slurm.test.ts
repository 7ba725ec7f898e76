// HAT stages as Slurm jobs from the editor, against a real Slurm (test/slurm/setup.sh: 2 nodes × 4 fake GPUs on this
// machine; locally these skip with that command when no cluster answers, under CI=true they fail): the job id at once,
// its state followed (PENDING with its reason, RUNNING with its nodes), the live log, the results with the job, cancel
// by killing the task, and a job found again and followed to its end after the window lets go of it (a reload).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { requireOrSkip } from '../../requires';
import { api, closeAll, EXTENSION_ID, open, readWs, until, withSettings } from './lib/ext';
import { alive } from '../../processes';

interface Outcome {
  ok: boolean;
  status?: 'ok' | 'failed' | 'cancelled';
  error?: string;
  jobId?: string;
  record?: { stage: string; accuracy?: number; log?: string; launcher?: string; jobId?: string; jobState?: string; nodes?: string[] };
}

interface HatState {
  storeFile: string;
  key: string;
  runs: number;
  jobs: string[];
  inline?: { line: number; text: string; hover: string };
  running: { stage: string; eta?: string; jobId?: string; jobState?: string }[];
}

const state = (uri: vscode.Uri) => vscode.commands.executeCommand<HatState>('mixvargenet.hat._state', uri.toString());
const runStage = (cmd: string, uri: vscode.Uri) => vscode.commands.executeCommand<Outcome>(cmd, { uri: uri.toString(), silent: true });

function clusterUp(): boolean {
  const r = spawnSync('sinfo', ['-h', '-N', '-o', '%N %t'], { encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 && new Set(r.stdout.split('\n').filter((l) => /^node[12] (idle|mix|alloc)/.test(l.trim())).map((l) => l.split(' ')[0])).size === 2;
}

function jobState(id: string): string | undefined {
  return /JobState=(\S+)/.exec(spawnSync('scontrol', ['show', 'job', '-o', id], { encoding: 'utf8' }).stdout)?.[1];
}

describe('hat on Slurm: stages as jobs on a real cluster, from the editor', function () {
  this.timeout(150_000);
  let scripts: string;
  let seed: string;

  before(async function () {
    await api();
    if (!vscode.workspace.isTrusted) this.skip();
    requireOrSkip(this, clusterUp(), 'a Slurm test cluster (node1, node2)', 'bash test/slurm/setup.sh (as root)');
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    scripts = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-slurm-scripts-'));
    fs.cpSync(path.join(ext.extensionPath, 'test', 'fixtures', 'hat-scripts'), scripts, { recursive: true });
    seed = await readWs('configs/mixvargenet_imagenet.py');
  });
  after(() => scripts && fs.rmSync(scripts, { recursive: true, force: true }));
  afterEach(closeAll);

  const settings = (env: Record<string, string>, stage = 'float_train') => ({
    'hat.scriptsDir': scripts,
    'hat.python': '/usr/bin/python3',
    'hat.launcher': 'slurm',
    'hat.slurm.nodes': 2,
    'hat.slurm.gpusPerNode': 4,
    'hat.stages': { [stage]: { env: { PYTHONDONTWRITEBYTECODE: '1', ...env } } },
  });

  it('float training as a job: the job id at once, RUNNING on node1, node2 while it runs, 8 ranks, results with the job', async () => {
    const { doc } = await open({ content: seed });
    await withSettings(settings({ HAT_DOUBLE_STEPS: '12', HAT_DOUBLE_STEP_SECONDS: '0.4', HAT_DOUBLE_ACCURACY: '0.7021' }), async () => {
      const running = runStage('mixvargenet.hat.runFloatTraining', doc.uri);
      const seen = await until(async () => (await state(doc.uri)).running.find((r) => r.jobId && /^RUNNING on node1, node2$/.test(r.jobState ?? '')), 'the run to show its job RUNNING on both nodes', 60_000);
      assert.match(seen.jobId!, /^\d+$/);
      // While it runs the job is in the store, so a reloaded window finds it.
      assert.deepEqual((await state(doc.uri)).jobs, [seen.jobId]);
      const out = await running;
      assert.equal(out.ok, true, out.error);
      assert.equal(out.jobId, seen.jobId);
      assert.equal(out.record?.launcher, 'slurm');
      assert.equal(out.record?.jobId, seen.jobId);
      assert.equal(out.record?.jobState, 'COMPLETED');
      assert.deepEqual(out.record?.nodes, ['node1', 'node2']);
      assert.equal(out.record?.accuracy, 0.7021);
      const st = await state(doc.uri);
      assert.deepEqual(st.jobs, []);
      assert.match(st.inline?.text ?? '', /^float 70\.21%/);
      const log = fs.readFileSync(path.join(path.dirname(path.dirname(st.storeFile)), out.record!.log!), 'utf8');
      assert.match(log, new RegExp(`Submitted batch job ${seen.jobId}\\n`));
      assert.match(log, /\[slurm\] job \d+: RUNNING on node1, node2/);
      const ranks = [...log.matchAll(/Launch with rank: (\d) world_size: 8 hostname: (node[12])/g)].map((m) => `${m[1]}@${m[2]}`).sort();
      assert.deepEqual(ranks, ['0@node1', '1@node1', '2@node1', '3@node1', '4@node2', '5@node2', '6@node2', '7@node2']);
    });
  });

  it('killing the task cancels the job: scancel, CANCELLED, no process of it left, stored as cancelled', async () => {
    const { doc } = await open({ content: seed });
    const pidfile = path.join(scripts, `pids-${Date.now()}`);
    await withSettings(settings({ HAT_DOUBLE_STEPS: '600', HAT_DOUBLE_STEP_SECONDS: '0.5', HAT_DOUBLE_CHILD_PIDFILE: pidfile }), async () => {
      const running = runStage('mixvargenet.hat.runFloatTraining', doc.uri);
      const seen = await until(async () => (await state(doc.uri)).running.find((r) => r.jobState?.startsWith('RUNNING')), 'the job to run', 60_000);
      const files = await until(() => {
        const f = fs.readdirSync(scripts).filter((n) => n.startsWith(path.basename(pidfile) + '.') && !n.endsWith('.tmp'));
        return f.length === 8 && f;
      }, 'every rank to start', 30_000);
      const pids = files.flatMap((f) => fs.readFileSync(path.join(scripts, f), 'utf8').trim().split(/\s+/).map(Number));
      assert.ok(pids.length === 16 && pids.every(alive));
      const exec = vscode.tasks.taskExecutions.find((e) => e.task.definition.type === 'hat' && e.task.definition.stage === 'float_train');
      assert.ok(exec, 'the run is a task');
      exec.terminate();
      const out = await running;
      assert.equal(out.status, 'cancelled', out.error);
      assert.equal(jobState(seen.jobId!), 'CANCELLED');
      await until(() => pids.every((p) => !alive(p)), 'every process of the job to be gone', 20_000);
      assert.deepEqual((await state(doc.uri)).jobs, []);
    });
  });

  it('a job pending behind a busy cluster: its state and reason shown, then it runs', async () => {
    const { doc } = await open({ content: seed });
    const busy = spawnSync('sbatch', ['--parsable', '-N2', '--ntasks-per-node=4', '--gpus-per-node=4', '-o', '/dev/null', '--wrap', 'sleep 300'], { encoding: 'utf8' });
    assert.equal(busy.status, 0, busy.stderr);
    const busyId = busy.stdout.trim().split(';')[0];
    try {
      await until(() => jobState(busyId) === 'RUNNING', 'the busy job to run', 30_000);
      // The launcher and its options per stage: local for everything but calibration, which asks Slurm for 1 node.
      const perStage = {
        ...settings({}, 'calibration'),
        'hat.launcher': 'local',
        'hat.slurm.nodes': 1,
        'hat.slurm.gpusPerNode': 1,
        'hat.stages': { calibration: { launcher: 'slurm', slurm: { gpusPerNode: 4, nodes: 2 }, env: { HAT_DOUBLE_STEPS: '8', HAT_DOUBLE_STEP_SECONDS: '0.3' } } },
      };
      await withSettings(perStage, async () => {
        const running = runStage('mixvargenet.hat.runCalibration', doc.uri);
        const pending = await until(async () => (await state(doc.uri)).running.find((r) => /^PENDING \((Resources|Priority)\)$/.test(r.jobState ?? '')), 'the job shown PENDING with its reason', 30_000);
        assert.match(pending.jobId!, /^\d+$/);
        assert.equal(jobState(pending.jobId!), 'PENDING');
        spawnSync('scancel', [busyId]);
        const out = await running;
        assert.equal(out.ok, true, out.error);
        assert.equal(out.record?.nodes?.length, 1, 'calibration: one node, one process');
      });
    } finally {
      spawnSync('scancel', [busyId]);
    }
  });

  it('a window reload: the job runs on, is found again from the store and followed to its end and its record', async () => {
    const { doc } = await open({ content: seed });
    await withSettings(settings({ HAT_DOUBLE_STEPS: '25', HAT_DOUBLE_STEP_SECONDS: '0.4', HAT_DOUBLE_ACCURACY: '0.6999' }), async () => {
      const running = runStage('mixvargenet.hat.runFloatTraining', doc.uri);
      const seen = await until(async () => (await state(doc.uri)).running.find((r) => r.jobState?.startsWith('RUNNING')), 'the job to run', 60_000);
      const id = seen.jobId!;
      // What the window does when it reloads: stop following; the job is not cancelled.
      assert.deepEqual(await vscode.commands.executeCommand('mixvargenet.hat._detachJobs'), [id]);
      const first = await running;
      assert.equal(first.ok, false);
      assert.match(first.error ?? '', /detached/);
      assert.equal(jobState(id), 'RUNNING', 'the job runs on');
      assert.deepEqual((await state(doc.uri)).jobs, [id], 'and stays in the store');
      // What the reloaded window does at start: follow again every job of the store nobody follows.
      assert.deepEqual(await vscode.commands.executeCommand('mixvargenet.hat._reattachJobs'), [id]);
      const again = await until(async () => (await state(doc.uri)).running.find((r) => r.jobId === id), 'the job followed again', 20_000);
      assert.equal(again.stage, 'float_train');
      const st = await until(async () => {
        const s = await state(doc.uri);
        return s.jobs.length === 0 && s.runs > 0 && s;
      }, 'the job recorded', 90_000);
      const store = JSON.parse(fs.readFileSync(st.storeFile, 'utf8'));
      const rec = store.configs[st.key].find((r: { jobId?: string }) => r.jobId === id);
      assert.equal(rec.status, 'ok');
      assert.equal(rec.accuracy, 0.6999);
      assert.deepEqual(rec.nodes, ['node1', 'node2']);
      // The reattached follower read the output from its start: every rank is in the log.
      const log = fs.readFileSync(path.join(path.dirname(path.dirname(st.storeFile)), rec.log), 'utf8');
      assert.equal(log.match(/Launch with rank/g)?.length, 8);
      assert.match(log, new RegExp(`Following Slurm job ${id} again`));
    });
  });
});
