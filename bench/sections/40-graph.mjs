// Graph preview (issue 4): building the graph model from an analysis (host side), laying it out (core, also run in
// the webview), and rendering it in Chromium — the real webview bundle (dist/webview.js) in a page with a stub
// acquireVsCodeApi, driven by the same `model` messages the extension host posts. Render time is what the webview
// measures around its own render (layout + d3 join + first paint excluded), plus the wall time from posting the
// model to the webview's answer to a probe (includes message delivery, layout and a forced style/layout flush).
// Workloads: the seed config (collapsed, and every stage and block expanded) and a synthetic 1,000-node graph.
// Skipped (with a note) when Chromium or the webview bundle is missing.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median } from '../lib.mjs';

export default {
  id: 'graph',
  title: 'Graph preview: model, layout and render',
  async run(ctx) {
    const core = ctx.bundle({
      contents: `
        export { analyze } from './extension/core/analyze';
        export { toSnapshot } from './extension/core/ide/snapshot';
        export { buildGraph } from './extension/core/graph/model';
        export { layoutGraph, expandAllIds } from './extension/core/graph/layout';
        export { syntheticGraph } from './extension/core/graph/synthetic';
      `,
    });
    const seedText = readFileSync(join(ctx.root, 'examples/configs/mixvargenet_imagenet.py'), 'utf8');
    const snap = core.toSnapshot(core.analyze(seedText), { uri: 'file:///bench/mixvargenet_imagenet.py', version: 1 });
    const seed = core.buildGraph(snap);
    const big = core.syntheticGraph(1000);
    const allSeed = core.expandAllIds(seed, 'convs');
    const allBig = core.expandAllIds(big, 'stages');

    const host = [];
    const model = await ctx.measure(() => core.buildGraph(snap), { warmup: 20, minIters: 50, budgetMs: 1000 });
    host.push({ name: 'seed: graph model from the snapshot (host)', ...model });
    const workloads = [
      { name: 'seed, collapsed', model: seed, expanded: [] },
      { name: 'seed, "expand all"', model: seed, expanded: allSeed },
      { name: `synthetic ${big.nodes.length} nodes, "expand all"`, model: big, expanded: allBig },
    ];
    for (const w of workloads) {
      const ex = new Set(w.expanded);
      const m = await ctx.measure(() => core.layoutGraph(w.model, { expanded: ex }), { warmup: 5, minIters: 20, budgetMs: 1500 });
      host.push({ name: `layout: ${w.name}`, ...m });
    }
    ctx.table('Graph model and layout (Node, core)', [
      { key: 'name', label: 'workload' },
      { key: 'median', label: 'median', fmt: ctx.fmtMs },
      { key: 'p90', label: 'p90', fmt: ctx.fmtMs },
      { key: 'median', label: '× baseline', fmt: (v) => ctx.fmtRatio(v, ctx.baselineMs) },
      { key: 'n', label: 'runs' },
    ], host);

    const exe = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
    const bundle = join(ctx.root, 'dist/webview.js');
    if (!exe || !existsSync(bundle)) {
      ctx.note(`graph render: skipped (${!exe ? 'no Chromium: bash scripts/setup.sh' : 'no dist/webview.js: npm run build'})`);
      return;
    }
    const { chromium } = await import('playwright-core');
    const page_ = join(ctx.root, 'out', 'bench-graph.html');
    writeFileSync(
      page_,
      `<!DOCTYPE html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="${pathToFileURL(join(ctx.root, 'dist/codicon.css'))}">
<link rel="stylesheet" href="${pathToFileURL(join(ctx.root, 'dist/webview.css'))}">
<script>
  window.__posted = [];
  window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => null, setState: () => {} });
</script></head>
<body class="vscode-dark" data-uri="file:///bench/c.py" data-file="c.py" style="--vscode-foreground:#ccc;--vscode-editor-background:#1f1f1f;width:1200px;height:800px">
<div id="app"></div><script src="${pathToFileURL(bundle)}"></script></body></html>`,
    );
    const browser = await chromium.launch({ executablePath: exe, args: ['--no-sandbox', '--allow-file-access-from-files'] });
    const rows = [];
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
      await page.goto(pathToFileURL(page_).href);
      await page.waitForFunction(() => window.__posted.some((m) => m.type === 'ready'), null, { timeout: 15_000 });
      let probe = 0;
      for (const w of workloads) {
        const iters = ctx.quick ? 3 : w.model.nodes.length > 500 ? 8 : 15;
        const inside = [];
        const wall = [];
        let drawn = 0;
        for (let i = 0; i < iters + 2; i++) {
          const id = ++probe;
          const r = await page.evaluate(
            async ({ model, expanded, id }) => {
              const t0 = performance.now();
              window.dispatchEvent(new MessageEvent('message', { data: { type: 'model', model, stale: null } }));
              if (expanded) window.dispatchEvent(new MessageEvent('message', { data: { type: 'command', command: expanded } }));
              window.dispatchEvent(new MessageEvent('message', { data: { type: 'probe', id } }));
              for (let k = 0; k < 400; k++) {
                const hit = window.__posted.find((m) => m.type === 'probeResult' && m.id === id);
                if (hit) {
                  document.body.getBoundingClientRect();
                  return { wall: performance.now() - t0, renderMs: hit.report.renderMs, nodes: hit.report.nodes };
                }
                await new Promise((res) => setTimeout(res, 5));
              }
              return null;
            },
            // a fresh version each time, so the webview re-renders; "expandAll" expands stages like the toolbar button
            { model: { ...w.model, version: 1000 + id }, expanded: w.expanded.length ? 'expandAll' : 'collapseAll', id },
          );
          if (!r) throw new Error(`the webview did not answer for ${w.name}`);
          if (i >= 2) {
            inside.push(r.renderMs);
            wall.push(r.wall);
          }
          drawn = r.nodes;
        }
        rows.push({ name: w.name, nodes: drawn, renderMs: median(inside), wallMs: median(wall), n: iters });
      }
    } finally {
      await browser.close();
    }
    ctx.table('Graph render in Chromium (the webview bundle)', [
      { key: 'name', label: 'workload' },
      { key: 'nodes', label: 'nodes drawn' },
      { key: 'renderMs', label: 'render (webview)', fmt: ctx.fmtMs },
      { key: 'wallMs', label: 'post → probe answer', fmt: ctx.fmtMs },
      { key: 'renderMs', label: 'render × seed', fmt: (v) => ctx.fmtRatio(v, rows[0].renderMs) },
      { key: 'wallMs', label: '× baseline', fmt: (v) => ctx.fmtRatio(v, ctx.baselineMs) },
      { key: 'n', label: 'runs' },
    ], rows);
  },
};
