// Builds the .vsix: `npm run package` (= node scripts/package.mjs).
//
//   node scripts/package.mjs [--target linux-x64] [--out FILE.vsix] [--no-build]
//
// 1. `node scripts/build.mjs --production` (minified bundles in dist/, no maps) unless --no-build.
// 2. The runtime dependency the bundles keep external: onnxruntime-node (a native addon, not bundlable) and the
//    onnxruntime-common it requires, copied to dist/node_modules/ with only the target's CPU binaries
//    (bin/napi-v6/<platform>/<arch>/: the binding and libonnxruntime; no other platform, no CUDA/TensorRT/DirectML
//    provider, no maps, typings or TypeScript sources). dist/extension.js (and dist/cli.js) find it there by Node's
//    ordinary resolution (findOrt(): require.resolve('onnxruntime-node') from dist/) and hand its path to the
//    dist/perf-worker.js child. An up-to-date copy is left alone; otherwise a new one is written next to it and
//    swapped in, so a run that is using the old one is not left half-way.
// 3. `vsce package --target T --no-dependencies` with the allow-list .vscodeignore (dist/node_modules is allowed
//    there; vsce's --no-dependencies only skips the root node_modules/).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'package.json'));

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** vsce target → onnxruntime-node's bin folder. */
const ORT_BIN = {
  'linux-x64': 'linux/x64',
  'linux-arm64': 'linux/arm64',
  'darwin-arm64': 'darwin/arm64',
  'win32-x64': 'win32/x64',
  'win32-arm64': 'win32/arm64',
};
/** Files in that folder that are execution providers downloaded or shipped on the side, not the CPU runtime. */
const NOT_CPU = /(cuda|tensorrt|rocm|migraphx|openvino|dnnl|directml|dxcompiler|dxil|qnn|providers_shared)/i;

const target = arg('--target', 'linux-x64');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const out = resolve(ROOT, arg('--out', `${pkg.name}-${target}.vsix`));
if (!ORT_BIN[target]) {
  console.error(`package: onnxruntime-node ships no binary for ${target} (known: ${Object.keys(ORT_BIN).join(', ')})`);
  process.exit(2);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`package: ${relative(ROOT, args[0] ?? cmd)} ${args.slice(1).join(' ')} failed (${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

/** The files of `from` (relative names, recursively) accepted by `keep`. */
function listFiltered(from, keep, rel = '') {
  const out = [];
  for (const e of readdirSync(join(from, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiltered(from, keep, r));
    else if (keep(r)) out.push(r);
  }
  return out;
}

/** "rel size mtime" of every file under `dir` (or of the given [abs, rel] pairs), sorted: a cheap identity. */
function fingerprint(pairs) {
  return pairs.map(([abs, rel]) => {
    const st = statSync(abs);
    return `${rel} ${st.size} ${Math.trunc(st.mtimeMs / 1000)}`; // (cpSync keeps timestamps to about a ms: compare seconds)
  }).sort().join('\n');
}
function filesUnder(dir, rel = '') {
  if (!existsSync(join(dir, rel))) return [];
  return readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? filesUnder(dir, r) : [[join(dir, r), r]];
  });
}

/** Every require() of a copied .js that is neither relative, built in, nor one of the copied packages. */
function foreignRequires(dir, copied) {
  const bad = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js')) {
        for (const m of readFileSync(p, 'utf8').matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)) {
          const id = m[1];
          const name = id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : id.split('/')[0];
          if (id.startsWith('.') || id.startsWith('node:') || builtinModules.includes(name) || copied.includes(name)) continue;
          bad.push(`${relative(dir, p)}: require("${id}")`);
        }
      }
    }
  };
  walk(dir);
  return bad;
}

// ------------------------------------------------------------------------------------------- 1. bundles

if (!process.argv.includes('--no-build')) run(process.execPath, ['scripts/build.mjs', '--production']);
for (const f of ['dist/extension.js', 'dist/perf-worker.js']) {
  if (!existsSync(join(ROOT, f))) {
    console.error(`package: ${f} is missing (the build did not write it)`);
    process.exit(1);
  }
}

// ------------------------------------------------------------------------------------------- 2. onnxruntime

const ortDir = dirname(require.resolve('onnxruntime-node/package.json'));
// (onnxruntime-common's "exports" hides its package.json: find the folder from its entry point.)
let commonDir = dirname(createRequire(join(ortDir, 'package.json')).resolve('onnxruntime-common'));
while (!existsSync(join(commonDir, 'package.json')) || JSON.parse(readFileSync(join(commonDir, 'package.json'), 'utf8')).name !== 'onnxruntime-common') {
  if (dirname(commonDir) === commonDir) throw new Error('onnxruntime-common not found');
  commonDir = dirname(commonDir);
}
const ortPkg = JSON.parse(readFileSync(join(ortDir, 'package.json'), 'utf8'));
const bin = `bin/napi-v${ortPkg.binary?.napi_versions?.[0] ?? 6}/${ORT_BIN[target]}`;
if (!existsSync(join(ortDir, bin, 'onnxruntime_binding.node'))) {
  console.error(`package: ${relative(ROOT, join(ortDir, bin))}/onnxruntime_binding.node is missing: is onnxruntime-node installed (npm ci)?`);
  process.exit(1);
}

// onnxruntime-node: its manifest, the CommonJS entry (dist/*.js) and the target's CPU binaries. Its other dependencies
// (adm-zip, global-agent) serve only its install script.
// onnxruntime-common: its manifest and the CommonJS build (the "require" export); dist/cjs/package.json marks it CommonJS.
const wanted = [
  ...listFiltered(ortDir, (r) => r === 'package.json' || /^dist\/[^/]+\.js$/.test(r) || (r.startsWith(`${bin}/`) && !r.slice(bin.length + 1).includes('/') && !NOT_CPU.test(r))).map((r) => [
    join(ortDir, r),
    `onnxruntime-node/${r}`,
  ]),
  ...listFiltered(commonDir, (r) => r === 'package.json' || /^dist\/cjs\/[^/]+\.(js|json)$/.test(r)).map((r) => [join(commonDir, r), `onnxruntime-common/${r}`]),
];
const dest = join(ROOT, 'dist', 'node_modules');
// Timestamps are kept in the copy: an up-to-date dist/node_modules is left alone (a test or an extension host may be
// loading it right now); otherwise a fresh copy is staged next to it and swapped in.
if (fingerprint(filesUnder(dest)) !== fingerprint(wanted)) {
  const stage = join(ROOT, 'dist', `.node_modules-${process.pid}`);
  rmSync(stage, { recursive: true, force: true });
  for (const [abs, rel] of wanted) {
    mkdirSync(dirname(join(stage, rel)), { recursive: true });
    cpSync(abs, join(stage, rel), { preserveTimestamps: true });
  }
  const foreign = foreignRequires(stage, ['onnxruntime-node', 'onnxruntime-common']);
  if (foreign.length) {
    rmSync(stage, { recursive: true, force: true });
    console.error(`package: onnxruntime now requires modules that are not copied:\n  ${foreign.join('\n  ')}`);
    process.exit(1);
  }
  const old = join(ROOT, 'dist', `.node_modules-old-${process.pid}`);
  if (existsSync(dest)) renameSync(dest, old);
  renameSync(stage, dest);
  rmSync(old, { recursive: true, force: true });
}
const files = wanted.length;
const size = (d) => readdirSync(d, { withFileTypes: true }).reduce((a, e) => a + (e.isDirectory() ? size(join(d, e.name)) : statSync(join(d, e.name)).size), 0);
console.log(`package: onnxruntime-node ${ortPkg.version} (${target} CPU) in dist/node_modules: ${files} files, ${(size(dest) / 1e6).toFixed(1)} MB`);

// Third-party notices: the packages the bundles contain and the runtime copied next to them, with their licences.
const { writeNotices } = await import('./notices.mjs');
const notices = await writeNotices(join(ROOT, 'dist', 'ThirdPartyNotices.txt'));
console.log(`package: dist/ThirdPartyNotices.txt (${notices.length} packages)`);

// ------------------------------------------------------------------------------------------- 3. vsce

const vsce = join(dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
run(process.execPath, [vsce, 'package', '--target', target, '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out]);
// dist/node_modules shadows the root node_modules for the dev bundles too (same version: harmless) unless it holds
// another platform's binaries: then it goes.
if (target !== `${process.platform}-${process.arch}`) rmSync(dest, { recursive: true, force: true });
