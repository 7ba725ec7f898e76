// Bundles the VS Code tests with esbuild into out/vscode/:
//   out/vscode/runner.js            test/vscode/runner.ts, loaded by the extension host (extensionTestsPath)
//   out/vscode/suite/*.test.js      test/vscode/suite/*.test.ts, extension-host tests (real `vscode` API)
//   out/vscode/ui/*.js              test/vscode/ui/*.ts (UI tests and the extension-host driver), for plain node
// `vscode` is provided by the extension host; mocha and playwright-core are required from node_modules at run time.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';

const out = 'out/vscode';

const ts = (dir) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => join(dir, f)) : []);

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
  legalComments: 'none',
  external: ['vscode', 'mocha', 'playwright-core', 'onnxruntime-node'],
};

const builds = [
  { ...common, entryPoints: ['test/vscode/runner.ts'], outfile: `${out}/runner.js` },
  { ...common, entryPoints: ts('test/vscode/suite'), outdir: `${out}/suite` },
  { ...common, entryPoints: ts('test/vscode/ui'), outdir: `${out}/ui` },
].filter((b) => b.entryPoints.length);

await Promise.all(builds.map((b) => esbuild.build(b)));

// Drop bundles whose source is gone (a deleted test must not keep running). Not a wipe of out/vscode: another run
// in this checkout may be using it right now.
for (const [src, dst] of [['test/vscode/suite', `${out}/suite`], ['test/vscode/ui', `${out}/ui`]]) {
  if (!existsSync(dst)) continue;
  const keep = new Set(ts(src).map((f) => basename(f).replace(/\.ts$/, '.js')));
  for (const f of readdirSync(dst)) if (f.endsWith('.js') && !keep.has(f)) rmSync(join(dst, f), { force: true });
}
