// Where things are: the repo root (found from this bundle's location, so it works from out/vscode/ui/ and from
// sources), the installed code-server, and the test-output folder that keeps screenshots and logs.
import * as fs from 'node:fs';
import * as path from 'node:path';

function findRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pj = path.join(dir, 'package.json');
    // (out/ may hold a copy of package.json emitted by tsc: the root is the folder that also has test/vscode.)
    if (fs.existsSync(pj) && fs.existsSync(path.join(dir, 'test', 'vscode'))) {
      try {
        if (JSON.parse(fs.readFileSync(pj, 'utf8')).name === 'mixvargenet-studio') return dir;
      } catch {
        /* keep looking */
      }
    }
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

export const ROOT = findRoot();
export const SERVER_DIR = path.join(ROOT, 'test', 'vscode', 'server');
export const CODE_SERVER = path.join(SERVER_DIR, 'node_modules', '.bin', 'code-server');
export const EXAMPLES = path.join(ROOT, 'examples');
export const OUT_VSCODE = path.join(ROOT, 'out', 'vscode');
export const TEST_OUTPUT = process.env.MVG_TEST_OUTPUT ? path.resolve(process.env.MVG_TEST_OUTPUT) : path.join(ROOT, 'test-output');
export const CHROMIUM = process.env.MVG_CHROMIUM || '/usr/bin/chromium';

export function outputDir(...parts: string[]): string {
  const dir = path.join(TEST_OUTPUT, ...parts);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** A file-system-safe name for a test title. */
export function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80) || 'x';
}
