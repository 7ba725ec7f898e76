/**
 * A HAT run in the editor: its pseudoterminal (the live log) and its progress notification. The output itself (log
 * file, capture for the parsers, ETA) is extension/run/output.ts, shared with `mvg run`.
 */
import * as vscode from 'vscode';
import type { Eta } from '../../core/hat';

/** The pseudoterminal of one run: shows the live log; closing the terminal (or Ctrl+C) stops the run. */
export class HatPty implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  onStop?: () => void;
  private closed = false;

  constructor(private readonly start: (pty: HatPty) => void) {}

  open(): void {
    this.start(this);
  }

  close(): void {
    this.onStop?.();
  }

  handleInput(data: string): void {
    if (data === '\x03') {
      this.write('^C\n');
      this.onStop?.();
    }
  }

  write(text: string): void {
    if (!this.closed) this.writeEmitter.fire(text.replace(/\r?\n/g, '\r\n'));
  }

  end(code: number): void {
    if (this.closed) return;
    this.closed = true;
    this.closeEmitter.fire(code);
  }
}

/**
 * The run's progress notification (in the status bar when silent), cancellable: cancelling stops the run (a local
 * process tree, or `scancel` of a Slurm job). Returns what reports an ETA (or a job's state, as `text`) to it.
 */
export function showProgress(title: string, silent: boolean | undefined, proc: { stop(): void; done: Promise<unknown> }): (e: Eta) => void {
  let reportProgress: ((e: Eta) => void) | undefined;
  void vscode.window.withProgress({ location: silent ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    token.onCancellationRequested(() => proc.stop());
    let reported = 0;
    reportProgress = (e) => {
      const pctNow = e.fraction !== undefined ? Math.round(e.fraction * 100) : undefined;
      const increment = pctNow !== undefined && pctNow > reported ? pctNow - reported : undefined;
      if (pctNow !== undefined && pctNow > reported) reported = pctNow;
      progress.report({ message: e.text, increment });
    };
    return proc.done;
  });
  return (e) => reportProgress?.(e);
}
