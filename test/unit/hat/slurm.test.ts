// The Slurm launcher's pure parts: the job plan (sbatch argv, the script — run through /bin/sh with a stand-in srun
// that reports the argv it received, for hostile strings), the state parser on real scontrol/squeue output captured
// from the test cluster (test/fixtures/slurm/capture.sh), the hostlist expansion, the settings, and the launcher
// script shipped in the .vsix (resources/mvg_slurm_launch.py) run with a Slurm task's environment.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  addJob,
  describeJob,
  emptyStore,
  expandNodelist,
  isTerminal,
  jobStatus,
  parseSbatchId,
  parseScontrolJob,
  parseSqueue,
  parseStore,
  planJob,
  removeJob,
  sanitizeSlurmOptions,
  serializeStore,
  shellQuote,
  slurmFilename,
  stageSpec,
  type JobPlanInput,
} from '../../../extension/core/hat';
import { recordJobRun, rememberJob } from '../../../extension/core/hat/store';
import { requireOrSkip } from '../../requires';
import { run } from './helpers';

const ROOT = path.join(__dirname, '../../../..');
const FIX = path.join(ROOT, 'test/fixtures/slurm');
const LAUNCHER = path.join(ROOT, 'resources/mvg_slurm_launch.py');
const fixture = (n: string) => fs.readFileSync(path.join(FIX, n), 'utf8');
const slurm = (o: object = {}) => sanitizeSlurmOptions({ nodes: 2, gpusPerNode: 4, ...o });

function input(stage: string, extra: Partial<JobPlanInput> = {}): JobPlanInput {
  return {
    spec: stageSpec(stage)!,
    scriptsDir: '/hat/scripts',
    python: '/usr/bin/python3',
    config: '/work/cfg.py',
    slurm: slurm(),
    launcher: '/job/mvg_slurm_launch.py',
    scriptFile: '/job/job.sh',
    outputFile: '/job/job.out',
    jobName: 'mvg-test',
    ...extra,
  };
}

const HOSTILE = [
  'plain',
  'with space',
  `it's "quoted"`,
  '$(touch pwned)',
  '`touch pwned2`',
  '$HOME ${PATH} $1 $@ $$',
  'line\nbreak\n',
  'tab\tand;semi|pipe&amp>redir<in',
  'ünïcødé 训练 🚀',
  '*.py ? [a-z] ~ ~/x',
  "-n",
  'a=b',
  '\\back\\slash\\',
  "'",
  '',
  '!history #comment',
];

describe('hat: Slurm job plan', () => {
  it('float training: one task per GPU on every node, HAT with --launcher torch before the user args, options as argv', () => {
    const p = planJob(input('float_train', { slurm: slurm({ partition: 'gpu a', account: 'team', qos: 'high', time: '1-00:00:00', constraint: 'a100', sbatchArgs: ['--mem=200G', '--exclusive'] }), options: { args: ['--opts', 'x', '1'] } }));
    assert.ok(p.ok);
    assert.deepEqual(p.sbatch, [
      'sbatch',
      '--parsable',
      '--job-name=mvg-test',
      '--output=/job/job.out',
      '--export=ALL',
      '--chdir=/hat/scripts',
      '--nodes=2',
      '--ntasks-per-node=4',
      '--gpus-per-node=4',
      '--partition=gpu a',
      '--account=team',
      '--qos=high',
      '--time=1-00:00:00',
      '--constraint=a100',
      '--mem=200G',
      '--exclusive',
      '/job/job.sh',
    ]);
    // HAT's --opts takes everything after it (nargs=REMAINDER): --launcher torch must come before.
    assert.deepEqual(p.command, ['/usr/bin/python3', 'tools/train.py', '--config', '/work/cfg.py', '--stage', 'float', '--launcher', 'torch', '--opts', 'x', '1']);
    assert.equal(p.nodes, 2);
    assert.equal(p.tasks, 8);
    assert.equal(p.env.PYTHONUNBUFFERED, '1');
  });

  it('calibration runs on one process (with --launcher torch, world size 1); predict on one process without it', () => {
    const cal = planJob(input('calibration'));
    assert.ok(cal.ok);
    assert.deepEqual(cal.sbatch.filter((a) => /^--(nodes|ntasks-per-node|gpus-per-node)=/.test(a)), ['--nodes=1', '--ntasks-per-node=1', '--gpus-per-node=1']);
    assert.equal(cal.tasks, 1);
    assert.deepEqual(cal.command.slice(-2), ['--launcher', 'torch']);
    const pred = planJob(input('float_predict'));
    assert.ok(pred.ok);
    assert.equal(pred.tasks, 1);
    assert.ok(!pred.command.includes('--launcher'), pred.command.join(' '));
    const cpu = planJob(input('compile_perf', { slurm: slurm({ gpusPerNode: 0 }) }));
    assert.ok(cpu.ok);
    assert.ok(!cpu.sbatch.some((a) => a.startsWith('--gpus-per-node')), 'no GPUs asked for with gpusPerNode 0');
  });

  it("escapes % in the output path (sbatch reads %j, %N… there) and refuses a NUL", () => {
    assert.equal(slurmFilename('/a/100%/x-%j.out'), '/a/100%%/x-%%j.out');
    const p = planJob(input('calibration', { outputFile: '/w/50% done/job.out' }));
    assert.ok(p.ok);
    assert.ok(p.sbatch.includes('--output=/w/50%% done/job.out'));
    const bad = planJob(input('calibration', { config: '/w/a\0b.py' }));
    assert.equal(bad.ok, false);
  });

  it('an unknown stage option is an error before anything is written (pack without srcDataDir)', () => {
    const p = planJob(input('pack_train'));
    assert.equal(p.ok, false);
    assert.match((p as { error: string }).error, /srcDataDir/);
  });

  it('the generated script, run by /bin/sh, passes every hostile word to srun literally (a stand-in srun reports its argv)', function () {
    requireOrSkip(this, fs.existsSync('/bin/sh'), '/bin/sh', 'a POSIX system');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-slurm-quote-'));
    try {
      const bin = path.join(tmp, 'bin');
      fs.mkdirSync(bin);
      const report = path.join(tmp, 'argv.json');
      // The stand-in srun: writes the argv and cwd it got as JSON (python3: exact bytes, no shell involved).
      fs.writeFileSync(path.join(bin, 'srun'), `#!/usr/bin/python3\nimport json, os, sys\nopen(${JSON.stringify(report)}, "w", encoding="utf-8").write(json.dumps({"argv": sys.argv[1:], "cwd": os.getcwd()}))\n`, { mode: 0o755 });
      const scripts = path.join(tmp, `scripts $(touch pwned) 'q' "dq" \`x\` ü`);
      fs.mkdirSync(scripts);
      for (const word of HOSTILE) {
        const config = path.join(tmp, `cfg ${word.replace(/\//g, '_')}.py`);
        const p = planJob(input('float_train', { scriptsDir: scripts, config, python: `/opt/py ${word}/python3`, launcher: `/job ${word}/launch.py`, options: { args: ['--opts', word, 'k'] } }));
        assert.ok(p.ok);
        const scriptFile = path.join(tmp, 'job.sh');
        fs.writeFileSync(scriptFile, p.script);
        fs.rmSync(report, { force: true });
        const r = spawnSync('/bin/sh', [scriptFile], { cwd: tmp, env: { PATH: `${bin}:/usr/bin:/bin`, HOME: '/nonexistent' }, encoding: 'utf8' });
        assert.equal(r.status, 0, `sh failed for ${JSON.stringify(word)}: ${r.stderr}`);
        const got = JSON.parse(fs.readFileSync(report, 'utf8')) as { argv: string[]; cwd: string };
        const expected = ['--kill-on-bad-exit=1', '--nodes=2', '--ntasks-per-node=4', `/opt/py ${word}/python3`, `/job ${word}/launch.py`, '--', `/opt/py ${word}/python3`, 'tools/train.py', '--config', config, '--stage', 'float', '--launcher', 'torch', '--opts', word, 'k'];
        assert.deepEqual(got.argv, expected, `argv for ${JSON.stringify(word)}`);
        assert.equal(got.cwd, scripts);
      }
      assert.deepEqual(fs.readdirSync(tmp).filter((f) => f.startsWith('pwned')), [], 'no command substitution ran');
      assert.ok(!fs.existsSync(path.join(scripts, 'pwned')));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('shellQuote: safe words bare, everything else in single quotes (an embedded quote closed and escaped)', () => {
    assert.equal(shellQuote('tools/train.py'), 'tools/train.py');
    assert.equal(shellQuote(`a'b`), `'a'\\''b'`);
    assert.equal(shellQuote('a b'), `'a b'`);
    assert.equal(shellQuote('$(x)'), `'$(x)'`);
    assert.equal(shellQuote('~'), `'~'`);
    assert.equal(shellQuote('line\nbreak'), `'line\nbreak'`);
  });
});

describe('hat: Slurm job states (real output of the test cluster)', () => {
  it('scontrol show job -o: PENDING with its reason, RUNNING with its nodes, and every end', () => {
    assert.deepEqual(parseScontrolJob(fixture('pending.scontrol.txt')), { jobId: '11', state: 'PENDING', reason: 'Resources', nodes: [], exitCode: 0, signal: 0 });
    assert.deepEqual(parseScontrolJob(fixture('running.scontrol.txt')), { jobId: '10', state: 'RUNNING', nodes: ['node1', 'node2'], exitCode: 0, signal: 0 });
    assert.deepEqual(parseScontrolJob(fixture('cancelled.scontrol.txt')), { jobId: '10', state: 'CANCELLED', nodes: ['node1', 'node2'], exitCode: 0, signal: 15 });
    assert.deepEqual(parseScontrolJob(fixture('failed.scontrol.txt')), { jobId: '12', state: 'FAILED', reason: 'NonZeroExitCode', nodes: ['node1'], exitCode: 3, signal: 0 });
    assert.deepEqual(parseScontrolJob(fixture('completed.scontrol.txt')), { jobId: '14', state: 'COMPLETED', nodes: ['node1'], exitCode: 0, signal: 0 });
    assert.deepEqual(parseScontrolJob(fixture('timeout.scontrol.txt')), { jobId: '13', state: 'TIMEOUT', reason: 'TimeLimit', nodes: ['node1'], exitCode: 0, signal: 15 });
    assert.equal(parseScontrolJob(fixture('unknown.scontrol.txt')), undefined, '"Invalid job id specified" is no job');
    assert.equal(parseScontrolJob(''), undefined);
  });

  it("squeue -o '%i|%T|%r|%N': pending and running; nothing once the job has left the queue", () => {
    assert.deepEqual(parseSqueue(fixture('pending.squeue.txt')), { jobId: '11', state: 'PENDING', reason: 'Resources', nodes: [] });
    assert.deepEqual(parseSqueue(fixture('running.squeue.txt')), { jobId: '10', state: 'RUNNING', nodes: ['node1', 'node2'] });
    assert.equal(parseSqueue(fixture('cancelled.squeue.txt')), undefined);
    assert.equal(parseSqueue('JOBID PARTITION NAME'), undefined, 'a header line is not a job');
  });

  it('what a person reads, and what the record says', () => {
    const d = (f: string) => describeJob(parseScontrolJob(fixture(f))!);
    assert.equal(d('pending.scontrol.txt'), 'PENDING (Resources)');
    assert.equal(d('running.scontrol.txt'), 'RUNNING on node1, node2');
    assert.equal(d('failed.scontrol.txt'), 'FAILED (exit code 3, NonZeroExitCode)');
    assert.equal(d('timeout.scontrol.txt'), 'TIMEOUT (TimeLimit)');
    assert.equal(d('cancelled.scontrol.txt'), 'CANCELLED');
    assert.equal(d('completed.scontrol.txt'), 'COMPLETED');
    const st = (f: string) => jobStatus(parseScontrolJob(fixture(f))!);
    assert.deepEqual(['completed', 'failed', 'timeout', 'cancelled'].map((s) => st(`${s}.scontrol.txt`)), ['ok', 'failed', 'failed', 'cancelled']);
    for (const s of ['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'NODE_FAIL', 'OUT_OF_MEMORY']) assert.ok(isTerminal(s), s);
    for (const s of ['PENDING', 'RUNNING', 'COMPLETING', 'CONFIGURING', 'SUSPENDED']) assert.ok(!isTerminal(s), s);
  });

  it('sbatch --parsable: the job id (with or without a cluster name); anything else is none', () => {
    assert.equal(parseSbatchId('1234\n'), '1234');
    assert.equal(parseSbatchId('77;mvgtest\n'), '77');
    assert.equal(parseSbatchId('sbatch: error: Batch job submission failed: Invalid partition name specified\n'), undefined);
    assert.equal(parseSbatchId(''), undefined);
  });

  it('hostlists expand as scontrol show hostnames does', () => {
    assert.deepEqual(expandNodelist('node[1-2]'), ['node1', 'node2']);
    assert.deepEqual(expandNodelist('gpu[01-03,7],login'), ['gpu01', 'gpu02', 'gpu03', 'gpu7', 'login']);
    assert.deepEqual(expandNodelist('a[1-2]b[3-4]'), ['a1b3', 'a1b4', 'a2b3', 'a2b4']);
    assert.deepEqual(expandNodelist('node1'), ['node1']);
    assert.deepEqual(expandNodelist(''), []);
    assert.deepEqual(expandNodelist('(null)'), []);
    const real = spawnSync('scontrol', ['show', 'hostnames', 'gpu[01-03,7],login'], { encoding: 'utf8' });
    if (real.status === 0) assert.deepEqual(real.stdout.trim().split('\n'), ['gpu01', 'gpu02', 'gpu03', 'gpu7', 'login'], 'scontrol agrees');
  });
});

describe('hat: Slurm settings', () => {
  it('keeps well-typed options, drops the rest, layers a stage over the global ones', () => {
    const g = sanitizeSlurmOptions({ nodes: 2, gpusPerNode: 4, partition: ' gpu ', sbatchArgs: ['--mem=1G', 3, ''], env: { NCCL_DEBUG: 'WARN', 'BAD NAME': 'x', N: 3, O: {} } });
    assert.deepEqual(g, { nodes: 2, gpusPerNode: 4, partition: 'gpu', sbatchArgs: ['--mem=1G'], env: { NCCL_DEBUG: 'WARN', N: '3' } });
    const s = sanitizeSlurmOptions({ nodes: 4, partition: 'big' }, g);
    assert.deepEqual(s, { ...g, nodes: 4, partition: 'big' });
    const bad = sanitizeSlurmOptions({ nodes: 0, gpusPerNode: -1, time: 'a\nb', qos: '' });
    assert.deepEqual(bad, { nodes: 1, gpusPerNode: 8, sbatchArgs: [], env: {} });
    assert.deepEqual(sanitizeSlurmOptions(null), { nodes: 1, gpusPerNode: 8, sbatchArgs: [], env: {} });
  });
});

describe('hat: Slurm jobs in the results store', () => {
  const job = { jobId: '42', config: 'configs/m.py', stage: 'float_train' as const, submittedAt: '2026-01-01T00:00:00.000Z', output: '.mixvargenet/slurm/x/job.out' };

  it('a submitted job round-trips through the file; a malformed one is dropped; none means no "jobs" key', () => {
    const s = addJob(emptyStore(), job);
    const p = parseStore(serializeStore(s));
    assert.ok(p.ok);
    assert.deepEqual(p.store.jobs, [job]);
    const bad = parseStore(JSON.stringify({ version: 1, configs: {}, jobs: [job, { jobId: 'x; rm', config: 'a', stage: 'float_train', output: 'o', submittedAt: 't' }, { jobId: '5', stage: 'nope' }] }));
    assert.ok(bad.ok);
    assert.deepEqual(bad.store.jobs, [job]);
    assert.ok(!('jobs' in JSON.parse(serializeStore(removeJob(s, '42')))));
  });

  it("a job's run is recorded once: the second recorder (another window, mvg) adds nothing", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-slurm-store-'));
    try {
      const file = path.join(dir, '.mixvargenet', 'results.json');
      await rememberJob(file, job);
      const rec = run('float_train', '2026-01-01T01:00:00.000Z', { jobId: '42', launcher: 'slurm', nodes: ['node1', 'node2'] });
      const first = await recordJobRun(file, 'configs/m.py', '42', rec);
      assert.equal(first.recorded, true);
      const second = await recordJobRun(file, 'configs/m.py', '42', { ...rec, id: 'other' });
      assert.equal(second.recorded, false);
      const stored = JSON.parse(fs.readFileSync(file, 'utf8'));
      assert.equal(stored.configs['configs/m.py'].length, 1);
      assert.deepEqual(stored.configs['configs/m.py'][0].nodes, ['node1', 'node2']);
      assert.equal(stored.jobs, undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('hat: the Slurm launcher shipped in the .vsix (resources/mvg_slurm_launch.py)', () => {
  const py = '/usr/bin/python3';
  const show = ['-c', 'import json, os, sys; print(json.dumps({k: os.environ.get(k) for k in ["RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT"]} | {"argv": sys.argv[1:]}))'];
  const task = { SLURM_PROCID: '5', SLURM_NTASKS: '8', SLURM_LOCALID: '1', SLURM_JOB_NODELIST: 'gpu[07-08]', SLURM_JOB_ID: '123' };

  before(function () {
    requireOrSkip(this, fs.existsSync(py), '/usr/bin/python3', 'apt-get install python3');
  });

  it('maps the Slurm task env to the torch env and execs the command (argv kept literally)', () => {
    // PATH without scontrol: the launcher expands the hostlist itself.
    const r = spawnSync(py, [LAUNCHER, '--', py, ...show, '$(x) `y`', 'a b'], { env: { PATH: '/nonexistent', ...task }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { RANK: '5', WORLD_SIZE: '8', LOCAL_RANK: '1', MASTER_ADDR: 'gpu07', MASTER_PORT: String(20000 + (123 % 20000)), argv: ['$(x) `y`', 'a b'] });
  });

  it('keeps a MASTER_ADDR / MASTER_PORT the user set, and uses scontrol show hostnames when there is one', function () {
    const r = spawnSync(py, [LAUNCHER, '--', py, ...show], { env: { PATH: '/nonexistent', ...task, MASTER_PORT: '29500', MASTER_ADDR: 'head' }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).MASTER_PORT, '29500');
    assert.equal(JSON.parse(r.stdout).MASTER_ADDR, 'head');
    const withScontrol = spawnSync('scontrol', ['--version']).status === 0;
    if (!withScontrol) return;
    const s = spawnSync(py, [LAUNCHER, '--', py, ...show], { env: { PATH: process.env.PATH, ...task, SLURM_JOB_NODELIST: 'zeta[3-4],alpha1' }, encoding: 'utf8' });
    assert.equal(JSON.parse(s.stdout).MASTER_ADDR, 'zeta3');
  });

  it('outside a Slurm task it says so and runs nothing', () => {
    const r = spawnSync(py, [LAUNCHER, '--', py, '-c', 'print("ran")'], { env: { PATH: '/usr/bin:/bin' }, encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /not inside a Slurm task \(SLURM_PROCID, SLURM_NTASKS, SLURM_JOB_NODELIST not set\)/);
    assert.doesNotMatch(r.stdout, /ran/);
  });
});

/** Wait until `fn` holds (polling; the stand-ins are Python processes, slow on a loaded machine). */
async function waitFor(fn: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('hat: following a Slurm job (stand-in scontrol/squeue on PATH)', function () {
  this.timeout(40_000);
  let tmp: string;
  let oldPath: string | undefined;
  const answer = (file: string, text: string, code = 0) => fs.writeFileSync(path.join(tmp, file), JSON.stringify({ text, code }));

  beforeEach(function () {
    requireOrSkip(this, fs.existsSync('/usr/bin/python3'), '/usr/bin/python3', 'apt-get install python3');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-slurm-follow-'));
    // Each stand-in prints what its answer file says now (the test changes it as the "job" moves on).
    for (const tool of ['scontrol', 'squeue', 'scancel']) {
      fs.writeFileSync(path.join(tmp, tool), `#!/usr/bin/python3\nimport json, sys\ntry:\n    a = json.load(open(${JSON.stringify(tmp + '/')} + "${tool}.json"))\nexcept OSError:\n    a = {"text": "", "code": 0}\nopen(${JSON.stringify(path.join(tmp, 'calls'))}, "a").write("${tool} " + " ".join(sys.argv[1:]) + "\\n")\n(sys.stdout if a["code"] == 0 else sys.stderr).write(a["text"])\nsys.exit(a["code"])\n`, { mode: 0o755 });
    }
    oldPath = process.env.PATH;
    process.env.PATH = `${tmp}:${oldPath}`;
  });
  afterEach(() => {
    process.env.PATH = oldPath;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('streams the output file as it grows, reports each state once, and reads the last lines after the end', async () => {
    const { followJob } = await import('../../../extension/run/slurm');
    const out = path.join(tmp, 'job.out');
    const states: string[] = [];
    let data = '';
    answer('scontrol.json', fixture('pending.scontrol.txt'));
    const f = followJob('11', { output: out, pollMs: 50, tailMs: 20, onData: (c) => (data += c), onState: (_i, t) => states.push(t) });
    await waitFor(() => states.length === 1, 'PENDING');
    fs.writeFileSync(out, 'first line\nünï');
    answer('scontrol.json', fixture('running.scontrol.txt').replace('JobId=10', 'JobId=11'));
    await waitFor(() => states.length === 2 && data === 'first line\nünï', 'RUNNING and the first bytes');
    fs.appendFileSync(out, 'cødé\n');
    answer('scontrol.json', fixture('completed.scontrol.txt').replace('JobId=14', 'JobId=11'));
    fs.appendFileSync(out, 'last line\n');
    const end = await f.done;
    assert.deepEqual(states, ['PENDING (Resources)', 'RUNNING on node1, node2', 'COMPLETED']);
    assert.equal(data, 'first line\nünïcødé\nlast line\n');
    assert.equal(end.info?.state, 'COMPLETED');
    assert.equal(end.cancelled, false);
  });

  it('a controller that cannot be asked is not the end of the job: it says so and keeps asking', async () => {
    const { followJob } = await import('../../../extension/run/slurm');
    answer('scontrol.json', 'slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n', 1);
    answer('squeue.json', 'squeue: error: Unable to contact slurm controller (connect failure)\n', 1);
    const states: string[] = [];
    const f = followJob('10', { output: path.join(tmp, 'none.out'), pollMs: 20, onData: () => undefined, onState: (_i, t) => states.push(t) });
    await waitFor(() => states.length > 0, 'the first state');
    // Several more polls (every 5 × 20 ms while the controller is away): still one line, and still following.
    const calls = () => (fs.existsSync(path.join(tmp, 'calls')) ? fs.readFileSync(path.join(tmp, 'calls'), 'utf8').split('\n').filter((l) => l.startsWith('scontrol')).length : 0);
    const before = calls();
    await waitFor(() => calls() >= before + 3, 'three more polls');
    assert.equal(states.length, 1, states.join(' | '));
    assert.match(states[0], /^state unknown \(slurm_load_jobs error: Unable to contact slurm controller/);
    answer('scontrol.json', fixture('cancelled.scontrol.txt'));
    f.stop();
    const end = await f.done;
    assert.equal(end.info?.state, 'CANCELLED');
    assert.equal(end.cancelled, true);
    assert.match(fs.readFileSync(path.join(tmp, 'calls'), 'utf8'), /^scancel 10$/m, 'cancel is scancel of the job');
  });

  it('a job Slurm does not know ends the following with that said (not a hang)', async () => {
    const { followJob } = await import('../../../extension/run/slurm');
    answer('scontrol.json', fixture('unknown.scontrol.txt'), 1);
    answer('squeue.json', 'slurm_load_jobs error: Invalid job id specified\n', 1);
    const end = await followJob('999999', { output: path.join(tmp, 'none.out'), pollMs: 10, onData: () => undefined, onState: () => undefined }).done;
    assert.equal(end.info, undefined);
    assert.match(end.error ?? '', /does not know job 999999/);
  });
});
