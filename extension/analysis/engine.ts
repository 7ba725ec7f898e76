/**
 * Where the analysis runs: a worker thread (dist/analysisWorker.js), so that analysing a large
 * config never blocks the extension host, or — when no worker can be started — in-process.
 * No `vscode` here.
 */
import { Worker } from 'node:worker_threads';
import type { Envelope, Reply, Request, ResponseValue } from './protocol';
import type { AnalysisService } from './service';

export interface EngineReply<T> {
  value: T;
  /** Time spent in the service (analysis, query). */
  serviceMs: number;
  /** Wall time from send to reply. */
  roundTripMs: number;
}

export interface Engine {
  readonly kind: 'worker' | 'in-process';
  request<R extends Request>(req: R, timeoutMs?: number): Promise<EngineReply<ResponseValue<R>>>;
  dispose(): void;
  /**
   * Fired when the engine died (worker crash, out of memory, a request past its deadline); the owner restarts it.
   * `culprit` is the request that was being served: the oldest one without a reply (the worker serves in order).
   */
  onDidDie?: (listener: (reason: string, culprit?: Request) => void) => void;
}

/** The heap a worker may use: a hostile file that gets past the evaluator's own budgets ends here, not in the host. */
export const WORKER_HEAP_MB = 512;

export class EngineError extends Error {}

/** Delay before restarting a worker that died for the n-th time within a minute (n ≥ 1): 0, 0.5 s, 1 s, 2 s, … 30 s. */
export function restartDelayMs(n: number): number {
  return n <= 1 ? 0 : Math.min(30_000, 500 * 2 ** (n - 2));
}

export class WorkerEngine implements Engine {
  readonly kind = 'worker' as const;
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void; timer?: NodeJS.Timeout; sent: number; req: Request }>();
  private dead = false;
  private readonly dieListeners: ((reason: string, culprit?: Request) => void)[] = [];

  constructor(workerPath: string) {
    this.worker = new Worker(workerPath, { name: 'mixvargenet-analysis', resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    this.worker.on('message', (r: Reply) => {
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      if (p.timer) clearTimeout(p.timer);
      p.resolve(r);
    });
    this.worker.on('error', (e) =>
      this.die((e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY' ? `the analysis ran out of memory (over ${WORKER_HEAP_MB} MB)` : `analysis worker error: ${e.message}`),
    );
    this.worker.on('exit', (code) => this.die(`analysis worker exited (${code})`));
    this.worker.unref();
  }

  onDidDie(listener: (reason: string, culprit?: Request) => void): void {
    this.dieListeners.push(listener);
  }

  private die(reason: string, culprit?: Request): void {
    if (this.dead) return;
    this.dead = true;
    culprit ??= this.pending.values().next().value?.req;
    for (const [, p] of this.pending) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(new EngineError(reason));
    }
    this.pending.clear();
    for (const l of this.dieListeners) l(reason, culprit);
  }

  request<R extends Request>(req: R, timeoutMs = 10_000): Promise<EngineReply<ResponseValue<R>>> {
    if (this.dead) return Promise.reject(new EngineError('analysis worker is not running'));
    const id = this.nextId++;
    const sent = performance.now();
    return new Promise<Reply>((resolve, reject) => {
      const entry: { resolve: (r: Reply) => void; reject: (e: Error) => void; timer?: NodeJS.Timeout; sent: number; req: Request } = { resolve, reject, sent, req };
      if (timeoutMs > 0) {
        entry.timer = setTimeout(() => {
          // A request that takes this long is stuck: kill the worker; the owner restarts it.
          void this.worker.terminate();
          // The worker serves in order: the request it is stuck on is the oldest pending one, not always this.
          this.die(`the analysis took longer than ${timeoutMs / 1000} s`);
        }, timeoutMs);
      }
      this.pending.set(id, entry);
      const env: Envelope = { id, req };
      this.worker.postMessage(env);
    }).then((r) => {
      if (!r.ok) throw new EngineError(r.error);
      return { value: r.value as ResponseValue<R>, serviceMs: r.ms, roundTripMs: performance.now() - sent };
    });
  }

  dispose(): void {
    this.dead = true;
    for (const [, p] of this.pending) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(new EngineError('disposed'));
    }
    this.pending.clear();
    void this.worker.terminate();
  }
}

/** The same service in the extension host's own thread. */
export class InProcessEngine implements Engine {
  readonly kind = 'in-process' as const;
  private readonly service: AnalysisService;

  constructor(workerPath: string) {
    // The worker bundle exports the service when required from the main thread.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(workerPath) as { AnalysisService: new () => AnalysisService };
    this.service = new mod.AnalysisService();
  }

  async request<R extends Request>(req: R): Promise<EngineReply<ResponseValue<R>>> {
    const t0 = performance.now();
    const value = this.service.handle(req) as ResponseValue<R>;
    const ms = performance.now() - t0;
    return { value, serviceMs: ms, roundTripMs: ms };
  }

  dispose(): void {}
}
