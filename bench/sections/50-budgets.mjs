// Analysis budgets: every hostile input ends within its budgets (goal: ≤ 1 s and ≤ 256 MB each, the
// seed config still ≈ 1 ms). Inputs: the four of issue #12.1 as they were measured there, then one of
// every family of test/unit/fuzz/hostile-families.ts (each after the seed config's text).
//   - analyze() in a fresh Node process per input (so its peak RSS and heap are its own): the time of a
//     second run (the first warms up the JIT), its CPU time, the process' peak RSS, how it ended;
//   - the same text through the real analysis worker (dist/analysisWorker.js, WorkerEngine): the round
//     trip, and the longest event-loop stall of the calling ("host") thread meanwhile.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as esbuild from 'esbuild';

const IMPORT = 'from hat.models.backbones.mixvargenet import MixVarGENetConfig\n';

/** The inputs of issue #12.1, as written there (before: > 20 s, > 20 s at 1.5 GB, V8 out of memory, 15.7 s). */
const ISSUE = [
  { name: '#12.1 [len(range(10**6)) for a in range(99999)]', code: 'x = [len(range(10**6)) for a in range(99999)]' },
  { name: '#12.1 [sorted(L) for a in range(99999)]', code: 'L = list(range(99999))\nx = [sorted(L) for a in range(99999)]' },
  { name: '#12.1 [s.upper() for a in range(99999)], s of 100,000', code: 's = "a" * 100000\nx = [s.upper() for a in range(99999)]' },
  { name: '#12.1 60,000 nested brackets', code: `x = ${'['.repeat(60000)}${']'.repeat(60000)}` },
];

/** Run in the child: analyze the text twice; the peak RSS after the first, the time of the second (the JIT warm). */
const CHILD = `
const { analyze } = require(process.argv[1]);
const text = require('node:fs').readFileSync(process.argv[2], 'utf8');
analyze(text);
const rssMb = process.resourceUsage().maxRSS / 1024; // the peak of one analysis (and Node itself)
const c0 = process.cpuUsage();
const t0 = performance.now();
const a = analyze(text);
const wallMs = performance.now() - t0;
const c = process.cpuUsage(c0);
const line = (o) => a.lines.positionAt(o).line + 1;
process.stdout.write(JSON.stringify({
  wallMs, cpuMs: (c.user + c.system) / 1000,
  rssMb,
  stopped: a.stopped ? a.stopped.kind + ' @ line ' + line(a.stopped.range.start) : '',
  syntax: a.parsed.syntaxErrors.length,
  stages: a.network ? a.network.stages.length : 0,
  work: Math.round(a.used.work), memory: a.used.memory,
}));
`;

export default {
  id: 'budgets',
  title: 'Analysis budgets: hostile inputs (goal ≤ 1 s, ≤ 256 MB each)',
  async run(ctx) {
    const seed = readFileSync(join(ctx.root, 'examples/configs/mixvargenet_imagenet.py'), 'utf8');
    const { hostileInputs } = ctx.bundle('test/unit/fuzz/hostile-families.ts');
    const inputs = [
      { name: 'seed config (mixvargenet_imagenet.py)', text: seed },
      ...ISSUE.map((i) => ({ name: i.name, text: IMPORT + i.code + '\n' })),
      ...(ctx.quick ? [] : hostileInputs(seed, 0x62656e, 1).map((h) => ({ name: `${h.family}: ${h.name}`, text: h.text }))),
    ];
    const dir = mkdtempSync(join(ctx.root, 'out', 'bench-budgets-'));
    try {
      const core = join(dir, 'core.cjs');
      esbuild.buildSync({ stdin: { contents: "export { analyze } from './extension/core/analyze';", resolveDir: ctx.root, loader: 'ts' }, bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: core, logLevel: 'warning' });
      const rows = [];
      for (const [i, input] of inputs.entries()) {
        const file = join(dir, `in${i}.py`);
        writeFileSync(file, input.text);
        const r = spawnSync(process.execPath, ['-e', CHILD, core, file], { encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 20 });
        const fig = r.status === 0 ? JSON.parse(r.stdout) : { error: (r.stderr || r.signal || '').split('\n').filter(Boolean).pop() };
        rows.push({ name: input.name, bytes: input.text.length, ...fig });
      }
      // Through the real worker, from this thread: round trip and this thread's longest stall.
      const { WorkerEngine } = ctx.bundle('extension/analysis/engine.ts');
      const engine = new WorkerEngine(join(ctx.root, 'dist/analysisWorker.js'));
      const opts = { target: 'J5', hints: true, disabled: [] };
      try {
        await engine.request({ type: 'analyze', uri: 'file:///warm.py', version: 1, text: seed, options: opts });
        for (const [i, input] of inputs.entries()) {
          const h = monitorEventLoopDelay({ resolution: 1 });
          h.enable();
          const t0 = performance.now();
          try {
            const rep = await engine.request({ type: 'analyze', uri: `file:///in${i}.py`, version: 1, text: input.text, options: opts });
            rows[i].roundTripMs = performance.now() - t0;
            rows[i].workerMs = rep.serviceMs;
          } catch (e) {
            rows[i].roundTripMs = NaN;
            rows[i].error = `worker: ${e.message}`;
          }
          h.disable();
          rows[i].stallMs = h.max / 1e6;
        }
      } finally {
        engine.dispose();
      }
      ctx.table(this.title, [
        { key: 'name', label: 'input' },
        { key: 'bytes', label: 'size', fmt: ctx.fmtBytes },
        { key: 'wallMs', label: 'analyze', fmt: ctx.fmtMs },
        { key: 'cpuMs', label: 'cpu', fmt: ctx.fmtMs },
        { key: 'rssMb', label: 'peak RSS', fmt: (v) => (v ? `${v.toFixed(0)} MB` : '–') },
        { key: 'work', label: 'work units', fmt: (v) => (v === undefined ? '–' : v.toLocaleString('en-US')) },
        { key: 'memory', label: 'est. values', fmt: (v) => (v === undefined ? '–' : ctx.fmtBytes(v)) },
        { key: 'stopped', label: 'stopped (MVG017)', fmt: (v, r) => r.error ?? (v || (r.syntax ? 'syntax error' : 'no')) },
        { key: 'roundTripMs', label: 'worker round trip', fmt: ctx.fmtMs },
        { key: 'stallMs', label: 'host stall', fmt: ctx.fmtMs },
      ], rows);
      const worst = rows.slice(1).filter((r) => !r.error);
      const maxMs = Math.max(...worst.map((r) => r.wallMs));
      const maxRss = Math.max(...worst.map((r) => r.rssMb));
      const failed = rows.filter((r) => r.error).map((r) => r.name);
      ctx.note(`slowest hostile input ${ctx.fmtMs(maxMs)} (goal ≤ 1 s), largest peak RSS ${maxRss.toFixed(0)} MB (goal ≤ 256 MB; a bare Node process is ≈ 45 MB), longest host-thread stall ${ctx.fmtMs(Math.max(...rows.map((r) => r.stallMs)))}${failed.length ? `; FAILED: ${failed.join(', ')}` : ''}`);
      return { rows };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
