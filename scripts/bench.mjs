// `npm run bench`: performance figures of the core, printed as tables.
//
// Sections are modules in bench/sections/*.mjs, run in file-name order; each default-exports
// { id, title, run(ctx) } and prints its tables with ctx.table(...). To add one (ORT latency,
// render time, keystroke-to-diagnostics, …) drop a new file there; nothing here needs to change.
// 00-baseline runs first and sets ctx.baselineMs (a JSON.parse measured in the same run), so every
// section can also report its figures as ratios to the machine.
//
// ctx: root, quick, measure(fn, opts), table(title, columns, rows), note(text), fmtMs, fmtRatio,
//      fmtPct, fmtBytes, baselineMs / baselineCpuMs, core() (the bundled core: { analyze, RULES,
//      DEFAULT_OPS } from extension/core), bundle(entry) (bundle a TS entry path, or { contents } of a
//      TS module resolved from the repo root, with esbuild and require it), results (by section id).
//
// Options: --only id[,id]   run these sections (the baseline always runs)
//          --quick          fewer iterations and no 100× config (a smoke run)
//          --json file      also write all figures as JSON
import * as esbuild from 'esbuild';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from 'node:module';
import { tmpdir, cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fmtBytes, fmtMs, fmtPct, fmtRatio, measure, printTable } from '../bench/lib.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const only = opt('--only')?.split(',');
const jsonOut = opt('--json');
const quick = args.includes('--quick');

// Inside the repo (out/ is ignored), so bundles resolve external packages such as onnxruntime-node from node_modules.
mkdirSync(join(root, 'out'), { recursive: true });
const tmp = mkdtempSync(join(root, 'out', 'bench-'));
const require = createRequire(import.meta.url);
const bundles = new Map();
const BUILD = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', external: ['vscode', 'onnxruntime-node'] };
/** Bundle a TS entry (a path, or { contents } of a TS module resolved from the repo root) and require it. */
function bundle(entry) {
  const key = typeof entry === 'string' ? resolve(root, entry) : entry.contents;
  if (!bundles.has(key)) {
    const outfile = join(tmp, `b${bundles.size}.cjs`);
    const input =
      typeof entry === 'string'
        ? { entryPoints: [key] }
        : { stdin: { contents: entry.contents, resolveDir: root, loader: 'ts', sourcefile: 'bench-entry.ts' } };
    esbuild.buildSync({ ...BUILD, ...input, outfile });
    bundles.set(key, require(outfile));
  }
  return bundles.get(key);
}
/** The core: analyze() from extension/core/analyze.ts, plus the rule registry and op table. */
const CORE = {
  contents: [
    "export { analyze } from './extension/core/analyze';",
    "export { RULES } from './extension/core/rules/index';",
    "export { DEFAULT_OPS } from './extension/core/schema';",
  ].join('\n'),
};

const ctx = {
  root,
  quick,
  measure,
  table: (title, columns, rows) => printTable(title, columns, rows),
  note: (text) => console.log(`  ${text}`),
  fmtMs,
  fmtRatio,
  fmtPct,
  fmtBytes,
  baselineMs: NaN,
  baselineCpuMs: NaN,
  core: () => bundle(CORE),
  bundle,
  results: {},
};

const t0 = performance.now();
const load = loadavg()[0];
console.log(`MixVarGENet Studio bench — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${load.toFixed(1)}${quick ? ' (quick)' : ''}`);
if (load > cpus().length) {
  console.log(`  warning: the machine is busy (load ${load.toFixed(1)} on ${cpus().length} cores): wall times are inflated; compare the cpu columns and the ratios to the baseline`);
}
try {
  const dir = join(root, 'bench/sections');
  const files = readdirSync(dir).filter((f) => f.endsWith('.mjs')).sort();
  for (const f of files) {
    const section = (await import(pathToFileURL(join(dir, f)).href)).default;
    if (!section || typeof section.run !== 'function') continue;
    if (only && section.id !== 'baseline' && !only.includes(section.id)) continue;
    const s0 = performance.now();
    ctx.results[section.id] = await section.run(ctx);
    console.log(`  (${section.id}: ${fmtMs(performance.now() - s0)})`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
console.log(`\nbench total ${fmtMs(performance.now() - t0)}`);
if (jsonOut) {
  const strip = (k, v) => (k === 'samples' ? undefined : v);
  writeFileSync(jsonOut, JSON.stringify({ node: process.version, load, baselineMs: ctx.baselineMs, baselineCpuMs: ctx.baselineCpuMs, results: ctx.results }, strip, 2));
  console.log(`figures written to ${jsonOut}`);
}
