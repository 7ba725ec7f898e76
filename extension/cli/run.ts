/**
 * `mvg run STAGE CONFIG`: a HAT stage from a terminal or CI, with the editor's discovery (HAT's scripts folder),
 * command (argv, no shell), launchers (local process tree, or a Slurm job: extension/run/slurm.ts), log parsers and
 * results store. Streams the log; exits with the stage's status; Ctrl+C stops the run (scancel for a job).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildCommand, findScriptsDir, locateFailure, recordFromReport, type RunRecord, sanitizeSlurmOptions, STAGE_IDS, stageSpec } from '../core/hat';
import { appendRun, findStoreRoot, recordJobRun, rememberJob, storePathFor } from '../core/hat/store';
import { configKey } from '../core/hat/results';
import { parseLog } from '../core/logs/parse';
import { OutputCapture, RunLog } from '../run/output';
import { nodePath } from '../run/paths';
import { startProcess } from '../run/process';
import { activeJobEntry, followJob, jobFolder, jobName, jobOutcome, onPath, prepareJob, submitJob } from '../run/slurm';
import { type FlagSpec, flagInt, flagSet, flagString, parseArgs } from './args';
import { type CliIO, EXIT_OK, InputError, UsageError } from './io';

export const RUN_FLAGS: FlagSpec[] = [
  { name: 'launcher', value: true },
  { name: 'nodes', value: true },
  { name: 'gpus-per-node', value: true },
  { name: 'partition', value: true },
  { name: 'scripts-dir', value: true },
  { name: 'python', value: true },
  { name: 'json' },
  { name: 'help', short: 'h' },
];

export const RUN_HELP = `Usage: mvg run STAGE CONFIG [--launcher local|slurm] [--nodes N] [--gpus-per-node G]
               [--partition P] [--scripts-dir DIR] [--python PY] [--json]

Runs a HAT stage on a config, as the editor's HAT tasks do: from HAT's scripts folder (the nearest folder above
CONFIG with tools/train.py, or --scripts-dir), with --python (default python3), the argv run without a shell. The
log streams to stdout (to stderr with --json) and is saved under .mixvargenet/logs/; the run (accuracy, metrics,
FPS, a failure's root cause collapsed across ranks and nodes) is added to .mixvargenet/results.json of the nearest
folder above CONFIG that has one (else the current folder when CONFIG is inside it, else CONFIG's folder).

STAGE: ${STAGE_IDS.join(', ')}

Options:
  --launcher slurm    submit a Slurm job (sbatch) and follow it (squeue/scontrol) to its end: float_train runs
                      NODES x GPUS processes with HAT's --launcher torch, the other stages one process
  --nodes N           Slurm nodes for float_train (default 1)
  --gpus-per-node G   GPUs (processes) per node (default 8)
  --partition P       Slurm partition (default: the cluster's)
  --json              at the end, one JSON object on stdout: {stage, config, launcher, jobId, status
                      (succeeded|failed|cancelled), exitCode, logFile, accuracy, metrics, fps, rootCause, nodes}

Environment: the run inherits it (a Slurm job exports it to every process).
Exit codes: 0 the stage succeeded, its exit code (else 1) when it failed, 130 cancelled (Ctrl+C),
2 bad usage or a run that cannot start (no scripts folder, no sbatch).
`;

export interface RunJson {
  stage: string;
  config: string;
  launcher: 'local' | 'slurm';
  jobId: string | null;
  status: 'succeeded' | 'failed' | 'cancelled';
  exitCode: number | null;
  logFile: string | null;
  accuracy: number | null;
  metrics: Record<string, number> | null;
  fps: number | null;
  rootCause: { exception: string; message: string; line: number | null; ranks: number[] | null } | null;
  nodes: string[] | null;
}

/** The store's folder for a config run from the command line. */
function storeRootFor(config: string, cwd: string): string {
  const found = findStoreRoot(path.dirname(config));
  if (found) return found;
  const rel = path.relative(cwd, config);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? cwd : path.dirname(config);
}

export async function runCommand(args: string[], io: CliIO, signal?: AbortSignal): Promise<number> {
  const p = parseArgs(args, RUN_FLAGS, 'run');
  if (flagSet(p, 'help')) {
    io.stdout(RUN_HELP);
    return EXIT_OK;
  }
  if (p.positionals.length !== 2) throw new UsageError(p.positionals.length < 2 ? 'give a STAGE and a CONFIG' : `unexpected argument '${p.positionals[2]}'`, 'run');
  const [stageId, configArg] = p.positionals;
  const spec = stageSpec(stageId);
  if (!spec) throw new UsageError(`unknown stage '${stageId}' (one of ${STAGE_IDS.join(', ')})`, 'run');
  const launcher = flagString(p, 'launcher') ?? 'local';
  if (launcher !== 'local' && launcher !== 'slurm') throw new UsageError(`--launcher must be local or slurm (got '${launcher}')`, 'run');
  const nodes = flagInt(p, 'nodes', 1, 'run');
  const gpus = flagInt(p, 'gpus-per-node', 0, 'run');
  const partition = flagString(p, 'partition');
  if (launcher === 'local' && (nodes !== undefined || gpus !== undefined || partition !== undefined)) throw new UsageError('--nodes, --gpus-per-node and --partition go with --launcher slurm', 'run');
  const json = flagSet(p, 'json');
  const config = path.resolve(io.cwd, configArg);
  try {
    if (!fs.statSync(config).isFile()) throw new Error('not a file');
  } catch {
    throw new InputError(`cannot read ${configArg}: no such file`);
  }
  const found = findScriptsDir({ config, setting: flagString(p, 'scripts-dir') ? path.resolve(io.cwd, flagString(p, 'scripts-dir')!) : undefined, home: io.env.HOME }, nodePath);
  if (!found.ok) throw new InputError(`${found.message} (looked for: ${found.tried.join(', ')}; give --scripts-dir)`);
  const python = flagString(p, 'python') ?? 'python3';
  if (launcher === 'slurm' && !onPath('sbatch', io.env as NodeJS.ProcessEnv)) throw new InputError('sbatch was not found on PATH: run mvg where the Slurm client works (the login node), or use --launcher local');

  const root = storeRootFor(config, io.cwd);
  const key = configKey(path.relative(root, config));
  const storeFile = storePathFor(root);
  const started = new Date();
  const log = new RunLog(root, config, spec.id, started);
  const out = (s: string) => (json ? io.stderr(s) : io.stdout(s));
  const capture = new OutputCapture(started.getTime(), () => undefined);
  const onData = (chunk: string) => {
    out(chunk);
    log.write(chunk);
    capture.push(chunk);
  };

  let argv: string[];
  let cwd: string;
  let code: number | null;
  let stopped: boolean;
  let job: { jobId: string; state?: string; nodes: string[] } | undefined;
  if (launcher === 'local') {
    const built = buildCommand({ stage: spec.id, scriptsDir: found.dir, python, config, sep: path.sep as '/' | '\\' });
    if (!built.ok) throw new InputError(built.error);
    ({ argv, cwd } = built);
    const head = `> ${built.display}\n  (cwd ${built.cwd}; no shell)\n\n`;
    out(head);
    log.write(head);
    const proc = startProcess(built.argv, { cwd: built.cwd, env: { ...(io.env as NodeJS.ProcessEnv), PYTHONUNBUFFERED: '1', ...built.env }, onData });
    signal?.addEventListener('abort', () => proc.stop());
    const end = await proc.done;
    if (end.spawnError) throw new InputError(`could not start ${built.argv[0]}: ${end.spawnError.message}`);
    code = end.code;
    stopped = end.stopped;
  } else {
    const files = jobFolder(root, config, spec.id, started);
    const slurm = sanitizeSlurmOptions({ nodes, gpusPerNode: gpus, partition });
    const prepared = await prepareJob(files, { spec, scriptsDir: found.dir, python, config, sep: path.sep as '/' | '\\', slurm, jobName: jobName(spec.id, config) });
    if (!prepared.ok) throw new InputError(prepared.error);
    const { plan } = prepared;
    ({ command: argv, cwd } = plan);
    const head = `> ${plan.display}\n  (${plan.nodes} node(s), ${plan.tasks} process(es); job folder ${files.dir}; no shell)\n\n`;
    out(head);
    log.write(head);
    const sub = await submitJob(plan, io.env as NodeJS.ProcessEnv);
    if (!sub.ok) throw new InputError(`the Slurm job could not be submitted: ${sub.error}`);
    const submitted = `Submitted batch job ${sub.jobId}\n`;
    out(submitted);
    log.write(submitted);
    await rememberJob(storeFile, activeJobEntry({ root, key, stage: spec.id, jobId: sub.jobId, submitted: started, files, log: log.ok ? log.rel : undefined, command: plan.command, cwd: plan.cwd }));
    const followed = followJob(sub.jobId, {
      output: files.output,
      onData,
      onState: (_i, text) => {
        const line = `[slurm] job ${sub.jobId}: ${text}\n`;
        out(line);
        log.write(line);
      },
    });
    signal?.addEventListener('abort', () => followed.stop());
    const end = await followed.done;
    if (end.error) onData(`[slurm] ${end.error}\n`);
    ({ code, stopped } = jobOutcome(end));
    job = { jobId: sub.jobId, state: end.info?.state, nodes: end.info?.nodes ?? [] };
  }
  capture.flush();
  const ended = new Date();
  const report = parseLog(capture.text());
  let configText = '';
  try {
    configText = fs.readFileSync(config, 'utf8');
  } catch {
    /* the failure is still reported, without its line */
  }
  const where = report.failure && !stopped ? locateFailure(report.failure, config, configText, cwd, path.resolve) : undefined;
  const record: RunRecord = recordFromReport(report, {
    stage: spec.id,
    started,
    ended,
    exitCode: code,
    cancelled: stopped,
    command: argv,
    cwd,
    log: log.ok ? log.rel : undefined,
    failureLine: where ? where.line + 1 : undefined,
    launcher,
    jobId: job?.jobId,
    jobState: job?.state,
    nodes: job?.nodes,
  });
  const footer = `\n[${record.status}${job ? `, job ${job.jobId} ${job.state ?? 'state unknown'}` : ''}${code !== null ? `, exit code ${code}` : ''} after ${((ended.getTime() - started.getTime()) / 1000).toFixed(1)} s]\n`;
  out(footer);
  log.end(footer);
  const saved = job ? await recordJobRun(storeFile, key, job.jobId, record) : await appendRun(storeFile, key, record);
  if (saved.warning) io.stderr(`mvg: ${saved.warning}\n`);

  const status = record.status === 'ok' ? 'succeeded' : record.status;
  if (json) {
    const f = record.failure;
    const result: RunJson = {
      stage: spec.id,
      config,
      launcher,
      jobId: job?.jobId ?? null,
      status,
      exitCode: code,
      logFile: log.ok ? log.file : null,
      accuracy: record.accuracy ?? null,
      metrics: record.metrics ?? null,
      fps: record.fps ?? null,
      rootCause: f ? { exception: f.exception, message: f.message, line: f.line ?? null, ranks: f.ranks?.length ? f.ranks : null } : null,
      nodes: job?.nodes.length ? job.nodes : null,
    };
    io.stdout(JSON.stringify(result, null, 2) + '\n');
  } else if (record.failure && status === 'failed') {
    io.stderr(`mvg: ${spec.id} failed: ${record.failure.exception}: ${record.failure.message}${where ? ` (${configArg}:${where.line + 1})` : ''}\n`);
  }
  if (status === 'succeeded') return EXIT_OK;
  if (status === 'cancelled') return 130;
  return code && code > 0 ? code : 1;
}
