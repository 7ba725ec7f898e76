// Compare view (issue 14 B): 50 configs side by side. "compute" is what the analysis worker does for the view — for
// each config the compareInputs request's work (analyze, snapshot, row inputs), then the row with its results — done
// here serially in one Node thread as the worker does; "render" is the real webview bundle (dist/compare.js) in
// Chromium with a stub acquireVsCodeApi: the time from posting the `rows` message to the page's `rendered` answer
// (the table, the scatter with its Pareto frontier and axes), and the page's own measure of its draw. The target
// is compute + render ≤ 300 ms for 50 configs. Skipped (with a note) when Chromium or the bundle is missing.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median } from '../lib.mjs';

const N = 50;

export default {
  id: 'compare',
  title: 'Compare view: 50 configs computed and drawn',
  async run(ctx) {
    const core = ctx.bundle({
      contents: `
        export { analyze } from './extension/core/analyze';
        export { toSnapshot } from './extension/core/ide/snapshot';
        export { rowInputs, compareRow, differingColumns, paretoFrontier } from './extension/core/compare';
        export { latestResults } from './extension/core/hat';
      `,
    });
    const bases = ['mixvargenet_imagenet', 'mixvargenet_fusion', 'mixvargenet_backbone_only', 'mixvargenet_expressions'].map((n) => readFileSync(join(ctx.root, `examples/configs/${n}.py`), 'utf8'));
    // 50 distinct configs: the examples with the last stage widened by 8 channels per variant.
    const texts = Array.from({ length: N }, (_, i) => {
      const t = bases[i % bases.length];
      const at = t.lastIndexOf('out_channels=');
      const m = /^out_channels=(\d+)/.exec(t.slice(at));
      return m ? `${t.slice(0, at)}out_channels=${Number(m[1]) + 8 * Math.floor(i / bases.length)}${t.slice(at + m[0].length)}` : t;
    });
    // Two thirds have results: calibration accuracy and compile_perf FPS.
    const latest = texts.map((_, i) =>
      i % 3 === 2
        ? null
        : core.latestResults([
            { id: `a${i}`, stage: 'calibration', time: '2026-01-01T00:00:00Z', status: 'ok', source: 'run', accuracy: 0.68 + ((i * 37) % 50) / 1000 },
            { id: `b${i}`, stage: 'compile_perf', time: '2026-01-02T00:00:00Z', status: 'ok', source: 'run', fps: 2500 + ((i * 71) % 40) * 90, latencyMs: 0.3 },
          ]),
    );
    let rows = [];
    const compute = () => {
      rows = texts.map((t, i) => core.compareRow(`file:///bench/configs/c${String(i).padStart(2, '0')}.py`, core.rowInputs(core.toSnapshot(core.analyze(t), { uri: `c${i}.py`, version: 1 })), latest[i], i % 4 === 0 ? 20 + i : null));
      core.differingColumns(rows);
      return rows;
    };
    const c = await ctx.measure(compute, { warmup: 2, minIters: ctx.quick ? 3 : 8, budgetMs: ctx.quick ? 1500 : 5000 });
    const view = rows.map((row, i) => ({ label: `configs/c${String(i).padStart(2, '0')}.py`, row }));
    const frontier = core.paretoFrontier(rows.map((r) => ({ x: r.fps, y: r.accuracy.calibration })), 'max', 'max');

    const exe = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
    const bundle = join(ctx.root, 'dist/compare.js');
    let render = null;
    if (!exe || !existsSync(bundle)) ctx.note(`compare render: skipped (${!exe ? 'no Chromium: bash scripts/setup.sh' : 'no dist/compare.js: npm run build'})`);
    else {
      const { chromium } = await import('playwright-core');
      const page_ = join(ctx.root, 'out', 'bench-compare.html');
      writeFileSync(
        page_,
        `<!DOCTYPE html><html><head><meta charset="utf-8">
<script>
  window.__posted = [];
  window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => null, setState: () => {} });
</script></head>
<body class="vscode-dark" style="--vscode-foreground:#ccc;--vscode-editor-background:#1f1f1f;width:1200px">
<header><vscode-button id="show-all"></vscode-button><vscode-button id="export-csv"></vscode-button><vscode-button id="export-svg"></vscode-button><span id="count"></span></header>
<section><vscode-dropdown id="x-axis"></vscode-dropdown><vscode-dropdown id="y-axis"></vscode-dropdown><vscode-button id="log-scale"></vscode-button><span id="plot-note"></span></section>
<div id="plot"></div><div id="table"></div><script src="${pathToFileURL(bundle)}"></script></body></html>`,
      );
      const browser = await chromium.launch({ executablePath: exe, args: ['--no-sandbox', '--allow-file-access-from-files'] });
      try {
        const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
        await page.goto(pathToFileURL(page_).href);
        await page.waitForFunction(() => window.__posted.some((m) => m.type === 'ready'), null, { timeout: 15_000 });
        const iters = ctx.quick ? 3 : 10;
        const wall = [];
        const inside = [];
        let last = null;
        for (let i = 0; i < iters + 2; i++) {
          const r = await page.evaluate(async (rowsMsg) => {
            const before = window.__posted.length;
            const t0 = performance.now();
            window.dispatchEvent(new MessageEvent('message', { data: rowsMsg }));
            for (let k = 0; k < 400; k++) {
              const hit = window.__posted.slice(before).find((m) => m.type === 'rendered');
              if (hit) {
                document.body.getBoundingClientRect();
                return { wall: performance.now() - t0, drawMs: hit.drawMs, points: hit.points, frontier: hit.frontier.length, rows: hit.rows };
              }
              await new Promise((res) => setTimeout(res, 2));
            }
            return null;
          }, { type: 'rows', rows: view, computeMs: 0 });
          if (!r) throw new Error('the compare page did not answer');
          if (i >= 2) {
            wall.push(r.wall);
            inside.push(r.drawMs);
          }
          last = r;
        }
        if (last.frontier !== frontier.length) throw new Error(`the page's frontier (${last.frontier}) is not the core's (${frontier.length})`);
        render = { wallMs: median(wall), drawMs: median(inside), points: last.points, rows: last.rows, n: iters };
      } finally {
        await browser.close();
      }
    }
    const out = [{ name: `compute: ${N} configs (analysis + row, serial, as in the worker)`, ms: c.median, min: c.min, cpu: c.cpuMedian, n: c.n }];
    if (render) {
      out.push({ name: `render: ${render.rows} rows, ${render.points} points, Pareto frontier (page's own draw)`, ms: render.drawMs, n: render.n });
      out.push({ name: 'render: post → rendered answer (Chromium)', ms: render.wallMs, n: render.n });
      out.push({ name: 'compute + render (target ≤ 300 ms)', ms: c.median + render.wallMs, min: c.min + render.wallMs, cpu: c.cpuMedian + render.wallMs, n: render.n });
    }
    ctx.table('Compare view, 50 configs', [
      { key: 'name', label: 'step' },
      { key: 'ms', label: 'median', fmt: ctx.fmtMs },
      { key: 'min', label: 'min', fmt: (v) => (v === undefined ? '' : ctx.fmtMs(v)) },
      { key: 'cpu', label: 'cpu median', fmt: (v) => (v === undefined ? '' : ctx.fmtMs(v)) },
      { key: 'ms', label: '× baseline', fmt: (v) => ctx.fmtRatio(v, ctx.baselineMs) },
      { key: 'n', label: 'runs' },
    ], out);
    return { computeMs: c.median, render };
  },
};
