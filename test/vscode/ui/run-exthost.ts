// Runs the extension-host tests (out/vscode/suite/*.test.js through out/vscode/runner.js) in a real VS Code:
// code-server on a free port, Chromium connected (the extension host only starts for a client), the extension loaded
// from the repo via the payload URL (extensionDevelopmentPath + extensionTestsPath).
//
//   node out/vscode/ui/run-exthost.js [--results FILE] [--grep PATTERN] [--timeout SECONDS] [--untrusted]
//
// --untrusted: the workspace opens in Restricted Mode (workspace trust enabled, the folder not trusted) and the tests
// see MVG_VSCODE_RESTRICTED=1 (suites register their Restricted Mode tests only then); output in test-output/exthost-restricted/.
//
// Exits 0 only when the runner reported exit code 0 AND its results file exists, counts at least one test and no
// failure. On failure, a screenshot and the logs (server, browser console, remoteexthost.log) go to test-output/exthost/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { launchBrowser, type Browser } from './lib/browser';
import { OUT_VSCODE, ROOT, outputDir } from './lib/paths';
import { startCodeServer, type CodeServer } from './lib/server';
import type { Results } from '../runner';

const WORKBENCH_NOISE =
  /^(Resolving connection token|Resolved connection token|Creating a socket|Creation of workbench contribution|Ignoring fetching additional builtin|\[Service Worker\]|ChatSessionStore|Updating additional builtin|Extension host \(Remote\) is (un)?responsive|CodeExpectedError|Started local extension host|Started initializing|Loading development extension)/;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const started = Date.now();
  const timeoutS = Number(arg('--timeout') ?? process.env.MVG_VSCODE_TIMEOUT ?? 600);
  const extensionPath = path.resolve(process.env.MVG_EXTENSION_PATH ?? ROOT);
  const runner = path.join(OUT_VSCODE, 'runner.js');
  const suiteDir = path.join(OUT_VSCODE, 'suite');
  if (!fs.existsSync(runner)) throw new Error(`${runner} missing: run node scripts/build-vscode-tests.mjs`);
  if (!fs.existsSync(suiteDir) || !fs.readdirSync(suiteDir).some((f) => f.endsWith('.test.js'))) throw new Error(`no suite in ${suiteDir}`);
  const pkg = JSON.parse(fs.readFileSync(path.join(extensionPath, 'package.json'), 'utf8'));
  const main = path.join(extensionPath, pkg.main ?? 'dist/extension.js');
  if (!fs.existsSync(main)) throw new Error(`${main} missing: run npm run build`);

  const untrusted = process.argv.includes('--untrusted');
  const outDir = outputDir(untrusted ? 'exthost-restricted' : 'exthost');
  const resultsFile = path.join(outDir, 'results.json');
  const fallback = path.join(OUT_VSCODE, 'results.json');
  for (const f of [resultsFile, fallback, path.join(outDir, 'failure.png')]) fs.rmSync(f, { force: true });
  const grep = arg('--grep') ?? process.env.MVG_VSCODE_GREP;

  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let code: number | 'timeout' = 'timeout';
  let results: Results | undefined;
  try {
    server = await startCodeServer({
      name: untrusted ? 'exthost-restricted' : 'exthost',
      ...(untrusted ? { trust: false } : {}),
      env: { MVG_VSCODE_RESULTS: resultsFile, ...(grep ? { MVG_VSCODE_GREP: grep } : {}), ...(untrusted ? { MVG_VSCODE_RESTRICTED: '1' } : {}) },
    });
    browser = await launchBrowser(server);
    const page = browser.page;
    let done!: (c: number) => void;
    const exited = new Promise<number>((r) => (done = r));
    await page.exposeFunction('codeAutomationExit', (c: number) => done(Number(c)));
    // Everything the workbench and the extension host log goes to test-output/exthost/console.log; the terminal gets
    // the tests' own output (mocha's spec reporter, the suites' console.log) without the workbench's chatter.
    const consoleLog = path.join(outDir, 'console.log');
    fs.writeFileSync(consoleLog, '');
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      fs.appendFileSync(consoleLog, `[${type}] ${text}\n`);
      if (WORKBENCH_NOISE.test(text) || text.includes('/static/out/vs/code/browser/workbench/workbench.js')) return;
      for (const line of text.split('\n')) (type === 'error' ? process.stderr : process.stdout).write(`  ${line}\n`);
    });
    const url = server.url([
      ['extensionDevelopmentPath', server.remoteUri(extensionPath)],
      ['extensionTestsPath', server.remoteUri(runner)],
    ]);
    const t0 = Date.now();
    const phase = (s: string) => process.env.MVG_DEBUG && console.error(`[driver] ${s} at ${((Date.now() - started) / 1000).toFixed(1)} s`);
    phase('goto');
    await page.goto(url);
    phase('loaded');
    void t0;
    let timer: NodeJS.Timeout | undefined;
    code = await Promise.race([exited, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutS * 1000)))]);
    clearTimeout(timer);
    phase(`exit ${code}`);
    for (const f of [resultsFile, fallback]) {
      if (!results && fs.existsSync(f)) results = JSON.parse(fs.readFileSync(f, 'utf8')) as Results;
    }
  } catch (e) {
    console.error(`extension-host driver: ${(e as Error).stack ?? e}`);
  }

  const problems: string[] = [];
  if (code === 'timeout') problems.push(`the run did not finish in ${timeoutS} s`);
  else if (code !== 0) problems.push(`the extension host reported exit code ${code}`);
  if (!results) problems.push('no results file was written');
  else {
    if (results.error) problems.push(`mocha could not run: ${results.error}`);
    if (results.passes + results.failures === 0) problems.push('no test ran');
    for (const t of results.tests.filter((x) => x.state === 'failed')) problems.push(`FAILED ${t.fullTitle}\n      ${(t.error ?? '').split('\n').join('\n      ')}`);
  }
  const ok = problems.length === 0;
  if (results) fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2));
  if (!ok) {
    if (browser) await browser.page.screenshot({ path: path.join(outDir, 'failure.png') }).catch(() => undefined);
    if (server) console.error(`  logs kept in ${path.relative(process.cwd(), server.keepLogs())}`);
    for (const p of problems) console.error(`  ${p}`);
  }
  await browser?.close();
  await server?.stop();
  const passes = results?.passes ?? 0;
  const failures = Math.max(results?.failures ?? 0, ok ? 0 : 1);
  // The shape test-all reads: counts of this suite, whatever happened.
  const summary = { suite: untrusted ? 'extension host (Restricted Mode)' : 'extension host', passes, failures, pending: results?.pending ?? 0, ok, durationMs: Date.now() - started, problems };
  const summaryFile = arg('--results');
  if (summaryFile) fs.writeFileSync(summaryFile, JSON.stringify(summary, null, 2));
  console.log(`extension host${untrusted ? ' (Restricted Mode)' : ''}: ${passes} passed, ${failures} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return ok ? 0 : 1;
}

main().then(
  (c) => process.exit(c),
  (e) => {
    console.error(e?.stack ?? e);
    process.exit(1);
  },
);
