// Bundles with esbuild: the CLI and the extension (Node, CommonJS) and the webview (browser).
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { writeGrammar } from './build-grammar.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
mkdirSync('dist', { recursive: true });

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

const builds = [];
if (existsSync('extension/cli/main.ts')) {
  builds.push({ ...common, entryPoints: ['extension/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node20', external: ['onnxruntime-node'] });
}
if (existsSync('extension/ort/worker.ts')) {
  // The ORT timing child process (extension/ort/runner.ts forks it from next to the calling bundle).
  builds.push({ ...common, entryPoints: ['extension/ort/worker.ts'], outfile: 'dist/perf-worker.js', platform: 'node', format: 'cjs', target: 'node20', external: ['onnxruntime-node'] });
}
if (existsSync('extension/extension.ts')) {
  builds.push({
    ...common,
    entryPoints: ['extension/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'onnxruntime-node'],
  });
}
if (existsSync('extension/analysis/worker.ts')) {
  // The analysis worker (worker_threads): the core, off the extension host's thread.
  builds.push({ ...common, entryPoints: ['extension/analysis/worker.ts'], outfile: 'dist/analysisWorker.js', platform: 'node', format: 'cjs', target: 'node20' });
}
// The TextMate injection grammar, generated from schemas/ops.json and the config schema.
writeGrammar();
if (existsSync('webview/main.ts')) {
  builds.push({ ...common, entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2022' });
}
if (existsSync('webview/styles.css')) {
  // The graph webview's page styles, and the codicon font its buttons use (the host links both).
  builds.push({ ...common, sourcemap: false, entryPoints: ['webview/styles.css'], outfile: 'dist/webview.css', loader: { '.css': 'css' } });
  for (const f of ['codicon.css', 'codicon.ttf']) {
    const src = `node_modules/@vscode/codicons/dist/${f}`;
    if (existsSync(src)) copyFileSync(src, `dist/${f}`);
  }
}

if (existsSync('webview/history/main.ts')) {
  // The HAT results history chart (d3), a second webview bundle.
  builds.push({ ...common, entryPoints: ['webview/history/main.ts'], outfile: 'dist/history.js', platform: 'browser', format: 'iife', target: 'es2022' });
}

if (existsSync('webview/compare/main.ts')) {
  // The compare view (d3 scatter + table, toolkit controls), a third webview bundle.
  builds.push({ ...common, entryPoints: ['webview/compare/main.ts'], outfile: 'dist/compare.js', platform: 'browser', format: 'iife', target: 'es2022' });
}

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
