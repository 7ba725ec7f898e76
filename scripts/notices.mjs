// Third-party notices for the .vsix: every npm package whose code the bundles in dist/ contain (found by bundling
// the same entries again with esbuild's metafile, nothing written) plus the runtime copied next to them
// (onnxruntime-node, onnxruntime-common), each with its version, licence and licence text when the package ships
// one. Written to dist/ThirdPartyNotices.txt by scripts/package.mjs.
//
//   node scripts/notices.mjs            print the list of packages
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const ENTRIES = [
  { entry: 'extension/extension.ts', platform: 'node', external: ['vscode', 'onnxruntime-node'] },
  { entry: 'extension/analysis/worker.ts', platform: 'node', external: [] },
  { entry: 'extension/ort/worker.ts', platform: 'node', external: ['onnxruntime-node'] },
  { entry: 'webview/main.ts', platform: 'browser', external: [] },
  { entry: 'webview/history/main.ts', platform: 'browser', external: [] },
  { entry: 'webview/compare/main.ts', platform: 'browser', external: [] },
  { entry: 'webview/styles.css', platform: 'browser', external: [] },
];
/** Shipped as files, not bundled. */
const COPIED = ['onnxruntime-node', 'onnxruntime-common', '@vscode/codicons'];

/** Package directory (relative to the root) of a bundled input path, or undefined for our own sources. */
function packageDirOf(input) {
  const parts = input.split(/[\\/]/);
  const i = parts.lastIndexOf('node_modules');
  if (i < 0) return undefined;
  const n = parts[i + 1]?.startsWith('@') ? 2 : 1;
  return parts.slice(0, i + 1 + n).join('/');
}

export async function bundledPackages(root = ROOT) {
  const dirs = new Set();
  for (const e of ENTRIES) {
    if (!existsSync(join(root, e.entry))) continue;
    const r = await esbuild.build({
      entryPoints: [join(root, e.entry)],
      bundle: true,
      write: false,
      metafile: true,
      platform: e.platform,
      format: e.platform === 'node' ? 'cjs' : 'iife',
      external: e.external,
      loader: { '.ttf': 'empty' },
      logLevel: 'silent',
      absWorkingDir: root,
    });
    // Only what ends up in the output (tree-shaking drops the rest of a package such as d3).
    for (const o of Object.values(r.metafile.outputs)) {
      for (const [input, { bytesInOutput }] of Object.entries(o.inputs)) {
        const d = bytesInOutput > 0 ? packageDirOf(input) : undefined;
        if (d) dirs.add(d);
      }
    }
  }
  for (const name of COPIED) if (existsSync(join(root, 'node_modules', name))) dirs.add(`node_modules/${name}`);
  const out = [];
  for (const d of dirs) {
    const dir = join(root, d);
    const pj = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const licenseFile = readdirSync(dir).find((f) => /^(licen[cs]e|copying|notice)(\.|$)/i.test(f));
    out.push({
      name: pj.name,
      version: pj.version,
      license: typeof pj.license === 'string' ? pj.license : pj.license?.type ?? 'see package',
      homepage: pj.homepage ?? (typeof pj.repository === 'string' ? pj.repository : pj.repository?.url) ?? '',
      author: typeof pj.author === 'string' ? pj.author : pj.author?.name,
      text: licenseFile ? readFileSync(join(dir, licenseFile), 'utf8').trim() : null,
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** The MIT licence, for packages that declare it without shipping the text. */
function mitText(holder) {
  return `(The package declares the MIT licence without a licence file; the MIT licence text follows.)

MIT License

Copyright (c) ${holder ?? 'the authors of the package'}

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated
documentation files (the "Software"), to deal in the Software without restriction, including without limitation the
rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit
persons to whom the Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial portions of the
Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE
WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.`;
}

export async function writeNotices(file, root = ROOT) {
  const pkgs = await bundledPackages(root);
  const lines = [
    'MixVarGENet Studio — third-party software',
    '',
    'The extension bundles or ships the following npm packages. Each is used under its licence, reproduced below',
    'where the package carries a licence file (otherwise its package.json names the licence).',
    '',
    ...pkgs.map((p) => `- ${p.name} ${p.version} (${p.license})${p.homepage ? ` ${p.homepage}` : ''}`),
  ];
  for (const p of pkgs) {
    lines.push('', '='.repeat(100), `${p.name} ${p.version} — ${p.license}`, '='.repeat(100), '');
    const holder = /^(onnxruntime|@microsoft\/)/.test(p.name) ? 'Microsoft Corporation' : p.author;
    lines.push(p.text ?? (p.license === 'MIT' ? mitText(holder) : `No licence file in the package; its package.json declares: ${p.license}.`));
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  return pkgs;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const p of await bundledPackages()) console.log(`${p.name}@${p.version}\t${p.license}\t${p.text ? 'licence text' : 'no licence file'}`);
}
