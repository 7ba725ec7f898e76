/**
 * The graph preview webview (issue 4): draws the GraphModel the extension host sends, with d3 for the
 * picture and the webview-ui-toolkit (webview/toolkit.ts) for the controls. Every message from the host
 * is validated (parseHostMessage); the view state (expansion, measure, selection, zoom, table) is kept
 * with vscode.setState and reported to the host as `viewState` so a reload restores it.
 */
import { select } from 'd3-selection';
import { zoom, zoomIdentity, zoomTransform, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';
import { scaleSqrt } from 'd3-scale';
import 'd3-transition';
import { expandAllIds, layoutGraph } from '../extension/core/graph/layout';
import {
  isMeasure,
  isViewState,
  parseHostMessage,
  type DomReport,
  type GraphModel,
  type GraphNode,
  type HostMessage,
  type LaidNode,
  type Layout,
  type Measure,
  type StageRow,
  type StaleInfo,
  type ViewState,
  type WebviewMessage,
} from '../extension/core/graph/types';
import { fillRamp } from './colors';
import { formatBytes, formatCount, formatMeasure, formatMs, formatShape, formatShare, MEASURE_LABEL, measureValue, sortStages, type StageColumn } from './format';
import { GRAPH_CSS } from './graphStyle';
import { GraphRenderer } from './render';
import { EXPORT_HEAD, serializeSvg, svgToPngBase64 } from './exportSvg';
import { controlValue, registerToolkit, setControlValue } from './toolkit';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const post = (m: WebviewMessage) => vscode.postMessage(m);

// ------------------------------------------------------------------------------------------- state

const saved = vscode.getState();
const initial: ViewState | null = isViewState(saved) ? saved : null;

let model: GraphModel | null = null;
let byId = new Map<string, GraphNode>();
let layout: Layout | null = null;
let laid = new Map<string, LaidNode>();
let expanded = new Set<string>(initial?.expanded ?? []);
let measure: Measure = initial?.measure ?? 'macs';
let selected: string | null = initial?.selected ?? null;
let highlightReq: string | null = null;
let showTable = initial?.showTable ?? false;
let stale: StaleInfo | null = null;
let renderMs = 0;
let focusId: string | null = null;
let pendingTransform: ZoomTransform | null = initial?.transform ? zoomIdentity.translate(initial.transform.x, initial.transform.y).scale(initial.transform.k) : null;
let hadModel = false;
const findState = { query: '', matches: [] as string[], index: -1 };
let sort: { col: StageColumn; desc: boolean } = { col: 'index', desc: false };
let scale = scaleSqrt().domain([0, 1]).range([0, 1]).clamp(true);
let domainMax = 0;
let ramp: string[] = [];
let lastReveal = { id: '', at: 0 };

// --------------------------------------------------------------------------------------------- DOM

registerToolkit();
const app = document.getElementById('app') ?? document.body;
app.innerHTML = `
<header id="header" aria-label="Network summary">
  <div class="title-row">
    <span class="codicon codicon-type-hierarchy" aria-hidden="true"></span>
    <span id="file-name" class="file-name">MixVarGENet graph</span>
    <span id="target" class="chip" hidden></span>
    <span id="counts" class="counts"></span>
    <span id="notes-toggle" class="notes" hidden></span>
  </div>
  <div id="totals" class="totals"></div>
  <div id="hat-results" class="hat-results" hidden></div>
</header>
<div id="toolbar" role="toolbar" aria-label="Graph tools">
  <label class="tb-label" for="measure">Colour by</label>
  <vscode-dropdown id="measure" aria-label="Colour nodes by">
    <vscode-option value="macs">MACs</vscode-option>
    <vscode-option value="params">Parameters</vscode-option>
    <vscode-option value="activation">Activation bytes</vscode-option>
    <vscode-option value="time">Measured time</vscode-option>
  </vscode-dropdown>
  <span class="tb-sep"></span>
  <vscode-button id="btn-expand" appearance="icon" aria-label="Expand all stages" title="Expand all stages"><span class="codicon codicon-expand-all"></span></vscode-button>
  <vscode-button id="btn-collapse" appearance="icon" aria-label="Collapse all" title="Collapse all"><span class="codicon codicon-collapse-all"></span></vscode-button>
  <span class="tb-sep"></span>
  <vscode-button id="btn-zoom-in" appearance="icon" aria-label="Zoom in" title="Zoom in"><span class="codicon codicon-zoom-in"></span></vscode-button>
  <vscode-button id="btn-zoom-out" appearance="icon" aria-label="Zoom out" title="Zoom out"><span class="codicon codicon-zoom-out"></span></vscode-button>
  <vscode-button id="btn-fit" appearance="icon" aria-label="Fit to view (0)" title="Fit to view (0)"><span class="codicon codicon-screen-full"></span></vscode-button>
  <vscode-button id="btn-reset" appearance="icon" aria-label="Reset zoom (100%)" title="Reset zoom (100%)"><span class="codicon codicon-discard"></span></vscode-button>
  <span class="tb-sep"></span>
  <vscode-text-field id="find" placeholder="Find node or op" aria-label="Find a node by name or op (Enter: next match)" size="18">
    <span slot="start" class="codicon codicon-search"></span>
  </vscode-text-field>
  <span id="find-count" class="find-count" aria-live="polite"></span>
  <span class="tb-grow"></span>
  <vscode-button id="btn-table" appearance="icon" aria-label="Show cost table" title="Show cost table" aria-pressed="false"><span class="codicon codicon-table"></span></vscode-button>
  <vscode-button id="btn-copy" appearance="icon" aria-label="Copy as SVG" title="Copy as SVG"><span class="codicon codicon-copy"></span></vscode-button>
  <vscode-button id="btn-svg" appearance="icon" aria-label="Export SVG" title="Export SVG…"><span class="codicon codicon-export"></span></vscode-button>
  <vscode-button id="btn-png" appearance="icon" aria-label="Export PNG" title="Export PNG…"><span class="codicon codicon-file-media"></span></vscode-button>
</div>
<div id="stale-banner" role="status" hidden><span class="codicon codicon-warning" aria-hidden="true"></span><span id="stale-text"></span></div>
<details id="notes" hidden><summary id="notes-summary"></summary><ul id="notes-list"></ul></details>
<main id="canvas">
  <svg id="graph" role="tree" aria-label="Network graph" tabindex="-1"></svg>
  <div id="legend" aria-label="Legend"></div>
  <div id="empty" hidden></div>
</main>
<section id="table-panel" hidden aria-label="Cost per stage">
  <table id="cost-table"><thead></thead><tbody></tbody></table>
</section>`;

const $ = <T extends Element = HTMLElement>(sel: string) => document.querySelector(sel) as T;
const svg = $<SVGSVGElement>('svg#graph');
const renderer = new GraphRenderer(svg, GRAPH_CSS);
const measureEl = $('#measure');
const findEl = $('#find');

const zoomer: ZoomBehavior<SVGSVGElement, unknown> = zoom<SVGSVGElement, unknown>()
  .scaleExtent([0.02, 4])
  .on('zoom', (ev: { transform: ZoomTransform }) => {
    renderer.viewport.setAttribute('transform', ev.transform.toString());
    saveSoon();
  });
select(svg).call(zoomer).on('dblclick.zoom', null);

// ---------------------------------------------------------------------------------------- helpers

const reducedMotion = () => typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

function themeColours(): { background: string; foreground: string } {
  const cs = getComputedStyle(document.documentElement);
  const bs = getComputedStyle(document.body);
  const v = (n: string) => cs.getPropertyValue(n).trim() || bs.getPropertyValue(n).trim();
  return { background: v('--vscode-editor-background') || bs.backgroundColor || '#1e1e1e', foreground: v('--vscode-foreground') || bs.color || '#cccccc' };
}

function refreshRamp(): void {
  ramp = fillRamp(themeColours(), 32);
}

function viewState(): ViewState {
  const t = zoomTransform(svg);
  // The config's URI travels in the state so the host's serializer can reopen this preview after a reload.
  const uri = document.body.dataset.uri;
  return { expanded: [...expanded].sort(), measure, selected, transform: { k: t.k, x: t.x, y: t.y }, showTable, ...(uri ? { uri } : {}) };
}

let saveTimer: ReturnType<typeof setTimeout> | undefined;
function saveSoon(): void {
  if (saveTimer) clearTimeout(saveTimer);
  saveTimer = setTimeout(() => {
    saveTimer = undefined;
    const s = viewState();
    vscode.setState(s);
    post({ type: 'viewState', state: s });
  }, 300);
}

/** The id drawn for a node: itself, or the collapsed stage it is inside. */
function visibleId(id: string | null): string | null {
  let cur = id;
  while (cur) {
    if (laid.has(cur)) return cur;
    cur = byId.get(cur)?.parent ?? null;
  }
  return null;
}

function drawState(animate: boolean) {
  return {
    model: model as GraphModel,
    layout: layout as Layout,
    byId,
    measure,
    selected,
    highlighted: visibleId(highlightReq),
    matches: new Set(findState.matches),
    currentMatch: findState.index >= 0 ? findState.matches[findState.index] ?? null : null,
    focusId,
    ramp,
    scale: (v: number) => scale(v),
    animate,
  };
}

// ------------------------------------------------------------------------------------------ render

function draw(animate = false): void {
  if (!model) return;
  const t0 = performance.now();
  layout = layoutGraph(model, { expanded });
  laid = new Map(layout.nodes.map((n) => [n.id, n]));
  domainMax = 0;
  for (const ln of layout.nodes) {
    if (ln.container || ln.kind === 'input' || ln.kind === 'output') continue;
    const n = byId.get(ln.id);
    const v = n ? measureValue(n, measure) : null;
    if (v !== null && v > domainMax) domainMax = v;
  }
  scale = scaleSqrt().domain([0, domainMax > 0 ? domainMax : 1]).range([0, 1]).clamp(true);
  if (!focusId || !laid.has(focusId)) focusId = visibleId(selected) ?? layout.nodes[0]?.id ?? null;
  const anim = animate && layout.nodes.length <= 300 && !reducedMotion();
  const t1 = performance.now();
  renderer.render(drawState(anim));
  drawLegend();
  const t2 = performance.now();
  // One forced style/layout so renderMs includes the browser's work, not only the DOM calls.
  svg.getBoundingClientRect();
  renderMs = performance.now() - t0;
  svg.setAttribute('data-render-ms', renderMs.toFixed(1));
  svg.setAttribute('data-timings', `layout ${(t1 - t0).toFixed(1)} dom ${(t2 - t1).toFixed(1)} style ${(performance.now() - t2).toFixed(1)}`);
}

function restyle(): void {
  if (!model || !layout) return;
  renderer.updateClasses(drawState(false));
  drawTableSelection();
}

function drawLegend(): void {
  const el = $('#legend');
  el.setAttribute('data-measure', measure);
  if (!model || model.empty) {
    el.textContent = '';
    return;
  }
  const stops = [0, 0.25, 0.5, 0.75, 1].map((t) => ramp[Math.round(t * (ramp.length - 1))]);
  const mid = domainMax / 4; // sqrt scale: the middle of the bar is a quarter of the maximum
  el.innerHTML = '';
  const cap = document.createElement('div');
  cap.className = 'legend-caption';
  cap.textContent = `${MEASURE_LABEL[measure]} per node`;
  const bar = document.createElement('div');
  bar.className = 'legend-bar';
  bar.style.background = `linear-gradient(to right, ${stops.join(', ')})`;
  const ticks = document.createElement('div');
  ticks.className = 'legend-ticks';
  for (const v of [0, mid, domainMax]) {
    const s = document.createElement('span');
    s.textContent = domainMax > 0 ? formatMeasure(v, measure) : '—';
    ticks.appendChild(s);
  }
  const keys = document.createElement('div');
  keys.className = 'legend-keys';
  keys.innerHTML =
    '<span class="key"><svg width="22" height="8" aria-hidden="true"><line x1="0" y1="4" x2="22" y2="4" class="k-flow"/></svg>flow</span>' +
    '<span class="key"><svg width="22" height="8" aria-hidden="true"><line x1="0" y1="4" x2="22" y2="4" class="k-fusion"/></svg>fusion</span>' +
    '<span class="key"><svg width="22" height="8" aria-hidden="true"><line x1="0" y1="4" x2="22" y2="4" class="k-emit"/></svg>downsample</span>' +
    '<span class="key"><span class="k-unknown"></span>unknown</span>' +
    '<span class="key"><span class="k-problem"></span>cannot build</span>';
  el.append(cap, bar, ticks, keys);
}

let headerKey = '';
function drawHeader(): void {
  if (!model) return;
  const m = model;
  // Live edits resend the model on every keystroke: leave the header alone when nothing in it changed.
  const key = JSON.stringify([m.fileName, m.uri, m.totals, m.counts, m.notes, m.measured, m.empty, m.results]);
  if (key === headerKey) return;
  headerKey = key;
  $('#file-name').textContent = m.fileName;
  $('#file-name').title = m.uri;
  const target = $('#target');
  target.hidden = !m.totals.target;
  target.textContent = m.totals.target;
  const counts = $('#counts');
  counts.innerHTML = '';
  const addCount = (n: number, icon: string, word: string) => {
    const s = document.createElement('span');
    s.className = `count count-${icon}${n ? '' : ' zero'}`;
    s.title = `${n} ${word}${n === 1 ? '' : 's'} in this file`;
    s.innerHTML = `<span class="codicon codicon-${icon}" aria-hidden="true"></span>`;
    s.append(` ${n} ${word}${n === 1 ? '' : 's'}`);
    counts.appendChild(s);
  };
  addCount(m.counts.error, 'error', 'error');
  addCount(m.counts.warning, 'warning', 'warning');
  const t = m.totals;
  const parts: [string, string][] = [];
  const approx = t.exact ? '' : '≥ ';
  parts.push(['params', t.params !== null ? formatCount(t.params) : `${approx}${formatCount(t.knownParams)}`]);
  parts.push(['MACs', t.macs !== null ? formatCount(t.macs) : `${approx}${formatCount(t.knownMacs)}`]);
  parts.push(['activation', formatBytes(t.activationBytes)]);
  parts.push(['stages', String(t.stages)]);
  parts.push(['blocks', String(t.blocks)]);
  parts.push(['convs', String(t.convs)]);
  // Keys first for these (read as "input 1×3×224×224", "measured 0.56 ms").
  parts.push(['input', `${formatShape(t.input)}${t.inputSource ? ` (${t.inputSource.replace(/_/g, ' ')})` : ''}`]);
  if (m.measured) parts.push(['measured', formatMs(m.measured.totalMs)]);
  else if (t.timeMs !== null) parts.push(['time', formatMs(t.timeMs)]);
  const keyFirst = new Set(['input', 'measured', 'time']);
  const totals = $('#totals');
  totals.innerHTML = '';
  parts.forEach(([k, v], i) => {
    if (i) totals.append(' · ');
    const s = document.createElement('span');
    s.className = 'total';
    const b = document.createElement('b');
    b.textContent = v;
    if (keyFirst.has(k)) s.append(`${k} `, b);
    else s.append(b, ` ${k}`);
    if (k === 'measured' && m.measured) s.title = m.measured.description;
    totals.appendChild(s);
  });
  if (!t.exact) totals.title = 'Some values are unknown: the totals count what could be built.';
  // The latest HAT results of this config (calibration/predict accuracy, compile_perf FPS), when any were recorded.
  const results = $('#hat-results');
  results.hidden = !m.results;
  results.textContent = m.results ? `HAT: ${m.results.summary}` : '';
  results.title = m.results?.detail ?? '';
  // Notes
  const notes = $<HTMLDetailsElement>('#notes');
  notes.hidden = m.notes.length === 0;
  $('#notes-summary').textContent = `${m.notes.length} note${m.notes.length === 1 ? '' : 's'} on this picture`;
  const list = $('#notes-list');
  list.innerHTML = '';
  for (const n of m.notes) {
    const li = document.createElement('li');
    li.textContent = n;
    list.appendChild(li);
  }
  // Measure options: time only when measured.
  const timeOpt = measureEl.querySelector('vscode-option[value="time"]') as (HTMLElement & { disabled: boolean }) | null;
  if (timeOpt) {
    timeOpt.disabled = !m.measured;
    timeOpt.title = m.measured ? m.measured.description : 'Run "MixVarGENet: Measure Latency" to colour by measured time';
  }
  const empty = $('#empty');
  empty.hidden = !m.empty;
  empty.textContent = m.empty ? `No MixVarGENetConfig found in ${m.fileName}: nothing to draw.` : '';
}

const COLUMNS: { col: StageColumn; label: string; num?: boolean; title?: string }[] = [
  { col: 'index', label: '#', num: true },
  { col: 'label', label: 'Stage' },
  { col: 'ops', label: 'Ops' },
  { col: 'blocks', label: 'Blocks', num: true },
  { col: 'params', label: 'Params', num: true },
  { col: 'macs', label: 'MACs', num: true },
  { col: 'share', label: 'Share', num: true, title: 'Share of the network’s MACs' },
  { col: 'outShape', label: 'Output', num: true },
  { col: 'outStride', label: 'Stride', num: true },
  { col: 'timeMs', label: 'Time', num: true },
];

let tableKey = '';
function drawTable(): void {
  const key = JSON.stringify([showTable, sort, model?.stages, !!model?.measured]);
  if (key === tableKey) return;
  tableKey = key;
  const panel = $('#table-panel');
  panel.hidden = !showTable;
  const btn = $('#btn-table');
  btn.setAttribute('aria-pressed', String(showTable));
  btn.classList.toggle('pressed', showTable);
  if (!model) return;
  const cols = COLUMNS.filter((c) => c.col !== 'timeMs' || model?.measured || model?.stages.some((s) => s.timeMs !== null));
  const thead = $('#cost-table thead');
  thead.innerHTML = '';
  const hr = document.createElement('tr');
  for (const c of cols) {
    const th = document.createElement('th');
    th.dataset.col = c.col;
    th.tabIndex = 0;
    th.className = c.num ? 'num' : '';
    th.title = c.title ?? `Sort by ${c.label}`;
    const sorted = sort.col === c.col;
    th.setAttribute('aria-sort', sorted ? (sort.desc ? 'descending' : 'ascending') : 'none');
    th.textContent = c.label;
    if (sorted) {
      const i = document.createElement('span');
      i.className = `codicon codicon-arrow-${sort.desc ? 'down' : 'up'} sort-icon`;
      th.appendChild(i);
    }
    hr.appendChild(th);
  }
  thead.appendChild(hr);
  const tbody = $('#cost-table tbody');
  tbody.innerHTML = '';
  const rows = sortStages(model.stages, sort.col, sort.desc);
  const maxShare = Math.max(0.0001, ...model.stages.map((s) => s.share ?? 0));
  for (const r of rows) {
    const tr = document.createElement('tr');
    tr.className = 'stage-row';
    tr.dataset.id = r.id;
    tr.tabIndex = 0;
    for (const c of cols) {
      const td = document.createElement('td');
      if (c.num) td.className = 'num';
      td.textContent = cellText(r, c.col);
      if (c.col === 'share' && r.share !== null) {
        const bar = document.createElement('span');
        bar.className = 'share-bar';
        bar.style.width = `${Math.round((r.share / maxShare) * 48)}px`;
        td.prepend(bar);
      }
      if (c.col === 'ops') td.title = r.ops;
      tr.appendChild(td);
    }
    tbody.appendChild(tr);
  }
  drawTableSelection();
}

function cellText(r: StageRow, c: StageColumn): string {
  switch (c) {
    case 'index':
      return String(r.index);
    case 'label':
      return r.label;
    case 'ops':
      return r.ops;
    case 'blocks':
      return String(r.blocks);
    case 'params':
      return formatCount(r.params);
    case 'macs':
      return formatCount(r.macs);
    case 'share':
      return formatShare(r.share);
    case 'outShape':
      return formatShape(r.outShape);
    case 'outStride':
      return r.outStride !== null ? `/${r.outStride}` : '?';
    case 'timeMs':
      return r.timeMs !== null ? formatMs(r.timeMs) : '—';
  }
}

function drawTableSelection(): void {
  const stageOf = selected ? (byId.get(selected)?.kind === 'stage' ? selected : byId.get(selected)?.parent ?? null) : null;
  for (const tr of document.querySelectorAll<HTMLTableRowElement>('#cost-table tr.stage-row')) {
    const on = tr.dataset.id === stageOf;
    tr.classList.toggle('selected', on);
    tr.setAttribute('aria-selected', String(on));
  }
}

function drawStale(): void {
  const b = $('#stale-banner');
  b.hidden = !stale;
  $('#stale-text').textContent = stale ? `Stale: syntax error at line ${stale.line} — showing the last good picture${stale.message ? ` (${stale.message})` : ''}` : '';
  document.body.classList.toggle('is-stale', !!stale);
}

// ------------------------------------------------------------------------------------------- zoom

function size(): { w: number; h: number } {
  const r = svg.getBoundingClientRect();
  return { w: r.width || 800, h: r.height || 600 };
}

function setTransform(t: ZoomTransform, animate: boolean): void {
  const s = select(svg);
  if (animate && !reducedMotion()) s.transition().duration(250).call(zoomer.transform, t);
  else s.call(zoomer.transform, t);
}

function fitTransform(): ZoomTransform {
  const { w, h } = size();
  const lw = layout?.width ?? 1;
  const lh = layout?.height ?? 1;
  const k = Math.max(0.02, Math.min(1.5, Math.min(w / lw, h / lh) * 0.96));
  return zoomIdentity.translate((w - lw * k) / 2, Math.max(0, (h - lh * k) / 2)).scale(k);
}

/** First view of a model: fit when it stays readable, else 100% (or the width) from the top. */
function initialTransform(): ZoomTransform {
  const { w, h } = size();
  const lw = layout?.width ?? 1;
  const lh = layout?.height ?? 1;
  const kFit = Math.min(w / lw, h / lh);
  if (kFit >= 0.6) return fitTransform();
  const k = Math.max(0.3, Math.min(1, (w / lw) * 0.96));
  return zoomIdentity.translate(Math.max(0, (w - lw * k) / 2), 0).scale(k);
}

function fit(): void {
  setTransform(fitTransform(), true);
}

function resetZoom(): void {
  const { w } = size();
  const lw = layout?.width ?? 1;
  setTransform(zoomIdentity.translate(Math.max(0, (w - lw) / 2), 0), true);
}

/** Pans (never zooms) so the node is in view; no-op when it already is. */
function panTo(id: string, animate = true): void {
  const ln = laid.get(id);
  if (!ln) return;
  const t = zoomTransform(svg);
  const { w, h } = size();
  const x0 = t.applyX(ln.x);
  const y0 = t.applyY(ln.y);
  const x1 = t.applyX(ln.x + ln.w);
  const y1 = t.applyY(ln.y + Math.min(ln.h, 120));
  const m = 16;
  if (x0 >= m && y0 >= m && x1 <= w - m && y1 <= h - m) return;
  const cx = ln.x + ln.w / 2;
  const cy = ln.y + Math.min(ln.h, h / t.k) / 2;
  setTransform(zoomIdentity.translate(w / 2 - cx * t.k, h / 2 - cy * t.k).scale(t.k), animate);
}

function zoomBy(f: number): void {
  select(svg).transition().duration(reducedMotion() ? 0 : 180).call(zoomer.scaleBy, f);
}

// ------------------------------------------------------------------------------------------ actions

function selectNode(id: string, reveal: boolean): void {
  if (!byId.has(id)) return;
  selected = id;
  focusId = visibleId(id) ?? focusId;
  restyle();
  saveSoon();
  if (reveal) {
    const now = performance.now();
    // A double click is two clicks: reveal once.
    if (lastReveal.id !== id || now - lastReveal.at > 500) post({ type: 'reveal', nodeId: id });
    lastReveal = { id, at: now };
  }
}

function toggle(id: string, open?: boolean): void {
  const ln = laid.get(id);
  if (!ln || !ln.expandable) return;
  const want = open ?? !ln.expanded;
  if (want === ln.expanded) return;
  if (want) expanded.add(id);
  else {
    expanded.delete(id);
    // A selection inside what collapses moves to the node that hides it.
    if (selected && isInside(selected, id)) selected = id;
    if (focusId && isInside(focusId, id)) focusId = id;
  }
  draw(true);
  saveSoon();
}

function isInside(id: string, ancestor: string): boolean {
  let cur = byId.get(id)?.parent ?? null;
  while (cur) {
    if (cur === ancestor) return true;
    cur = byId.get(cur)?.parent ?? null;
  }
  return false;
}

function expandAll(): void {
  if (!model) return;
  expanded = new Set([...expanded, ...expandAllIds(model, 'stages')]);
  draw(true);
  saveSoon();
}

function collapseAll(): void {
  expanded = new Set();
  if (selected && byId.get(selected)?.parent) selected = visibleIdAfterCollapse(selected);
  draw(true);
  saveSoon();
}

function visibleIdAfterCollapse(id: string): string {
  let cur = id;
  while (byId.get(cur)?.parent) cur = byId.get(cur)?.parent as string;
  return cur;
}

function setMeasure(m: Measure): void {
  if (m === 'time' && !model?.measured) m = 'macs';
  measure = m;
  if (controlValue(measureEl) !== m) setControlValue(measureEl, m);
  draw(false);
  saveSoon();
}

function setShowTable(on: boolean): void {
  showTable = on;
  drawTable();
  saveSoon();
}

function setQuery(q: string): void {
  findState.query = q;
  const s = q.trim().toLowerCase();
  findState.matches = s && model ? model.nodes.filter((n) => (n.search || `${n.id} ${n.label} ${n.op ?? ''} ${n.sub}`.toLowerCase()).includes(s)).map((n) => n.id) : [];
  findState.index = -1;
  showFindCount();
  restyle();
}

function nextMatch(delta: number): void {
  const n = findState.matches.length;
  if (!n) {
    showFindCount();
    return;
  }
  findState.index = findState.index < 0 ? (delta > 0 ? 0 : n - 1) : (findState.index + delta + n) % n;
  const id = findState.matches[findState.index];
  // A match inside a collapsed stage: open the stage to show it.
  let opened = false;
  let p = byId.get(id)?.parent ?? null;
  while (p) {
    if (!expanded.has(p)) {
      expanded.add(p);
      opened = true;
    }
    p = byId.get(p)?.parent ?? null;
  }
  if (opened) {
    draw(false);
    saveSoon();
  } else restyle();
  showFindCount();
  panTo(id);
}

function showFindCount(): void {
  const el = $('#find-count');
  const n = findState.matches.length;
  el.textContent = findState.query.trim() ? (n ? `${findState.index >= 0 ? findState.index + 1 : '–'}/${n}` : 'No results') : '';
  el.classList.toggle('none', !!findState.query.trim() && n === 0);
}

function focusFind(): void {
  const f = findEl as HTMLElement & { control?: HTMLInputElement };
  f.focus();
  const inner = f.shadowRoot?.querySelector('input');
  inner?.focus();
  inner?.select();
}

function exportInput() {
  const m = model as GraphModel;
  const t = m.totals;
  const sub = [
    `${t.params !== null ? formatCount(t.params) : '?'} params`,
    `${t.macs !== null ? formatCount(t.macs) : '?'} MACs`,
    `${t.stages} stages · ${t.blocks} blocks`,
    `input ${formatShape(t.input)}`,
    t.target,
  ]
    .filter(Boolean)
    .join(' · ');
  return {
    svg,
    css: GRAPH_CSS,
    model: m,
    layout: layout as Layout,
    measure,
    title: m.fileName,
    subtitle: sub,
    legend: domainMax > 0 ? { caption: `${MEASURE_LABEL[measure]} per node (√ scale)`, colours: [0, 0.25, 0.5, 0.75, 1].map((x) => ramp[Math.round(x * (ramp.length - 1))]), min: formatMeasure(0, measure), max: formatMeasure(domainMax, measure) } : null,
  };
}

function currentSvg(): string | null {
  if (!model || !layout) return null;
  renderer.finishTransitions();
  return serializeSvg(exportInput());
}

function exportSvg(): void {
  const s = currentSvg();
  if (s) post({ type: 'export', format: 'svg', data: s });
}

function copySvg(): void {
  const s = currentSvg();
  if (s) post({ type: 'copy', svg: s });
}

async function exportPng(): Promise<void> {
  const s = currentSvg();
  if (!s || !layout) return;
  try {
    const data = await svgToPngBase64(s, Math.ceil(layout.width), Math.ceil(layout.height) + EXPORT_HEAD);
    post({ type: 'export', format: 'png', data });
  } catch (e) {
    post({ type: 'error', message: `PNG export failed: ${e instanceof Error ? e.message : String(e)}` });
  }
}

// --------------------------------------------------------------------------------------- messages

function onModel(m: GraphModel, st: StaleInfo | null): void {
  model = m;
  byId = new Map(m.nodes.map((n) => [n.id, n]));
  // Drop state that names nodes no longer there.
  expanded = new Set([...expanded].filter((id) => byId.has(id)));
  if (selected && !byId.has(selected)) selected = null;
  if (highlightReq && !byId.has(highlightReq)) highlightReq = null;
  if (measure === 'time' && !m.measured) measure = 'macs';
  setControlValue(measureEl, measure);
  stale = st;
  if (findState.query) {
    const idx = findState.index >= 0 ? findState.matches[findState.index] : null;
    setQuery(findState.query);
    if (idx) findState.index = findState.matches.indexOf(idx);
  }
  drawHeader();
  drawStale();
  draw(hadModel);
  drawTable();
  if (!hadModel) {
    hadModel = true;
    setTransform(pendingTransform ?? initialTransform(), false);
    pendingTransform = null;
  }
  saveSoon();
}

function onHost(msg: HostMessage): void {
  switch (msg.type) {
    case 'model':
      onModel(msg.model, msg.stale);
      break;
    case 'stale':
      stale = msg.stale;
      drawStale();
      break;
    case 'highlight':
      highlightReq = msg.nodeId && byId.has(msg.nodeId) ? msg.nodeId : null;
      restyle();
      if (msg.reveal && highlightReq) {
        const v = visibleId(highlightReq);
        if (v) panTo(v);
      }
      break;
    case 'command':
      runCommand(msg.command);
      break;
    case 'probe':
      void probe(msg);
      break;
  }
}

function runCommand(c: Extract<HostMessage, { type: 'command' }>['command']): void {
  switch (c) {
    case 'fit':
      return fit();
    case 'reset':
      return resetZoom();
    case 'expandAll':
      return expandAll();
    case 'collapseAll':
      return collapseAll();
    case 'find':
      return focusFind();
    case 'exportSvg':
      return exportSvg();
    case 'exportPng':
      return void exportPng();
    case 'copySvg':
      return copySvg();
  }
}

async function probe(msg: Extract<HostMessage, { type: 'probe' }>): Promise<void> {
  const a = msg.action;
  if (a) {
    const fire = (id: string | undefined, type: 'click' | 'dblclick') => {
      if (typeof id !== 'string') return;
      const g = renderer.nodeElement(id);
      const target = g?.querySelector('rect.box') ?? g;
      target?.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, view: window, detail: type === 'dblclick' ? 2 : 1 }));
    };
    fire(a.click, 'click');
    fire(a.dblclick, 'dblclick');
    if (isMeasure(a.measure)) setMeasure(a.measure);
    if (typeof a.find === 'string') {
      setControlValue(findEl, a.find);
      setQuery(a.find);
      nextMatch(1);
    }
  }
  post({ type: 'probeResult', id: msg.id, report: report() });
}

function report(): DomReport {
  const q = (s: string) => svg.querySelectorAll(s);
  const ids = (s: string) => [...q(s)].map((e) => e.getAttribute('data-id') ?? '');
  const titles: Record<string, string> = {};
  for (const g of q('g.node')) {
    const t = g.querySelector(':scope > title');
    titles[g.getAttribute('data-id') ?? ''] = t?.textContent ?? '';
  }
  const banner = $('#stale-banner');
  const t = zoomTransform(svg);
  const norm = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
  return {
    stageNodes: q('g.node.kind-stage').length,
    blockNodes: q('g.node.kind-block').length,
    nodes: q('g.node').length,
    edges: q('g.edge').length,
    fusionEdges: q('g.edge.kind-fusion').length,
    edgeLabels: [...q('text.edge-label')].map((e) => e.textContent ?? '').filter((s) => s !== ''),
    selected: ids('g.node.selected')[0] ?? null,
    highlighted: ids('g.node.highlighted')[0] ?? null,
    staleBanner: banner.hidden ? null : norm(banner.textContent),
    measure: isMeasure($('#legend').getAttribute('data-measure')) ? ($('#legend').getAttribute('data-measure') as Measure) : measure,
    legend: norm($('#legend').textContent),
    header: norm($('#header').textContent),
    expanded: ids('g.node.expanded'),
    transform: { k: t.k, x: t.x, y: t.y },
    tableRows: document.querySelectorAll('#cost-table tr.stage-row').length,
    renderMs,
    nodeTitles: titles,
    matches: ids('g.node.match'),
  };
}

window.addEventListener('message', (ev: MessageEvent) => {
  const msg = parseHostMessage(ev.data);
  if (!msg) {
    const type = typeof ev.data === 'object' && ev.data && 'type' in ev.data ? String((ev.data as { type: unknown }).type).slice(0, 40) : typeof ev.data;
    post({ type: 'error', message: `invalid message from the host (${type})` });
    return;
  }
  try {
    onHost(msg);
  } catch (e) {
    post({ type: 'error', message: `webview: ${e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e)}` });
  }
});

// ------------------------------------------------------------------------------------------ events

const nodeOf = (t: EventTarget | null): SVGGElement | null => (t instanceof Element ? (t.closest('g.node') as SVGGElement | null) : null);

svg.addEventListener('click', (ev) => {
  const g = nodeOf(ev.target);
  if (!g) return;
  const id = g.getAttribute('data-id') ?? '';
  if ((ev.target as Element).closest('[data-action="toggle"]')) {
    toggle(id);
    return;
  }
  selectNode(id, true);
});

svg.addEventListener('dblclick', (ev) => {
  const g = nodeOf(ev.target);
  if (!g || (ev.target as Element).closest('[data-action="toggle"]')) return;
  ev.preventDefault();
  toggle(g.getAttribute('data-id') ?? '');
});

svg.addEventListener('focusin', (ev) => {
  const g = nodeOf(ev.target);
  if (!g) return;
  const id = g.getAttribute('data-id');
  if (id && id !== focusId) {
    focusId = id;
    for (const e of svg.querySelectorAll('g.node[tabindex="0"]')) if (e !== g) e.setAttribute('tabindex', '-1');
    g.setAttribute('tabindex', '0');
  }
});

svg.addEventListener('keydown', (ev) => {
  const g = nodeOf(ev.target);
  if (!g) {
    if (ev.target === svg && (ev.key === 'Enter' || ev.key === ' ' || ev.key.startsWith('Arrow')) && focusId) {
      ev.preventDefault();
      focusNode(focusId);
    }
    return;
  }
  const id = g.getAttribute('data-id') ?? '';
  switch (ev.key) {
    case 'Enter':
      ev.preventDefault();
      selectNode(id, true);
      return;
    case ' ':
    case 'Spacebar':
      ev.preventDefault();
      toggle(id);
      focusNode(id);
      return;
    case '+':
    case '=':
      ev.preventDefault();
      toggle(id, true);
      focusNode(id);
      return;
    case '-':
    case '_':
      ev.preventDefault();
      toggle(id, false);
      focusNode(id);
      return;
    case 'ArrowUp':
    case 'ArrowDown':
    case 'ArrowLeft':
    case 'ArrowRight': {
      ev.preventDefault();
      const next = neighbour(id, ev.key);
      if (next) focusNode(next);
      return;
    }
    case 'Home':
    case 'End': {
      ev.preventDefault();
      const list = layout?.nodes ?? [];
      const n = ev.key === 'Home' ? list[0] : list[list.length - 1];
      if (n) focusNode(n.id);
      return;
    }
  }
});

function focusNode(id: string): void {
  focusId = id;
  const g = renderer.nodeElement(id);
  if (!g) return;
  for (const e of svg.querySelectorAll('g.node[tabindex="0"]')) if (e !== g) e.setAttribute('tabindex', '-1');
  g.setAttribute('tabindex', '0');
  g.focus({ preventScroll: true });
  panTo(id);
}

/** The nearest node in an arrow's direction (spatial navigation over the laid-out boxes). */
function neighbour(id: string, key: string): string | null {
  const a = laid.get(id);
  if (!a || !layout) return null;
  const ax = a.x + a.w / 2;
  const ay = a.y + (a.container ? 17 : a.h / 2);
  let best: string | null = null;
  let bestScore = Infinity;
  for (const b of layout.nodes) {
    if (b.id === a.id) continue;
    const bx = b.x + b.w / 2;
    const by = b.y + (b.container ? 17 : b.h / 2);
    const dx = bx - ax;
    const dy = by - ay;
    let along: number;
    let across: number;
    if (key === 'ArrowDown') [along, across] = [dy, dx];
    else if (key === 'ArrowUp') [along, across] = [-dy, dx];
    else if (key === 'ArrowRight') [along, across] = [dx, dy];
    else [along, across] = [-dx, dy];
    if (along <= 1) continue;
    const score = along + 2.5 * Math.abs(across);
    if (score < bestScore) {
      bestScore = score;
      best = b.id;
    }
  }
  return best;
}

document.addEventListener('keydown', (ev) => {
  const inField = ev.composedPath().some((e) => e instanceof HTMLElement && (e.tagName === 'INPUT' || e.tagName === 'VSCODE-TEXT-FIELD' || e.tagName === 'TEXTAREA'));
  if ((ev.key === 'f' || ev.key === 'F') && (ev.ctrlKey || ev.metaKey) && !ev.altKey) {
    ev.preventDefault();
    focusFind();
    return;
  }
  if (inField) return;
  if (ev.key === '/' && !ev.ctrlKey && !ev.metaKey) {
    ev.preventDefault();
    focusFind();
  } else if (ev.key === '0' && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
    ev.preventDefault();
    fit();
  }
});

findEl.addEventListener('input', () => setQuery(controlValue(findEl)));
findEl.addEventListener('keydown', (ev) => {
  const k = (ev as KeyboardEvent).key;
  if (k === 'Enter') {
    ev.preventDefault();
    if (controlValue(findEl) !== findState.query) setQuery(controlValue(findEl));
    nextMatch((ev as KeyboardEvent).shiftKey ? -1 : 1);
  } else if (k === 'Escape') {
    setControlValue(findEl, '');
    setQuery('');
    svg.focus();
  }
});
measureEl.addEventListener('change', () => {
  const v = controlValue(measureEl);
  if (isMeasure(v) && v !== measure) setMeasure(v);
});

const onClick = (id: string, f: () => void) => $(id).addEventListener('click', f);
onClick('#btn-expand', expandAll);
onClick('#btn-collapse', collapseAll);
onClick('#btn-zoom-in', () => zoomBy(1.25));
onClick('#btn-zoom-out', () => zoomBy(0.8));
onClick('#btn-fit', fit);
onClick('#btn-reset', resetZoom);
onClick('#btn-table', () => setShowTable(!showTable));
onClick('#btn-copy', copySvg);
onClick('#btn-svg', exportSvg);
onClick('#btn-png', () => void exportPng());

const tableEl = $('#cost-table');
tableEl.addEventListener('click', (ev) => {
  const t = ev.target as Element;
  const th = t.closest('th');
  if (th?.dataset.col) {
    const col = th.dataset.col as StageColumn;
    sort = { col, desc: sort.col === col ? !sort.desc : col !== 'index' && col !== 'label' && col !== 'ops' };
    drawTable();
    return;
  }
  const tr = t.closest('tr.stage-row') as HTMLTableRowElement | null;
  if (tr?.dataset.id) selectStageRow(tr.dataset.id);
});
tableEl.addEventListener('keydown', (ev) => {
  const t = ev.target as HTMLElement;
  if (ev.key !== 'Enter' && ev.key !== ' ') return;
  if (t.tagName === 'TH' || t.tagName === 'TR') {
    ev.preventDefault();
    t.click();
  }
});

function selectStageRow(id: string): void {
  selectNode(id, true);
  const v = visibleId(id);
  if (v) panTo(v);
}

// Theme changes: VS Code swaps the body class and the --vscode-* variables.
const themeObserver = new MutationObserver(() => {
  const before = ramp.join();
  refreshRamp();
  if (ramp.join() !== before) {
    draw(false);
  }
});
themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });

window.addEventListener('resize', () => {
  if (!hadModel) return;
  // Keep the picture where it is; nothing to redo (the SVG fills the panel).
});

refreshRamp();
setControlValue(measureEl, measure);
drawTable();
drawStale();
drawLegend();
post({ type: 'ready', state: initial });
