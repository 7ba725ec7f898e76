// Runs inside VS Code's extension host (extensionTestsPath): mocha over the bundled suite files in ./suite/.
// Writes a JSON results file to $MVG_VSCODE_RESULTS (or results.json next to this file) that the driver reads:
// the driver trusts that file, not just the exit code, and fails when it is missing or counts no test.
import * as fs from 'node:fs';
import * as path from 'node:path';

// mocha 11 is CommonJS; resolved from the repo's node_modules at run time (not bundled).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const MochaModule = require('mocha');
const Mocha: typeof import('mocha') = MochaModule.default ?? MochaModule;

export interface TestResult {
  title: string;
  fullTitle: string;
  file?: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export interface Results {
  passes: number;
  failures: number;
  pending: number;
  total: number;
  durationMs: number;
  tests: TestResult[];
  /** Set when mocha itself could not run (a suite file threw at load time, ...). */
  error?: string;
}

function resultsPath(): string {
  return process.env.MVG_VSCODE_RESULTS || path.join(__dirname, 'results.json');
}

export async function run(): Promise<void> {
  const started = Date.now();
  const results: Results = { passes: 0, failures: 0, pending: 0, total: 0, durationMs: 0, tests: [] };
  const write = () => {
    results.durationMs = Date.now() - started;
    results.total = results.passes + results.failures;
    fs.mkdirSync(path.dirname(resultsPath()), { recursive: true });
    fs.writeFileSync(resultsPath(), JSON.stringify(results, null, 2));
  };

  try {
    const mocha = new Mocha({
      ui: 'bdd',
      color: false,
      reporter: 'spec',
      timeout: Number(process.env.MVG_VSCODE_TEST_TIMEOUT || 30_000),
      grep: process.env.MVG_VSCODE_GREP || undefined,
    });
    const dir = path.join(__dirname, 'suite');
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort() : [];
    for (const f of files) mocha.addFile(path.join(dir, f));

    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      const record = (t: Mocha.Test, state: TestResult['state'], err?: Error) => {
        results.tests.push({
          title: t.title,
          fullTitle: t.fullTitle(),
          file: t.file ? path.basename(t.file) : undefined,
          state,
          durationMs: t.duration,
          error: err ? String(err.stack ?? err.message ?? err) : undefined,
        });
      };
      runner.on('pass', (t: Mocha.Test) => {
        results.passes++;
        record(t, 'passed');
      });
      runner.on('fail', (t: Mocha.Test, err: Error) => {
        results.failures++;
        // A failing hook is reported as a "test" too: count it, it stopped real tests from running.
        record(t, 'failed', err);
      });
      runner.on('pending', (t: Mocha.Test) => {
        results.pending++;
        record(t, 'pending');
      });
    });
  } catch (e) {
    results.error = String((e as Error)?.stack ?? e);
    results.failures++;
  }
  write();
  console.log(`extension host: ${results.passes} passed, ${results.failures} failed${results.pending ? `, ${results.pending} pending` : ''}`);
  if (results.failures > 0) throw new Error(`${results.failures} extension-host test(s) failed`);
  if (results.passes === 0) throw new Error('no extension-host test ran');
}
