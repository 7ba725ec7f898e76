/**
 * One child process from an argv array (never a shell), in its own process group so that stopping it stops the
 * whole tree (HAT's launchers start one process per GPU and data-loader workers). No vscode here.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface RunningProcess {
  readonly pid?: number;
  /** Resolves when the process has exited and its output is drained. Never rejects. */
  readonly done: Promise<ProcessEnd>;
  /** Stop the process tree: SIGTERM to the group, SIGKILL after `graceMs`. */
  stop(graceMs?: number): void;
}

export interface ProcessEnd {
  /** null when killed by a signal or not started. */
  code: number | null;
  signal?: NodeJS.Signals | null;
  /** Could not start (ENOENT: program not found, EACCES, …). */
  spawnError?: { code?: string; message: string };
  stopped: boolean;
}

export function startProcess(argv: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; onData(chunk: string, stream: 'stdout' | 'stderr'): void }): RunningProcess {
  const [program, ...args] = argv;
  let child: ChildProcess | undefined;
  let stopped = false;
  let killTimer: NodeJS.Timeout | undefined;
  const win = process.platform === 'win32';
  const done = new Promise<ProcessEnd>((resolve) => {
    let settled = false;
    const finish = (e: ProcessEnd) => {
      if (settled) return;
      settled = true;
      if (killTimer) clearTimeout(killTimer);
      resolve(e);
    };
    try {
      child = spawn(program, args, {
        cwd: opts.cwd,
        env: opts.env,
        shell: false,
        detached: !win,
        windowsHide: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      finish({ code: null, spawnError: { code: (e as NodeJS.ErrnoException).code, message: (e as Error).message }, stopped });
      return;
    }
    const c = child;
    c.stdout?.setEncoding('utf8');
    c.stderr?.setEncoding('utf8');
    c.stdout?.on('data', (d: string) => opts.onData(d, 'stdout'));
    c.stderr?.on('data', (d: string) => opts.onData(d, 'stderr'));
    c.on('error', (e: NodeJS.ErrnoException) => {
      // Only a failure to start ends the run here; later errors (a kill that raced the exit) do not.
      if (c.pid === undefined) finish({ code: null, spawnError: { code: e.code, message: e.message }, stopped });
    });
    c.on('exit', (code, signal) => {
      // Give the pipes a moment to drain, but do not wait for grandchildren that keep them open.
      let closed = false;
      const t = setTimeout(() => !closed && finish({ code, signal, stopped }), 1000);
      c.once('close', () => {
        closed = true;
        clearTimeout(t);
        finish({ code, signal, stopped });
      });
    });
  });
  const signalTree = (sig: NodeJS.Signals) => {
    const pid = child?.pid;
    if (pid === undefined) return;
    if (win) {
      try {
        spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true, stdio: 'ignore' }).on('error', () => undefined);
      } catch {
        /* nothing more to do */
      }
      return;
    }
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        child?.kill(sig);
      } catch {
        /* gone */
      }
    }
  };
  return {
    get pid() {
      return child?.pid;
    },
    done,
    stop(graceMs = 3000) {
      if (stopped) return;
      stopped = true;
      signalTree('SIGTERM');
      killTimer = setTimeout(() => signalTree('SIGKILL'), graceMs);
      // After the leader exits, its group may linger: always follow up.
      void done.then(() => {
        if (!win) setTimeout(() => signalTree('SIGKILL'), Math.min(graceMs, 500));
      });
    },
  };
}
