/**
 * The output of one HAT run, wherever it runs (a local process, a Slurm job's output file) and whoever shows it (the
 * editor's task terminal, `mvg run`): written to its log file under `.mixvargenet/logs/`, kept (bounded) for the log
 * parsers, and read for the progress ETA. Node only; no vscode.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Eta, EtaTracker, LineSplitter, STORE_DIR } from '../core/hat';

/** The run's log file, `<root>/.mixvargenet/logs/<config>-<stage>-<time>.log`. Best effort: a log that cannot be written is skipped. */
export class RunLog {
  /** Relative to the root, with '/' (as stored in the run's record). */
  readonly rel: string;
  readonly file: string;
  private stream: fs.WriteStream | undefined;

  constructor(root: string, config: string, stage: string, started: Date) {
    const stamp = started.toISOString().replace(/[:.]/g, '-');
    this.rel = path.posix.join(STORE_DIR, 'logs', `${path.basename(config, '.py')}-${stage}-${stamp}.log`);
    this.file = path.join(root, ...this.rel.split('/'));
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      this.stream = fs.createWriteStream(this.file, { flags: 'w' });
      this.stream.on('error', () => (this.stream = undefined));
    } catch {
      this.stream = undefined;
    }
  }

  /** Whether the log is being written (it could be opened and has not failed). */
  get ok(): boolean {
    return this.stream !== undefined;
  }

  write(text: string): void {
    this.stream?.write(text);
  }

  end(text: string): void {
    this.stream?.end(text);
  }
}

/** Keep the newest `keep` run logs of the extension's own log folder. */
export async function pruneLogs(dir: string, keep: number): Promise<void> {
  try {
    const names = (await fs.promises.readdir(dir)).filter((n) => n.endsWith('.log'));
    if (names.length <= keep) return;
    const withTime = await Promise.all(names.map(async (n) => ({ n, t: (await fs.promises.stat(path.join(dir, n))).mtimeMs })));
    withTime.sort((a, b) => b.t - a.t);
    for (const { n } of withTime.slice(keep)) await fs.promises.rm(path.join(dir, n), { force: true });
  } catch {
    /* best effort */
  }
}

/**
 * What the parsers read, and the live ETA. The parsers read the end of the output (a 256 KB tail: ~25 ms, the
 * host's thread must not stall) plus the lines that scrolled out of it and matter for the results (validation,
 * checkpoints, banners, FPS).
 */
export class OutputCapture {
  private static readonly TAIL = 256_000;
  private static readonly KEEP = /Validation|Save model checkpoint|BEGIN|END|FPS|Frame\s+rate|Throughput/;
  private tail = '';
  private readonly kept: string[] = [];
  private readonly splitter = new LineSplitter();
  private readonly eta: EtaTracker;
  private lastReport = 0;

  /** `onEta`: a new estimate, at most every 250 ms. */
  constructor(
    startedMs: number,
    private readonly onEta: (e: Eta) => void,
  ) {
    this.eta = new EtaTracker(startedMs);
  }

  push(chunk: string): void {
    const { TAIL, KEEP } = OutputCapture;
    this.tail += chunk;
    if (this.tail.length > TAIL * 1.5) {
      const cut = this.tail.indexOf('\n', this.tail.length - TAIL);
      const at = cut >= 0 ? cut + 1 : this.tail.length - TAIL;
      for (const l of this.tail.slice(0, at).split('\n')) if (KEEP.test(l)) this.kept.push(l);
      if (this.kept.length > 2000) this.kept.splice(0, this.kept.length - 2000);
      this.tail = this.tail.slice(at);
    }
    this.onLines(this.splitter.push(chunk));
  }

  /** Read the last, unterminated line, once the output has ended. */
  flush(): void {
    this.onLines(this.splitter.flush());
  }

  /** The text for the parsers: the kept lines, then the tail. */
  text(): string {
    return this.kept.length ? `${this.kept.join('\n')}\n${this.tail}` : this.tail;
  }

  private onLines(lines: string[]): void {
    let changed = false;
    const now = Date.now();
    for (const l of lines) changed = this.eta.line(l, now) || changed;
    if (changed && now - this.lastReport > 250) {
      this.lastReport = now;
      const e = this.eta.estimate(now);
      if (e) this.onEta(e);
    }
  }
}
