/**
 * Drawing the graph: the layout of the current expansion, the colour scale of the chosen measure, the legend,
 * restyling after a selection/find change, and the heat ramp recomputed when the theme changes.
 */
import { scaleSqrt } from 'd3-scale';
import { layoutGraph } from '../extension/core/graph/layout';
import type { GraphModel, Layout, Measure } from '../extension/core/graph/types';
import { fillRamp } from './colors';
import { $, measureEl, reducedMotion, renderer, svg } from './dom';
import { formatMeasure, MEASURE_LABEL, measureValue } from './format';
import { saveSoon } from './persist';
import { state, visibleId } from './state';
import { drawTableSelection } from './table';
import { controlValue, setControlValue } from './toolkit';

function themeColours(): { background: string; foreground: string } {
  const cs = getComputedStyle(document.documentElement);
  const bs = getComputedStyle(document.body);
  const v = (n: string) => cs.getPropertyValue(n).trim() || bs.getPropertyValue(n).trim();
  return { background: v('--vscode-editor-background') || bs.backgroundColor || '#1e1e1e', foreground: v('--vscode-foreground') || bs.color || '#cccccc' };
}

export function refreshRamp(): void {
  state.ramp = fillRamp(themeColours(), 32);
}

function drawState(animate: boolean) {
  const find = state.find;
  return {
    model: state.model as GraphModel,
    layout: state.layout as Layout,
    byId: state.byId,
    measure: state.measure,
    selected: state.selected,
    highlighted: visibleId(state.highlightReq),
    matches: new Set(find.matches),
    currentMatch: find.index >= 0 ? find.matches[find.index] ?? null : null,
    focusId: state.focusId,
    ramp: state.ramp,
    scale: (v: number) => state.scale(v),
    animate,
  };
}

export function draw(animate = false): void {
  const model = state.model;
  if (!model) return;
  const t0 = performance.now();
  const layout = layoutGraph(model, { expanded: state.expanded });
  state.layout = layout;
  state.laid = new Map(layout.nodes.map((n) => [n.id, n]));
  let domainMax = 0;
  for (const ln of layout.nodes) {
    if (ln.container || ln.kind === 'input' || ln.kind === 'output') continue;
    const n = state.byId.get(ln.id);
    const v = n ? measureValue(n, state.measure) : null;
    if (v !== null && v > domainMax) domainMax = v;
  }
  state.domainMax = domainMax;
  state.scale = scaleSqrt().domain([0, domainMax > 0 ? domainMax : 1]).range([0, 1]).clamp(true);
  if (!state.focusId || !state.laid.has(state.focusId)) state.focusId = visibleId(state.selected) ?? layout.nodes[0]?.id ?? null;
  const anim = animate && layout.nodes.length <= 300 && !reducedMotion();
  const t1 = performance.now();
  renderer.render(drawState(anim));
  drawLegend();
  const t2 = performance.now();
  // One forced style/layout so renderMs includes the browser's work, not only the DOM calls.
  svg.getBoundingClientRect();
  state.renderMs = performance.now() - t0;
  svg.setAttribute('data-render-ms', state.renderMs.toFixed(1));
  svg.setAttribute('data-timings', `layout ${(t1 - t0).toFixed(1)} dom ${(t2 - t1).toFixed(1)} style ${(performance.now() - t2).toFixed(1)}`);
}

/** Classes only (selection, highlight, find): no new layout. */
export function restyle(): void {
  if (!state.model || !state.layout) return;
  renderer.updateClasses(drawState(false));
  drawTableSelection();
}

/** The colours of the ramp at 0, ¼, ½, ¾ and 1 (the legend bar and the exported legend). */
export function legendStops(): string[] {
  const ramp = state.ramp;
  return [0, 0.25, 0.5, 0.75, 1].map((t) => ramp[Math.round(t * (ramp.length - 1))]);
}

export function drawLegend(): void {
  const el = $('#legend');
  const { measure, domainMax } = state;
  el.setAttribute('data-measure', measure);
  if (!state.model || state.model.empty) {
    el.textContent = '';
    return;
  }
  const stops = legendStops();
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
  // Diff mode (Compare with HEAD / a revision / a file): what the outlines mean. The base is text from the host: textContent.
  if (state.model.diff) {
    for (const [cls, word] of [['k-diff-added', 'added'], ['k-diff-changed', `changed vs ${state.model.diff.base}`]]) {
      const key = document.createElement('span');
      key.className = 'key';
      const swatch = document.createElement('span');
      swatch.className = cls;
      key.append(swatch, word);
      keys.appendChild(key);
    }
  }
  // Caption, then the bar with its ticks under it; the line keys beside (wrapping under in a narrow panel).
  const range = document.createElement('div');
  range.className = 'legend-range';
  range.append(bar, ticks);
  const scale = document.createElement('div');
  scale.className = 'legend-scale';
  scale.append(cap, range);
  el.append(scale, keys);
}

export function setMeasure(m: Measure): void {
  if (m === 'time' && !state.model?.measured) m = 'macs';
  state.measure = m;
  if (controlValue(measureEl) !== m) setControlValue(measureEl, m);
  draw(false);
  saveSoon();
}

/** Theme changes: VS Code swaps the body class and the --vscode-* variables; redraw when the ramp changed. */
export function watchTheme(): void {
  const themeObserver = new MutationObserver(() => {
    const before = state.ramp.join();
    refreshRamp();
    if (state.ramp.join() !== before) {
      draw(false);
    }
  });
  themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
}
