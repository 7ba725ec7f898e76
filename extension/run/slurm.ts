/**
 * A HAT stage as a Slurm job, for the editor and `mvg run`: the job's folder (script + launcher, under
 * `.mixvargenet/slurm/`), `sbatch` (argv, never a shell string), and the job followed to its end — its state from
 * `scontrol show job -o` (squeue when scontrol does not answer; no accounting database needed) and its output file
 * streamed as it grows. Cancelling is `scancel`, followed until the job is CANCELLED. Node only; no vscode.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { type ActiveJob, describeJob, isTerminal, type JobInfo, jobStatus, type StageId, type JobPlanInput, type JobPlanResult, parseSbatchId, parseScontrolJob, parseSqueue, planJob, SQUEUE_FORMAT, STORE_DIR } from '../core/hat';

export const LAUNCHER_NAME = 'mvg_slurm_launch.py';

/** The launcher shipped with the extension (resources/), found from this bundle's folder upwards. */
export function launcherSource(from = __dirname): string | undefined {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    const p = path.join(dir, 'resources', LAUNCHER_NAME);
    if (fs.existsSync(p)) return p;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

export interface QuietResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Could not run at all (ENOENT: not installed, …). */
  error?: string;
}

/** Run a short Slurm client command (argv) with a deadline; never rejects. */
export function runQuiet(argv: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<QuietResult> {
  return new Promise((resolve) => {
    execFile(argv[0], argv.slice(1), { cwd: opts.cwd, env: opts.env, timeout: opts.timeoutMs ?? 30_000, maxBuffer: 4 * 1024 * 1024, encoding: 'utf8', windowsHide: true }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: string | number }) | null;
      if (e && typeof e.code === 'string') resolve({ code: null, stdout, stderr, error: e.code === 'ENOENT' ? `${argv[0]} was not found (is the Slurm client installed and on PATH?)` : `${argv[0]}: ${e.message}` });
      else resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout: stdout ?? '', stderr: stderr ?? '' });
    });
  });
}

export interface JobFiles {
  dir: string;
  script: string;
  launcher: string;
  output: string;
}

/** The job's folder `<root>/.mixvargenet/slurm/<config>-<stage>-<time>/` with the launcher copied into it. */
export function jobFolder(root: string, config: string, stage: string, started: Date): JobFiles {
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  const dir = path.join(root, STORE_DIR, 'slurm', `${path.basename(config, '.py')}-${stage}-${stamp}`);
  return { dir, script: path.join(dir, 'job.sh'), launcher: path.join(dir, LAUNCHER_NAME), output: path.join(dir, 'job.out') };
}

/** The job's name in squeue: `mvg-<stage>-<config name>` (word characters only, at most 64). */
export function jobName(stage: string, config: string): string {
  return `mvg-${stage}-${path.basename(config, '.py')}`.replace(/[^\w.-]/g, '_').slice(0, 64);
}

export type PreparedJob = { ok: true; plan: Extract<JobPlanResult, { ok: true }>; files: JobFiles } | { ok: false; error: string };

/** Plan the job and write its folder (script, launcher, an empty output file to follow). */
export async function prepareJob(files: JobFiles, input: Omit<JobPlanInput, 'launcher' | 'scriptFile' | 'outputFile'>): Promise<PreparedJob> {
  const src = launcherSource();
  if (!src) return { ok: false, error: `the Slurm launcher (resources/${LAUNCHER_NAME}) is missing from the extension` };
  const plan = planJob({ ...input, launcher: files.launcher, scriptFile: files.script, outputFile: files.output });
  if (!plan.ok) return plan;
  try {
    await fs.promises.mkdir(files.dir, { recursive: true });
    await fs.promises.copyFile(src, files.launcher);
    await fs.promises.writeFile(files.script, plan.script, { mode: 0o755 });
    await fs.promises.writeFile(files.output, '');
  } catch (e) {
    return { ok: false, error: `cannot write the job's files in ${files.dir}: ${(e as Error).message}` };
  }
  return { ok: true, plan, files };
}

/** Submit with sbatch; the job id, or why not (sbatch's own message). */
export async function submitJob(plan: Extract<JobPlanResult, { ok: true }>, baseEnv: NodeJS.ProcessEnv = process.env): Promise<{ ok: true; jobId: string } | { ok: false; error: string }> {
  const r = await runQuiet(plan.sbatch, { cwd: plan.cwd, env: { ...baseEnv, ...plan.env }, timeoutMs: 60_000 });
  if (r.error) return { ok: false, error: r.error };
  const id = parseSbatchId(r.stdout);
  if (r.code !== 0 || !id) return { ok: false, error: `sbatch failed${r.code ? ` (exit code ${r.code})` : ''}: ${(r.stderr || r.stdout).trim() || 'no job id printed'}` };
  return { ok: true, jobId: id };
}

/**
 * The job's state now: scontrol, else squeue. `unknown`: Slurm answered and does not know the job (never submitted,
 * or purged after MinJobAge); otherwise `error` says why it could not be asked (the controller is down, …).
 */
export async function queryJob(jobId: string): Promise<{ info?: JobInfo; unknown?: boolean; error?: string }> {
  const sc = await runQuiet(['scontrol', 'show', 'job', '-o', jobId], { timeoutMs: 15_000 });
  const info = sc.code === 0 ? parseScontrolJob(sc.stdout) : undefined;
  if (info) return { info };
  const sq = await runQuiet(['squeue', '-h', '-j', jobId, '-o', SQUEUE_FORMAT], { timeoutMs: 15_000 });
  const q = sq.code === 0 ? parseSqueue(sq.stdout) : undefined;
  if (q) return { info: q };
  const unknown = /Invalid job id/i.test(`${sc.stdout}${sc.stderr}${sq.stderr}`);
  return { unknown, error: unknown ? undefined : (sc.error ?? sq.error ?? (sc.stderr.trim() || sq.stderr.trim() || 'no answer')) };
}

export interface JobEnd {
  jobId: string;
  /** The last state seen (undefined when the job could not be found). */
  info?: JobInfo;
  /** scancel was asked for. */
  cancelled: boolean;
  /** Following stopped while the job may still run (window closing): it is found again later. */
  detached: boolean;
  error?: string;
}

export interface FollowedJob {
  readonly jobId: string;
  /** Resolves when the job has ended (and its output is read), or following was detached. Never rejects. */
  readonly done: Promise<JobEnd>;
  /** The last state seen. */
  readonly info: JobInfo | undefined;
  /** scancel, then follow until the job is gone (CANCELLED). */
  stop(): void;
  /** Stop following (the job keeps running). */
  detach(): void;
}

export interface FollowOptions {
  /** The output file and where to start reading it (0: from the beginning — a reattached job shows it all). */
  output: string;
  onData(chunk: string): void;
  onState(info: JobInfo, text: string): void;
  pollMs?: number;
  tailMs?: number;
}

/** Follow a submitted job: its state and its output file, until it ends. */
export function followJob(jobId: string, opts: FollowOptions): FollowedJob {
  const pollMs = opts.pollMs ?? 1000;
  const tailMs = opts.tailMs ?? 200;
  let info: JobInfo | undefined;
  let cancelled = false;
  let detached = false;
  let offset = 0;
  let misses = 0;
  const decoder = new StringDecoder('utf8');
  let finish!: (e: JobEnd) => void;
  const done = new Promise<JobEnd>((r) => (finish = r));
  let ended = false;
  let lastText = '';

  const readMore = async (): Promise<number> => {
    let fh: fs.promises.FileHandle | undefined;
    let total = 0;
    try {
      fh = await fs.promises.open(opts.output, 'r');
      const buf = Buffer.alloc(256 * 1024);
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
        if (!bytesRead) break;
        offset += bytesRead;
        total += bytesRead;
        const s = decoder.write(buf.subarray(0, bytesRead));
        if (s) opts.onData(s);
      }
    } catch {
      /* not there yet (the job has not started), or gone */
    } finally {
      await fh?.close().catch(() => undefined);
    }
    return total;
  };

  let tailTimer: NodeJS.Timeout | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  const tail = async () => {
    if (ended) return;
    await readMore();
    if (!ended) tailTimer = setTimeout(() => void tail(), tailMs);
  };

  const end = async (error?: string) => {
    if (ended) return;
    ended = true;
    if (tailTimer) clearTimeout(tailTimer);
    if (pollTimer) clearTimeout(pollTimer);
    if (!detached) {
      // The last lines may reach the (shared) file a moment after the job's state changed: read until it is quiet.
      let quiet = 0;
      for (let i = 0; i < 20 && quiet < 3; i++) {
        quiet = (await readMore()) ? 0 : quiet + 1;
        await new Promise((r) => setTimeout(r, 150));
      }
      const rest = decoder.end();
      if (rest) opts.onData(rest);
    }
    finish({ jobId, info, cancelled, detached, error });
  };

  const poll = async () => {
    if (ended) return;
    const q = await queryJob(jobId);
    if (ended) return;
    if (q.info) {
      misses = 0;
      const text = describeJob(q.info);
      info = q.info;
      if (text !== lastText) {
        lastText = text;
        opts.onState(q.info, text);
      }
      if (isTerminal(q.info.state)) return void end();
    } else if (q.unknown) {
      if (++misses >= 5) return void end(`Slurm does not know job ${jobId} (any more)`);
    } else {
      // The controller cannot be asked (down, restarting): the job may well run on. Say so once, keep asking, slower.
      const text = `state unknown (${q.error})`;
      if (text !== lastText) {
        lastText = text;
        opts.onState({ jobId, state: 'UNKNOWN', nodes: info?.nodes ?? [] }, text);
      }
      pollTimer = setTimeout(() => void poll(), pollMs * 5);
      return;
    }
    pollTimer = setTimeout(() => void poll(), pollMs);
  };

  void tail();
  void poll();
  let cancelDeadline: NodeJS.Timeout | undefined;
  return {
    jobId,
    done,
    get info() {
      return info;
    },
    stop() {
      if (cancelled || ended) return;
      cancelled = true;
      void runQuiet(['scancel', jobId], { timeoutMs: 30_000 }).then((r) => {
        if (r.error || r.code) opts.onData(`\n[slurm] scancel ${jobId}: ${r.error ?? (r.stderr.trim() || `exit code ${r.code}`)}\n`);
        // The regular poll sees CANCELLED; give up following after a minute.
        cancelDeadline = setTimeout(() => void end(`job ${jobId} was not reported cancelled within a minute`), 60_000);
      });
      void done.then(() => cancelDeadline && clearTimeout(cancelDeadline));
    },
    detach() {
      if (ended) return;
      detached = true;
      void end();
    },
  };
}

/** Whether a program is on PATH (the Slurm client where this process runs). */
export function onPath(program: string, env: NodeJS.ProcessEnv = process.env): boolean {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      fs.accessSync(path.join(dir, program), fs.constants.X_OK);
      return true;
    } catch {
      /* next */
    }
  }
  return false;
}

/** The store's entry for a submitted job (paths relative to the store's folder, owned by this process). */
export function activeJobEntry(a: { root: string; key: string; stage: StageId; jobId: string; submitted: Date; files: JobFiles; log?: string; command: string[]; cwd: string }): ActiveJob {
  return {
    jobId: a.jobId,
    config: a.key,
    stage: a.stage,
    submittedAt: a.submitted.toISOString(),
    output: path.relative(a.root, a.files.output).split(path.sep).join('/'),
    log: a.log,
    command: a.command,
    cwd: a.cwd,
    owner: thisProcess(),
  };
}

/** What a followed job's end means for the run: its status, exit code (null when Slurm ended it) and whether it was stopped. */
export function jobOutcome(end: JobEnd): { status: 'ok' | 'failed' | 'cancelled'; code: number | null; stopped: boolean } {
  const info = end.info;
  const status = info ? jobStatus(info) : 'failed';
  const code = status === 'ok' ? 0 : info && (info.state === 'FAILED' || info.state === 'COMPLETED') ? (info.exitCode ?? null) : null;
  return { status, code, stopped: end.cancelled || status === 'cancelled' };
}

/** The owner of a job this process follows. */
export function thisProcess(): { pid: number; host: string } {
  return { pid: process.pid, host: os.hostname() };
}

/** Whether another live process on this host follows the job (its owner): then this one must not. */
export function followedElsewhere(job: ActiveJob): boolean {
  const o = job.owner;
  if (!o || o.pid === process.pid) return false;
  if (o.host !== os.hostname()) return true;
  try {
    process.kill(o.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
