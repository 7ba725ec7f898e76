// The `mvg` CLI as an oracle: the editor must show the same rules and messages as `mvg lint`.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './paths';

export interface LintFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'info' | 'hint';
  code: string;
  message: string;
}

/** `mvg lint FILE --format json`, or undefined when the CLI is not built (dist/cli.js). */
export function mvgLint(file: string): LintFinding[] | undefined {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js'))) return undefined;
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'mvg.js'), 'lint', file, '--format', 'json'], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`mvg lint ${file} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as LintFinding[];
}
