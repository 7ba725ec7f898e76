// Dev harness of the graph webview (issue 4): loads dist/webview.js in Chromium (playwright-core) in a page
// with the host's CSP and a stub acquireVsCodeApi that records posted messages, sends it `model` messages
// from the fixtures, and saves screenshots, exports and timings under test-output/webview/.
//
//   node scripts/build.mjs && node scripts/webview-harness.mjs [--only=<name>] [--theme=dark|light|hc]
//
// Not a test (it asserts little); the real-VS-Code tests live in test/vscode/. It prints a JSON summary.
import { chromium } from 'playwright-core';
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(new URL('..', import.meta.url).pathname);
const out = join(root, 'test-output', 'webview');
mkdirSync(out, { recursive: true });
const arg = (k) => process.argv.find((a) => a.startsWith(`--${k}=`))?.split('=')[1];
const only = arg('only');
const themes = arg('theme') ? [arg('theme')] : ['dark', 'light', 'hc'];

const exe = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!existsSync(join(root, 'dist/webview.js'))) throw new Error('dist/webview.js missing: run node scripts/build.mjs');

// Representative subsets of VS Code's Dark Modern / Light Modern / High Contrast theme variables.
const THEMES = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      '--vscode-font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-editor-font-family': '"Droid Sans Mono", "monospace", monospace',
      '--vscode-foreground': '#cccccc',
      '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-editor-background': '#1f1f1f',
      '--vscode-editorWidget-background': '#202020',
      '--vscode-editorWidget-border': '#454545',
      '--vscode-widget-border': '#313131',
      '--vscode-widget-shadow': 'rgba(0, 0, 0, 0.36)',
      '--vscode-panel-border': '#2b2b2b',
      '--vscode-focusBorder': '#0078d4',
      '--vscode-errorForeground': '#f85149',
      '--vscode-editorWarning-foreground': '#cca700',
      '--vscode-charts-purple': '#b180d7',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-orange': '#d18616',
      '--vscode-badge-background': '#616161',
      '--vscode-badge-foreground': '#f8f8f8',
      '--vscode-list-hoverBackground': '#2a2d2e',
      '--vscode-list-activeSelectionBackground': '#04395e',
      '--vscode-list-activeSelectionForeground': '#ffffff',
      '--vscode-editor-findMatchBorder': '#74879f',
      '--vscode-inputValidation-warningBackground': '#352a05',
      '--vscode-inputValidation-warningBorder': '#b89500',
      '--vscode-toolbar-hoverBackground': 'rgba(90, 93, 94, 0.31)',
      '--vscode-toolbar-activeBackground': 'rgba(99, 102, 103, 0.31)',
      '--vscode-input-background': '#313131',
      '--vscode-input-foreground': '#cccccc',
      '--vscode-input-border': '#3c3c3c',
      '--vscode-dropdown-background': '#313131',
      '--vscode-dropdown-border': '#3c3c3c',
      '--vscode-dropdown-foreground': '#cccccc',
      '--vscode-button-background': '#0078d4',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-icon-foreground': '#cccccc',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      '--vscode-font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-editor-font-family': '"Droid Sans Mono", "monospace", monospace',
      '--vscode-foreground': '#3b3b3b',
      '--vscode-descriptionForeground': '#717171',
      '--vscode-editor-background': '#ffffff',
      '--vscode-editorWidget-background': '#f8f8f8',
      '--vscode-editorWidget-border': '#c8c8c8',
      '--vscode-widget-border': '#e5e5e5',
      '--vscode-widget-shadow': 'rgba(0, 0, 0, 0.16)',
      '--vscode-panel-border': '#e5e5e5',
      '--vscode-focusBorder': '#005fb8',
      '--vscode-errorForeground': '#f85149',
      '--vscode-editorWarning-foreground': '#bf8803',
      '--vscode-charts-purple': '#652d90',
      '--vscode-charts-blue': '#1a85ff',
      '--vscode-charts-orange': '#d18616',
      '--vscode-badge-background': '#cccccc',
      '--vscode-badge-foreground': '#3b3b3b',
      '--vscode-list-hoverBackground': '#f2f2f2',
      '--vscode-list-activeSelectionBackground': '#e8e8e8',
      '--vscode-list-activeSelectionForeground': '#000000',
      '--vscode-editor-findMatchBorder': '#a8ac94',
      '--vscode-inputValidation-warningBackground': '#f6f5d2',
      '--vscode-inputValidation-warningBorder': '#b89500',
      '--vscode-toolbar-hoverBackground': 'rgba(184, 184, 184, 0.31)',
      '--vscode-toolbar-activeBackground': 'rgba(166, 166, 166, 0.31)',
      '--vscode-input-background': '#ffffff',
      '--vscode-input-foreground': '#3b3b3b',
      '--vscode-input-border': '#cecece',
      '--vscode-dropdown-background': '#ffffff',
      '--vscode-dropdown-border': '#cecece',
      '--vscode-dropdown-foreground': '#3b3b3b',
      '--vscode-button-background': '#005fb8',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-icon-foreground': '#3b3b3b',
    },
  },
  hc: {
    bodyClass: 'vscode-high-contrast',
    vars: {
      '--vscode-font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-editor-font-family': '"Droid Sans Mono", "monospace", monospace',
      '--vscode-foreground': '#ffffff',
      '--vscode-descriptionForeground': 'rgba(255, 255, 255, 0.7)',
      '--vscode-editor-background': '#000000',
      '--vscode-editorWidget-background': '#0c141f',
      '--vscode-editorWidget-border': '#6fc3df',
      '--vscode-widget-border': '#6fc3df',
      '--vscode-panel-border': '#6fc3df',
      '--vscode-focusBorder': '#f38518',
      '--vscode-errorForeground': '#f48771',
      '--vscode-editorWarning-foreground': '#ffd370',
      '--vscode-charts-purple': '#b180d7',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-orange': '#d18616',
      '--vscode-badge-background': '#000000',
      '--vscode-badge-foreground': '#ffffff',
      '--vscode-list-activeSelectionBackground': '#000000',
      '--vscode-editor-findMatchBorder': '#f38518',
      '--vscode-inputValidation-warningBackground': '#000000',
      '--vscode-inputValidation-warningBorder': '#ffd370',
      '--vscode-input-background': '#000000',
      '--vscode-input-foreground': '#ffffff',
      '--vscode-input-border': '#6fc3df',
      '--vscode-dropdown-background': '#000000',
      '--vscode-dropdown-border': '#6fc3df',
      '--vscode-dropdown-foreground': '#ffffff',
      '--vscode-button-background': '#000000',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-icon-foreground': '#ffffff',
    },
  },
};

function page(theme) {
  const t = THEMES[theme];
  const style = Object.entries(t.vars)
    .map(([k, v]) => `${k}: ${v};`)
    .join(' ');
  const nonce = 'harnessNonce123';
  const dist = pathToFileURL(join(root, 'dist')).href;
  // The CSP the host uses, with file: standing in for webview.cspSource.
  const csp = `default-src 'none'; img-src file: data: blob:; style-src file: 'unsafe-inline'; font-src file:; script-src 'nonce-${nonce}'`;
  return `<!DOCTYPE html>
<html lang="en" style="${style.replace(/"/g, '&quot;')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${dist}/codicon.css">
<link rel="stylesheet" href="${dist}/webview.css">
<title>Graph</title>
</head>
<body class="${t.bodyClass}">
<div id="app"></div>
<script nonce="${nonce}">
  window.__posted = [];
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
  let state = window.__initialState ?? null;
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
    getState: () => state,
    setState: (s) => { state = s; },
  });
</script>
<script nonce="${nonce}" src="${dist}/webview.js"></script>
</body>
</html>`;
}

async function loadSynthetic() {
  const r = await esbuild.build({ entryPoints: [join(root, 'extension/core/graph/synthetic.ts')], bundle: true, write: false, format: 'esm', platform: 'node' });
  const url = 'data:text/javascript;base64,' + Buffer.from(r.outputFiles[0].text).toString('base64');
  return (await import(url)).syntheticGraph;
}

const fixture = (n) => JSON.parse(readFileSync(join(root, 'test/fixtures/graph', `${n}.model.json`), 'utf8'));

const browser = await chromium.launch({ executablePath: exe, args: ['--allow-file-access-from-files'] });
const summary = {};
try {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 860 }, deviceScaleFactor: 1 });
  const errors = [];

  async function open(theme) {
    const p = await ctx.newPage();
    p.on('pageerror', (e) => errors.push(`${theme}: ${e.message}`));
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${theme} console: ${m.text()}`);
    });
    const file = join(out, `harness-${theme}.html`);
    writeFileSync(file, page(theme));
    await p.goto(pathToFileURL(file).href);
    await p.waitForFunction(() => window.__posted.some((m) => m.type === 'ready'));
    return p;
  }
  const send = (p, msg) => p.evaluate((m) => window.postMessage(m, '*'), msg);
  let probeId = 1;
  const probe = async (p, action) => {
    const id = probeId++;
    await send(p, { type: 'probe', id, ...(action ? { action } : {}) });
    await p.waitForFunction((i) => window.__posted.some((m) => m.type === 'probeResult' && m.id === i), id);
    return p.evaluate((i) => window.__posted.find((m) => m.type === 'probeResult' && m.id === i).report, id);
  };
  const settle = (p) => p.waitForTimeout(450);
  const shot = async (p, name) => {
    await p.screenshot({ path: join(out, `${name}.png`) });
    return `test-output/webview/${name}.png`;
  };
  const lastPosted = (p, type) => p.evaluate((t) => [...window.__posted].reverse().find((m) => m.type === t) ?? null, type);

  for (const theme of themes) {
    if (only && only !== theme) continue;
    const p = await open(theme);
    const seed = fixture('seed');
    await send(p, { type: 'model', model: seed, stale: null });
    await settle(p);
    const r0 = await probe(p);
    summary[`${theme}.seed.collapsed`] = { nodes: r0.nodes, stages: r0.stageNodes, edges: r0.edges, fusion: r0.fusionEdges, renderMs: +r0.renderMs.toFixed(1), shot: await shot(p, `seed-collapsed-${theme}`) };
    await send(p, { type: 'command', command: 'expandAll' });
    await settle(p);
    await send(p, { type: 'command', command: 'fit' });
    await settle(p);
    const r1 = await probe(p);
    summary[`${theme}.seed.expanded`] = { nodes: r1.nodes, blocks: r1.blockNodes, edges: r1.edges, renderMs: +r1.renderMs.toFixed(1), shot: await shot(p, `seed-expanded-${theme}`) };
    await send(p, { type: 'command', command: 'reset' });
    await settle(p);
    summary[`${theme}.seed.expanded100`] = { shot: await shot(p, `seed-expanded-100-${theme}`) };

    const fusion = fixture('fusion');
    await send(p, { type: 'model', model: fusion, stale: null });
    await send(p, { type: 'command', command: 'collapseAll' });
    await send(p, { type: 'command', command: 'fit' });
    await settle(p);
    const r2 = await probe(p, { click: 's2' });
    await p.evaluate(() => document.querySelector('#btn-table').click());
    await settle(p);
    summary[`${theme}.fusion.collapsed`] = { nodes: r2.nodes, fusion: r2.fusionEdges, labels: r2.edgeLabels, selected: r2.selected, reveal: await lastPosted(p, 'reveal'), shot: await shot(p, `fusion-collapsed-table-${theme}`) };
    await p.evaluate(() => document.querySelector('#btn-table').click());
    const r3 = await probe(p, { dblclick: 's4' });
    await send(p, { type: 'command', command: 'reset' });
    await settle(p);
    await p.mouse.move(5, 5);
    summary[`${theme}.fusion.s4`] = { expanded: r3.expanded, blocks: r3.blockNodes, shot: await shot(p, `fusion-s4-${theme}`) };
    // conv rows
    await probe(p, { dblclick: 's4.b0' });
    await send(p, { type: 'highlight', nodeId: 's4.b2', reveal: true });
    await settle(p);
    summary[`${theme}.fusion.rows`] = { shot: await shot(p, `fusion-rows-${theme}`) };

    if (existsSync(join(root, 'test/fixtures/graph/mistakes.model.json'))) {
      await send(p, { type: 'model', model: fixture('mistakes'), stale: { line: 12, message: "'(' was never closed" } });
      await send(p, { type: 'command', command: 'fit' });
      await settle(p);
      const r4 = await probe(p, { measure: 'params' });
      summary[`${theme}.mistakes`] = { banner: r4.staleBanner, header: r4.header, legend: r4.legend, shot: await shot(p, `mistakes-stale-${theme}`) };
    }
    await p.close();
  }

  if (!only || only === 'export') {
    const p = await open('dark');
    await send(p, { type: 'model', model: fixture('fusion'), stale: null });
    await send(p, { type: 'command', command: 'expandAll' });
    await settle(p);
    await send(p, { type: 'command', command: 'exportSvg' });
    const svgMsg = await lastPosted(p, 'export');
    writeFileSync(join(out, 'fusion-export.svg'), svgMsg.data);
    await send(p, { type: 'command', command: 'exportPng' });
    await p.waitForFunction(() => window.__posted.some((m) => m.type === 'export' && m.format === 'png') || window.__posted.some((m) => m.type === 'error'), null, { timeout: 20000 });
    const png = await lastPosted(p, 'export');
    const err = await lastPosted(p, 'error');
    if (png?.format === 'png') writeFileSync(join(out, 'fusion-export.png'), Buffer.from(png.data, 'base64'));
    summary.export = { svgBytes: svgMsg.data.length, png: png?.format === 'png' ? png.data.length : null, error: err?.message ?? null, csp: await p.evaluate(() => window.__cspViolations) };
    // The exported SVG renders on its own (no VS Code variables): screenshot it.
    const q = await ctx.newPage();
    writeFileSync(join(out, 'export-view.html'), `<!DOCTYPE html><body style="margin:0;background:#888"><img id="i" src="fusion-export.svg" style="width:100%"></body>`);
    await q.goto(pathToFileURL(join(out, 'export-view.html')).href);
    await q.waitForFunction(() => document.getElementById('i').complete);
    summary.export.standaloneImage = await q.evaluate(() => ({ w: document.getElementById('i').naturalWidth, h: document.getElementById('i').naturalHeight }));
    await q.screenshot({ path: join(out, 'fusion-export-standalone.png') });
    await q.close();
    await p.close();
  }

  if (!only || only === 'interact') {
    const p = await open('dark');
    const posted = () => p.evaluate(() => window.__posted.map((m) => m.type));
    await send(p, { type: 'model', model: fixture('fusion'), stale: null });
    await settle(p);
    const res = {};
    // invalid messages are ignored and reported
    await send(p, { type: 'model', model: { nodes: 'x' } });
    await send(p, { type: 'bogus' });
    res.invalid = (await p.evaluate(() => window.__posted.filter((m) => m.type === 'error').map((m) => m.message)));
    // find
    const f = await probe(p, { find: 'gb16' });
    res.find = { matches: f.matches, expanded: f.expanded, blockNodes: f.blockNodes, count: await p.evaluate(() => document.querySelector('#find-count').textContent) };
    await shot(p, 'find-gb16-dark');
    // keyboard: focus s1 (collapse all first), arrows, Enter, Space
    await send(p, { type: 'command', command: 'collapseAll' });
    await settle(p);
    await p.evaluate(() => document.querySelector('g.node[data-id="stem"]').focus());
    await p.keyboard.press('ArrowDown');
    res.afterArrowDown = await p.evaluate(() => document.activeElement?.getAttribute('data-id'));
    await p.keyboard.press('ArrowRight');
    res.afterArrowRight = await p.evaluate(() => document.activeElement?.getAttribute('data-id'));
    await p.keyboard.press('ArrowLeft');
    await p.keyboard.press('ArrowDown');
    res.afterLeftDown = await p.evaluate(() => document.activeElement?.getAttribute('data-id'));
    await p.keyboard.press('Enter');
    res.revealAfterEnter = (await lastPosted(p, 'reveal'))?.nodeId;
    await p.keyboard.press(' ');
    const k = await probe(p);
    res.afterSpace = { expanded: k.expanded, focus: await p.evaluate(() => document.activeElement?.getAttribute('data-id')) };
    await p.keyboard.press('-');
    res.afterMinus = (await probe(p)).expanded;
    await p.keyboard.press('/');
    res.slashFocus = await p.evaluate(() => document.activeElement?.id);
    await p.keyboard.press('Escape');
    // table: sort by MACs (desc), click a row
    await p.evaluate(() => document.querySelector('#btn-table').click());
    await p.evaluate(() => document.querySelector('#cost-table th[data-col="macs"]').click());
    res.sortedByMacs = await p.evaluate(() => [...document.querySelectorAll('#cost-table tr.stage-row')].map((r) => r.dataset.id));
    await p.evaluate(() => document.querySelector('#cost-table tr.stage-row[data-id="s3"]').click());
    const t = await probe(p);
    res.rowClick = { selected: t.selected, reveal: (await lastPosted(p, 'reveal'))?.nodeId, tableRows: t.tableRows };
    // highlight of a hidden block lands on its stage
    await send(p, { type: 'highlight', nodeId: 's4.b1', reveal: false });
    res.highlightHidden = (await probe(p)).highlighted;
    // stale on/off keeps the picture
    await send(p, { type: 'stale', stale: { line: 7, message: 'invalid syntax' } });
    const st = await probe(p);
    await send(p, { type: 'stale', stale: null });
    const st2 = await probe(p);
    res.stale = { on: st.staleBanner, nodes: st.nodes, off: st2.staleBanner, nodesAfter: st2.nodes };
    // a new model keeps expansion/selection and drops ids that vanished
    await probe(p, { dblclick: 's2' });
    const m2 = fixture('fusion');
    m2.nodes = m2.nodes.filter((n) => n.id !== 's3' && n.parent !== 's3');
    m2.edges = m2.edges.filter((e) => !e.from.startsWith('s3') && !e.to.startsWith('s3'));
    const before = await probe(p);
    await send(p, { type: 'model', model: m2, stale: null });
    const after = await probe(p);
    res.modelUpdate = { expandedBefore: before.expanded, expandedAfter: after.expanded, selectedBefore: before.selected, selectedAfter: after.selected, transformKept: JSON.stringify(before.transform) === JSON.stringify(after.transform) };
    // viewState posted (debounced) and restorable
    await p.waitForTimeout(500);
    const vs = await lastPosted(p, 'viewState');
    res.viewState = vs?.state;
    // theme switch: fills follow
    const fillBefore = await p.evaluate(() => document.querySelector('g.node[data-id="s1"] rect.box').getAttribute('fill'));
    await p.evaluate(() => { document.documentElement.style.setProperty('--vscode-editor-background', '#ffffff'); document.documentElement.style.setProperty('--vscode-foreground', '#3b3b3b'); document.body.className = 'vscode-light'; });
    await p.waitForTimeout(100);
    res.themeSwitch = { fillBefore, fillAfter: await p.evaluate(() => document.querySelector('g.node[data-id="s1"] rect.box').getAttribute('fill')) };
    res.posted = [...new Set(await posted())];
    await p.close();
    // restore from saved state
    const q = await ctx.newPage();
    await q.addInitScript((st) => { window.__initialState = st; }, vs.state);
    await q.goto(pathToFileURL(join(out, 'harness-dark.html')).href);
    await q.waitForFunction(() => window.__posted.some((m) => m.type === 'ready'));
    res.readyState = await q.evaluate(() => window.__posted.find((m) => m.type === 'ready').state);
    await q.evaluate((m) => window.postMessage({ type: 'model', model: m, stale: null }, '*'), m2);
    await q.evaluate(() => window.postMessage({ type: 'probe', id: 99 }, '*'));
    await q.waitForFunction(() => window.__posted.some((m) => m.type === 'probeResult'));
    const rr = await q.evaluate(() => window.__posted.find((m) => m.type === 'probeResult').report);
    res.restored = { expanded: rr.expanded, selected: rr.selected, transform: rr.transform, tableRows: rr.tableRows };
    await q.screenshot({ path: join(out, 'restored-dark.png') });
    await q.close();
    summary.interact = res;
  }

  if (!only || only === 'perf') {
    const syntheticGraph = await loadSynthetic();
    const p = await open('dark');
    const m = syntheticGraph(1000);
    const t0 = Date.now();
    await send(p, { type: 'model', model: m, stale: null });
    const rA = await probe(p);
    const tModel = Date.now() - t0;
    const t1 = Date.now();
    await send(p, { type: 'command', command: 'expandAll' });
    const rB = await probe(p);
    const tExpand = Date.now() - t1;
    console.error('expand timings', await p.evaluate(() => document.querySelector('svg#graph').getAttribute('data-timings')));
    // A second model message (an edit): keyed update of 1,000 drawn nodes.
    const m2 = syntheticGraph(1000);
    m2.version = 2;
    const t2 = Date.now();
    await send(p, { type: 'model', model: m2, stale: null });
    const rC = await probe(p);
    const tUpdate = Date.now() - t2;
    console.error('update timings', await p.evaluate(() => document.querySelector('svg#graph').getAttribute('data-timings')));
    const rD = await probe(p, { measure: 'params' });
    // Repeat (the machine may be busy): collapse/expand cycles, min and median of the expanded render.
    const rep = [];
    const repUpdate = [];
    for (let i = 0; i < 5; i++) {
      await send(p, { type: 'command', command: 'collapseAll' });
      await send(p, { type: 'command', command: 'expandAll' });
      rep.push((await probe(p)).renderMs);
      console.error('expand', await p.evaluate(() => document.querySelector('svg#graph').getAttribute('data-timings')));
      const mi = syntheticGraph(1000);
      mi.version = 10 + i;
      await send(p, { type: 'model', model: mi, stale: null });
      repUpdate.push((await probe(p)).renderMs);
      console.error('update', await p.evaluate(() => document.querySelector('svg#graph').getAttribute('data-timings')));
    }
    // In-page latency to the next painted frame: post a message, wait two animation frames.
    const frameLatency = (msg) =>
      p.evaluate(
        (m) =>
          new Promise((res) => {
            const t0 = performance.now();
            window.postMessage(m, '*');
            setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(() => res(performance.now() - t0))), 0);
          }),
        msg,
      );
    const frames = { expand: [], update: [] };
    for (let i = 0; i < 3; i++) {
      await send(p, { type: 'command', command: 'collapseAll' });
      await p.waitForTimeout(100);
      frames.expand.push(await frameLatency({ type: 'command', command: 'expandAll' }));
      const mi = syntheticGraph(1000);
      mi.version = 20 + i;
      frames.update.push(await frameLatency({ type: 'model', model: mi, stale: null }));
    }
    const stat = (a) => ({ min: +Math.min(...a).toFixed(1), median: +[...a].sort((x, y) => x - y)[Math.floor(a.length / 2)].toFixed(1) });
    await send(p, { type: 'command', command: 'fit' });
    await settle(p);
    summary.perf1000 = {
      modelNodes: m.nodes.length,
      collapsed: { nodes: rA.nodes, renderMs: +rA.renderMs.toFixed(1), wallMs: tModel },
      expanded: { nodes: rB.nodes, edges: rB.edges, renderMs: +rB.renderMs.toFixed(1), wallMs: tExpand },
      update: { nodes: rC.nodes, renderMs: +rC.renderMs.toFixed(1), wallMs: tUpdate },
      remeasure: { renderMs: +rD.renderMs.toFixed(1) },
      expandRepeated: stat(rep),
      updateRepeated: stat(repUpdate),
      expandToPaintMs: stat(frames.expand),
      updateToPaintMs: stat(frames.update),
      shot: await shot(p, 'synthetic-1000-fit'),
    };
    await p.close();
  }
  summary.errors = errors;
} finally {
  await browser.close();
}
writeFileSync(join(out, 'summary.json'), JSON.stringify(summary, null, 2));
console.log(JSON.stringify(summary, null, 2));
