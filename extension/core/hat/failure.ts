/** Where a failed run points in the config: a traceback frame in the config file, else a line naming the quoted value. Pure. */
import type { Failure } from '../logs/parse';

function norm(p: string): string {
  return p.replace(/\\/g, '/').replace(/\/+/g, '/');
}

/** Does a traceback's file name (absolute, or relative to the run's cwd) name this config? */
export function sameFile(frameFile: string, configPath: string, cwd?: string, resolve?: (a: string, b: string) => string): boolean {
  const f = norm(frameFile);
  const c = norm(configPath);
  if (f === c) return true;
  if (cwd && resolve && !/^([A-Za-z]:)?\//.test(f)) return norm(resolve(cwd, frameFile)) === c;
  return false;
}

export interface FailureLocation {
  /** 0-based line in the config. */
  line: number;
  why: 'traceback' | 'value';
}

export function locateFailure(failure: Failure, configPath: string, configText: string, cwd?: string, resolve?: (a: string, b: string) => string): FailureLocation | undefined {
  const lines = configText.split(/\r\n|\r|\n/);
  for (let i = failure.frames.length - 1; i >= 0; i--) {
    const fr = failure.frames[i];
    if (sameFile(fr.file, configPath, cwd, resolve) && fr.line >= 1 && fr.line <= lines.length) return { line: fr.line - 1, why: 'traceback' };
  }
  const v = failure.quotedValue;
  if (v && v.length >= 2) {
    const quoted = lines.findIndex((l) => l.includes(`"${v}"`) || l.includes(`'${v}'`));
    if (quoted >= 0) return { line: quoted, why: 'value' };
    const bare = lines.findIndex((l) => new RegExp(`\\b${v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(l) && !/^\s*#/.test(l));
    if (bare >= 0) return { line: bare, why: 'value' };
  }
  return undefined;
}

/** The line the inline summary goes on: `task_name = …`, else `net_config = …`, else undefined. 0-based. */
export function summaryLine(configText: string): number | undefined {
  const lines = configText.split(/\r\n|\r|\n/);
  const t = lines.findIndex((l) => /^task_name\s*=/.test(l));
  if (t >= 0) return t;
  const n = lines.findIndex((l) => /^net_config\s*=/.test(l));
  return n >= 0 ? n : undefined;
}
