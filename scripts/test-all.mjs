// Runs every test suite and totals them:
//   unit            mocha on the core in plain Node (tsc -p tsconfig.test.json, then .mocharc.json's spec)
//   extension host  mocha inside a real VS Code's extension host (code-server), test/vscode/suite/*.test.ts
//   ui              Playwright + Chromium driving that VS Code, test/vscode/ui/*.test.ts
// Prints each suite's summary, and as its last line exactly "N passed, N failed, N skipped" (all suites together).
// A test that needs a missing dependency skips locally but fails under CI=true (test/requires.ts).
// Exits non-zero when anything failed or a suite ran no test.
//
//   node scripts/test-all.mjs                 all suites (expects `npm run build` done: package.json "test" does it)
//   node scripts/test-all.mjs unit ui         only these (unit | exthost | ui)
// Env: MVG_VSCODE_GREP / MVG_UI_GREP filter the extension-host / UI tests by title.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'package.json'));
process.chdir(ROOT);

// ------------------------------------------------------------------------------------------- helpers

function walk(dir, pred, out = []) {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, pred, out);
    else if (pred(p)) out.push(p);
  }
  return out.sort();
}

/** Files matching a mocha spec glob of the simple kinds used here: "dir/**\/*.test.js" or a plain path. */
function expandSpec(spec) {
  const specs = Array.isArray(spec) ? spec : [spec];
  return specs.flatMap((s) => {
    if (!/[*?]/.test(s)) return existsSync(s) ? [s] : [];
    const base = s.split(/[*?]/)[0].replace(/\/[^/]*$/, '') || '.';
    const suffix = s.slice(s.lastIndexOf('*') + 1);
    return walk(base, (p) => p.endsWith(suffix));
  });
}

function run(cmd, args, opts = {}) {
  return new Promise((res) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
    p.on('exit', (code, signal) => res(code ?? (signal ? 128 : 1)));
    p.on('error', (e) => {
      console.error(`${cmd}: ${e.message}`);
      res(127);
    });
  });
}

async function mochaChild(name, files, timeout, grep) {
  const results = join(ROOT, 'test-output', `${name}-results.json`);
  rmSync(results, { force: true });
  const code = await run(process.execPath, [fileURLToPath(import.meta.url), '--mocha-child', results, String(timeout), grep ?? '', ...files]);
  const counts = existsSync(results) ? JSON.parse(readFileSync(results, 'utf8')) : { passes: 0, failures: 0, pending: 0 };
  if (code !== 0 && counts.failures === 0) {
    console.error(`${name}: mocha exited ${code} without reporting a failure`);
    counts.failures = 1;
  }
  return counts;
}

const hr = (title) => console.log(`\n━━━━ ${title} ${'━'.repeat(Math.max(0, 100 - title.length))}`);

// ------------------------------------------------------------------------------------------- suites

async function unitSuite() {
  const tsc = await run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.test.json']);
  if (tsc !== 0) return { passes: 0, failures: 1, pending: 0, note: 'tsc -p tsconfig.test.json failed' };
  const rc = JSON.parse(readFileSync('.mocharc.json', 'utf8'));
  const files = expandSpec(rc.spec ?? 'out/test/unit/**/*.test.js');
  return mochaChild('unit', files, rc.timeout ?? 20000, process.env.MVG_UNIT_GREP);
}

function vscodePrereqs() {
  const problems = [];
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  if (!existsSync(pkg.main ?? 'dist/extension.js')) problems.push(`${pkg.main} is missing: run npm run build`);
  if (!existsSync('test/vscode/server/node_modules/.bin/code-server')) {
    console.log('code-server is not installed: installing it (test/vscode/server/install.sh)');
    if (spawnSync('bash', ['test/vscode/server/install.sh'], { stdio: 'inherit' }).status !== 0) problems.push('code-server install failed');
  }
  if (!existsSync(process.env.MVG_CHROMIUM || '/usr/bin/chromium')) problems.push('/usr/bin/chromium is missing: apt-get install -y chromium');
  return problems;
}

async function exthostPass(name, extra) {
  const results = join(ROOT, 'test-output', `${name}-summary.json`);
  rmSync(results, { force: true });
  const code = await run(process.execPath, ['out/vscode/ui/run-exthost.js', '--results', results, ...extra]);
  const s = existsSync(results) ? JSON.parse(readFileSync(results, 'utf8')) : { passes: 0, failures: 1, pending: 0 };
  if (code !== 0 && s.failures === 0) s.failures = 1;
  return s;
}

/**
 * The extension-host tests, then those that need Restricted Mode in a second VS Code whose workspace is not trusted
 * (MVG_VSCODE_RESTRICTED_GREP, default "agent tools|Restricted Mode"; with MVG_VSCODE_GREP set, only when it is set too).
 */
async function exthostSuite() {
  const s = await exthostPass('exthost', []);
  const restrictedGrep = process.env.MVG_VSCODE_RESTRICTED_GREP ?? (process.env.MVG_VSCODE_GREP ? undefined : 'agent tools|Restricted Mode');
  if (!restrictedGrep) return s;
  const r = await exthostPass('exthost-restricted', ['--untrusted', '--grep', restrictedGrep]);
  return { passes: s.passes + r.passes, failures: s.failures + r.failures, pending: (s.pending ?? 0) + (r.pending ?? 0) };
}

/** `npm run package` (when the project has it): the UI tests then install that .vsix, as a user would. */
function packageVsix() {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  if (!pkg.scripts?.package || process.env.MVG_TEST_VSIX === '0') return { vsix: undefined };
  const t0 = Date.now();
  const r = spawnSync('npm', ['run', 'package', '--silent'], { encoding: 'utf8', env: { ...process.env, NO_UPDATE_NOTIFIER: '1' } });
  writeFileSync('test-output/package.log', `${r.stdout ?? ''}\n${r.stderr ?? ''}`);
  const vsixes = readdirSync('.').filter((f) => f.endsWith('.vsix')).map((f) => ({ f, t: statSync(f).mtimeMs })).filter((x) => x.t >= t0 - 1000);
  if (r.status !== 0 || !vsixes.length) {
    console.error(`npm run package failed (exit ${r.status}): see test-output/package.log; the UI tests use a copy of the built folder instead`);
    return { vsix: undefined, failed: true };
  }
  const vsix = resolve(vsixes.sort((a, b) => b.t - a.t)[0].f);
  console.log(`packaged ${relative(ROOT, vsix)} (${(statSync(vsix).size / 1024).toFixed(0)} KB, ${((Date.now() - t0) / 1000).toFixed(1)} s): the UI tests install it`);
  return { vsix };
}

async function uiSuite() {
  const files = walk('out/vscode/ui', (p) => p.endsWith('.test.js'));
  const { vsix, failed } = process.env.MVG_TEST_VSIX && process.env.MVG_TEST_VSIX !== '0' ? { vsix: process.env.MVG_TEST_VSIX } : packageVsix();
  if (vsix) process.env.MVG_TEST_VSIX = vsix;
  else delete process.env.MVG_TEST_VSIX;
  const s = await mochaChild('ui', files, 120000, process.env.MVG_UI_GREP);
  if (failed) return { ...s, failures: s.failures + 1, note: 'npm run package failed' };
  return s;
}

async function main() {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const all = [
    ['unit', 'unit', unitSuite],
    ['exthost', 'extension host', exthostSuite],
    ['ui', 'ui', uiSuite],
  ].filter(([id]) => !wanted.length || wanted.includes(id));
  mkdirSync('test-output', { recursive: true });

  // Screenshots and logs of this run only.
  for (const [id] of all) if (id !== 'unit') for (const d of id === 'exthost' ? ['exthost', 'exthost-restricted'] : ['ui']) rmSync(join('test-output', d), { recursive: true, force: true });
  const needsVscode = all.some(([id]) => id !== 'unit');
  let blocked = [];
  if (needsVscode) {
    const b = spawnSync(process.execPath, ['scripts/build-vscode-tests.mjs'], { stdio: 'inherit' });
    if (b.status !== 0) blocked.push('building the VS Code tests failed (scripts/build-vscode-tests.mjs)');
    blocked = blocked.concat(vscodePrereqs());
  }

  const summary = [];
  const started = Date.now();
  for (const [id, title, fn] of all) {
    hr(title);
    const t0 = Date.now();
    let s;
    if (id !== 'unit' && blocked.length) {
      for (const b of blocked) console.error(`  cannot run: ${b}`);
      s = { passes: 0, failures: 1, pending: 0, note: blocked.join('; ') };
    } else {
      try {
        s = await fn();
      } catch (e) {
        console.error(e?.stack ?? e);
        s = { passes: 0, failures: 1, pending: 0 };
      }
    }
    s = { suite: title, passes: s.passes ?? 0, failures: s.failures ?? 0, pending: s.pending ?? 0, seconds: (Date.now() - t0) / 1000, note: s.note };
    if (s.passes + s.failures === 0) s.note = 'ran no test';
    summary.push(s);
  }

  hr('summary');
  for (const s of summary) {
    console.log(`${s.suite.padEnd(16)} ${String(s.passes).padStart(4)} passed, ${String(s.failures).padStart(3)} failed, ${String(s.pending).padStart(3)} skipped  (${s.seconds.toFixed(1)} s)${s.note ? `  ${s.note}` : ''}`);
  }
  const passes = summary.reduce((a, s) => a + s.passes, 0);
  const failures = summary.reduce((a, s) => a + s.failures, 0);
  const skipped = summary.reduce((a, s) => a + s.pending, 0);
  const empty = summary.filter((s) => s.passes + s.failures === 0);
  writeFileSync('test-output/summary.json', JSON.stringify({ passes, failures, skipped, seconds: (Date.now() - started) / 1000, suites: summary }, null, 2));
  if (all.some(([id]) => id === 'ui') && existsSync('test-output/ui')) console.log(`screenshots: ${relative(ROOT, join(ROOT, 'test-output', 'ui'))}/`);
  console.log(`${passes} passed, ${failures} failed, ${skipped} skipped`);
  process.exitCode = failures > 0 || empty.length > 0 ? 1 : 0;
}

// ------------------------------------------------------------------------------------------- mocha child
// `node scripts/test-all.mjs --mocha-child RESULTS TIMEOUT GREP FILE...`: one mocha run in its own process
// (own globals, own crash), spec reporter on stdout, counts to RESULTS.
async function mochaChildMain() {
  const [results, timeout, grep, ...files] = process.argv.slice(3);
  const MochaModule = require('mocha');
  const Mocha = MochaModule.default ?? MochaModule;
  const mocha = new Mocha({ reporter: 'spec', timeout: Number(timeout), slow: 5000, grep: grep || undefined, color: !process.env.CI && process.stdout.isTTY });
  for (const f of files) mocha.addFile(resolve(f));
  const counts = { passes: 0, failures: 0, pending: 0 };
  const write = () => writeFileSync(results, JSON.stringify(counts));
  try {
    await mocha.loadFilesAsync();
    const runner = mocha.run((failures) => {
      counts.failures = Math.max(counts.failures, failures);
      write();
      // Leftover handles (a browser, a server) must not keep the suite open.
      process.exit(failures ? 1 : 0);
    });
    runner.on('pass', () => counts.passes++);
    runner.on('fail', () => counts.failures++);
    runner.on('pending', () => counts.pending++);
  } catch (e) {
    console.error(e?.stack ?? e);
    counts.failures++;
    write();
    process.exitCode = 1;
  }
}


if (process.argv[2] === '--mocha-child') await mochaChildMain();
else await main();
