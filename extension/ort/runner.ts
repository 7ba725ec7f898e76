/**
 * The timing child process: find the worker script, fork it (argv array, no shell; Electron run as node),
 * send it one job over IPC and settle exactly once — its answer, an ORT error, a crash, the deadline or a
 * cancellation (AbortSignal), killing the process in the last cases. Never throws.
 */
import { type ChildProcess, fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WorkerExportJob, WorkerJob, WorkerMessage, WorkerPrecisionJob } from './protocol';
import type { MeasureProgress, PerfFailure } from './result';

/** The timing child's memory budget (resident set): the plan is checked against ONNX_BUDGET first, this catches the rest. */
export const WORKER_MEMORY_LIMIT_BYTES = 4 * 1024 * 1024 * 1024;

export interface RunnerOptions {
  /** Executable that runs the worker (default process.execPath; in VS Code, Electron run as node). */
  execPath?: string;
  /** Kill the child when its resident memory goes over this (default WORKER_MEMORY_LIMIT_BYTES; Linux /proc). */
  memoryLimitBytes?: number;
  /** Progress, including the worker's pid once it is started. */
  onProgress?: (p: MeasureProgress) => void;
}

/** The worker script: the explicit one, else $MVG_PERF_WORKER, else worker.js / perf-worker.js next to this module. */
export function resolveWorker(explicit?: string): string | null {
  const env = process.env.MVG_PERF_WORKER;
  const candidates = explicit
    ? [explicit]
    : [...(env ? [env] : []), path.join(__dirname, 'worker.js'), path.join(__dirname, 'perf-worker.js'), path.join(__dirname, 'ort', 'worker.js')];
  return candidates.find((c) => fs.existsSync(c)) ?? null;
}

export type WorkerOutcome<T extends WorkerMessage['type']> = { type: 'done'; message: Extract<WorkerMessage, { type: T }> } | { type: 'failure'; failure: PerfFailure };

/** Fork the worker, send the job, and settle exactly once: the awaited message, an error, a crash, the timeout or an abort. */
export function runWorker<T extends 'result' | 'exported' | 'precisions'>(
  workerPath: string,
  job: WorkerJob | WorkerExportJob | WorkerPrecisionJob,
  timeoutMs: number,
  options: RunnerOptions,
  signal: AbortSignal | undefined,
  awaited: T,
): Promise<WorkerOutcome<T>> {
  return new Promise((resolve) => {
    let child: ChildProcess;
    let settled = false;
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    let watchdog: NodeJS.Timeout | undefined;
    const tail = () => stderr.trim().split('\n').slice(-12).join('\n');
    const kill = () => {
      if (child && child.exitCode === null && child.signalCode === null) {
        try {
          child.kill('SIGKILL');
        } catch {
          // already gone
        }
      }
    };
    const finish = (o: WorkerOutcome<T>, killChild: boolean) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      if (watchdog) clearInterval(watchdog);
      signal?.removeEventListener('abort', onAbort);
      if (!killChild || !child || child.exitCode !== null || child.signalCode !== null) {
        resolve(o);
        return;
      }
      // Settle once the process is really gone (bounded), so that the caller may rely on it.
      const grace = setTimeout(() => resolve(o), 3000);
      child.once('exit', () => {
        clearTimeout(grace);
        resolve(o);
      });
      kill();
    };
    const onAbort = () => finish({ type: 'failure', failure: { ok: false, kind: 'aborted', error: 'measurement cancelled; the worker was killed' } }, true);
    try {
      child = fork(workerPath, [], {
        execPath: options.execPath,
        // The JS heap of the worker stays small (weights live in typed arrays and in ORT's native memory).
        execArgv: ['--max-old-space-size=1024'],
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        serialization: 'json',
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      });
    } catch (e) {
      finish({ type: 'failure', failure: { ok: false, kind: 'error', error: `cannot start the timing worker: ${e instanceof Error ? e.message : String(e)}` } }, false);
      return;
    }
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
      if (stderr.length > 16384) stderr = stderr.slice(-8192);
    });
    child.on('error', (e) => finish({ type: 'failure', failure: { ok: false, kind: 'error', error: `timing worker: ${e.message}`, stderr: tail() } }, true));
    child.on('message', (m: WorkerMessage) => {
      if (!m || typeof m !== 'object') return;
      if (m.type === 'progress') options.onProgress?.({ phase: m.phase, done: m.done, total: m.total });
      else if (m.type === awaited) finish({ type: 'done', message: m as Extract<WorkerMessage, { type: T }> }, false);
      else if (m.type === 'error') finish({ type: 'failure', failure: { ok: false, kind: 'error', error: `onnxruntime: ${m.message}`, stderr: tail() } }, true);
    });
    child.on('exit', (code, sig) => {
      finish(
        {
          type: 'failure',
          failure: {
            ok: false,
            kind: 'crash',
            error: `the timing worker exited ${sig ? `on ${sig}` : `with code ${code}`} before reporting a result`,
            stderr: tail(),
          },
        },
        false,
      );
    });
    timer = setTimeout(
      () => finish({ type: 'failure', failure: { ok: false, kind: 'timeout', error: `no result after ${Math.round(timeoutMs / 1000)} s; the worker was killed`, stderr: tail() } }, true),
      timeoutMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) {
      onAbort();
      return;
    }
    options.onProgress?.({ phase: 'spawned', pid: child.pid });
    const limit = options.memoryLimitBytes ?? WORKER_MEMORY_LIMIT_BYTES;
    watchdog = setInterval(() => {
      void residentBytes(child.pid).then((rss) => {
        if (rss !== undefined && rss > limit) {
          const mb = (b: number) => `${Math.round(b / 1048576)} MB`;
          finish({ type: 'failure', failure: { ok: false, kind: 'memory', error: `the timing worker used ${mb(rss)}, over its ${mb(limit)} memory budget; it was killed`, stderr: tail() } }, true);
        }
      });
    }, 200);
    child.send(job, (err) => {
      if (err) finish({ type: 'failure', failure: { ok: false, kind: 'crash', error: `cannot reach the timing worker: ${err.message}`, stderr: tail() } }, true);
    });
  });
}

/** A process's resident set size from /proc (undefined where there is no /proc or the process is gone). */
async function residentBytes(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const status = await fs.promises.readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}
