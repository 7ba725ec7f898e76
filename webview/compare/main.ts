/**
 * The compare view's page (dist/compare.js): a sortable table of configs (only the columns that differ, or all) and
 * a d3 scatter of any two columns with the Pareto frontier. Brushing the scatter selects rows; hovering a row or a
 * point highlights its twin; a click on a point or a file name opens the config. Rows come from the extension in the
 * typed, validated messages of extension/core/compare/view.ts; every file-derived string is set as text, never HTML.
 */
import * as d3 from 'd3';
import { controlValue, registerToolkit, setControlValue } from '../toolkit';
import { cellText, COLUMN_BY_KEY, COLUMNS, defaultAxes, differingColumns, isColumnKey, type Column, type ColumnKey } from '../../extension/core/compare/columns';
import { paretoFrontier } from '../../extension/core/compare/pareto';
import { parseCompareHostMessage, type CompareWebviewMessage, type ViewRow } from '../../extension/core/compare/view';

declare function acquireVsCodeApi(): { postMessage(m: unknown): void; getState(): unknown; setState(s: unknown): void };
const vscode = acquireVsCodeApi();
const post = (m: CompareWebviewMessage) => vscode.postMessage(m);

interface UiState {
  /** The axes the user chose (null: the default for the rows, which follows them as results arrive). */
  axes: { x: ColumnKey; y: ColumnKey } | null;
  showAll: boolean;
  logScale: boolean;
  sort: { key: ColumnKey | 'file'; dir: 1 | -1 };
}

const saved = vscode.getState() as Partial<UiState> | undefined;
const ui: UiState = {
  axes: saved?.axes && isColumnKey(saved.axes.x) && isColumnKey(saved.axes.y) ? saved.axes : null,
  showAll: saved?.showAll === true,
  logScale: saved?.logScale === true,
  sort: saved?.sort && (saved.sort.key === 'file' || isColumnKey(saved.sort.key)) && (saved.sort.dir === 1 || saved.sort.dir === -1) ? saved.sort : { key: 'file', dir: 1 },
};
let rows: ViewRow[] = [];
const selected = new Set<string>();
let frontier = new Set<string>();
let points = 0;

const $ = (id: string) => document.getElementById(id);

function persist(): void {
  vscode.setState(ui);
}

// ------------------------------------------------------------------------------------------- controls

function setPressed(id: string, on: boolean): void {
  $(id)?.setAttribute('aria-pressed', String(on));
}

function initControls(): void {
  registerToolkit();
  for (const id of ['x-axis', 'y-axis']) {
    const dd = $(id);
    if (!dd) continue;
    for (const c of COLUMNS) {
      const o = document.createElement('vscode-option');
      o.setAttribute('value', c.key);
      o.textContent = c.label;
      dd.appendChild(o);
    }
    dd.addEventListener('change', () => {
      const v = controlValue(dd);
      const cur = axesNow();
      if (!isColumnKey(v) || v === (id === 'x-axis' ? cur.x : cur.y)) return;
      ui.axes = id === 'x-axis' ? { ...cur, x: v } : { ...cur, y: v };
      persist();
      render();
    });
  }
  $('show-all')?.addEventListener('click', () => {
    ui.showAll = !ui.showAll;
    persist();
    render();
  });
  $('log-scale')?.addEventListener('click', () => {
    ui.logScale = !ui.logScale;
    persist();
    render();
  });
  $('export-csv')?.addEventListener('click', () => post({ type: 'exportCsv', columns: COLUMNS.map((c) => c.key) }));
  $('export-svg')?.addEventListener('click', () => {
    const svg = exportableSvg();
    if (svg) post({ type: 'exportSvg', svg });
  });
}

// ------------------------------------------------------------------------------------------- highlight

function hover(file: string | null): void {
  d3.selectAll<HTMLTableRowElement, ViewRow>('#table tbody tr').classed('hover', (d) => d.row.file === file);
  d3.selectAll<SVGCircleElement, ViewRow>('#plot circle.point').classed('hover', (d) => d.row.file === file);
}

function showSelection(): void {
  d3.selectAll<HTMLTableRowElement, ViewRow>('#table tbody tr')
    .classed('selected', (d) => selected.has(d.row.file))
    .attr('aria-selected', (d) => String(selected.has(d.row.file)));
  d3.selectAll<SVGCircleElement, ViewRow>('#plot circle.point').classed('selected', (d) => selected.has(d.row.file));
}

// ------------------------------------------------------------------------------------------- scatter

function axesNow(): { x: ColumnKey; y: ColumnKey } {
  return ui.axes ?? defaultAxes(rows.map((r) => r.row));
}

function drawPlot(): void {
  const plot = d3.select('#plot');
  plot.selectAll('*').remove();
  const axes = axesNow();
  const xc = COLUMN_BY_KEY.get(axes.x)!;
  const yc = COLUMN_BY_KEY.get(axes.y)!;
  setControlValue($('x-axis'), xc.key);
  setControlValue($('y-axis'), yc.key);
  setPressed('log-scale', ui.logScale);
  const ok = (v: number | null): v is number => v !== null && (!ui.logScale || v > 0);
  const drawn = rows.filter((r) => ok(xc.value(r.row)) && ok(yc.value(r.row)));
  points = drawn.length;
  const left = rows.length - drawn.length;
  $('plot-note')!.textContent = left ? `${left} of ${rows.length} configs have no ${xc.label} or ${yc.label}${ui.logScale ? ' above 0' : ''}: in the table only` : '';
  const fi = paretoFrontier(
    drawn.map((r) => ({ x: xc.value(r.row), y: yc.value(r.row) })),
    xc.better,
    yc.better,
  );
  const front = fi.map((i) => drawn[i]);
  frontier = new Set(front.map((r) => r.row.file));
  if (!drawn.length) {
    plot.append('p').attr('class', 'empty').text(`No config has both ${xc.label} and ${yc.label}${ui.logScale ? ' above 0' : ''}. Choose other axes.`);
    return;
  }
  const width = Math.max(360, (document.body.clientWidth || 720) - 40);
  const height = 320;
  const m = { top: 16, right: 24, bottom: 44, left: 72 };
  const svg = plot.append('svg').attr('width', width).attr('height', height).attr('role', 'img').attr('aria-label', `${yc.label} against ${xc.label}`).attr('xmlns', 'http://www.w3.org/2000/svg');
  const scale = (vals: number[], range: [number, number]) => {
    let [lo, hi] = d3.extent(vals) as [number, number];
    if (ui.logScale) {
      if (lo === hi) [lo, hi] = [lo / 2, hi * 2];
      return d3.scaleLog().domain([lo, hi]).range(range).nice();
    }
    const pad = lo === hi ? Math.abs(lo) * 0.1 || 1 : (hi - lo) * 0.05;
    return d3.scaleLinear().domain([lo - pad, hi + pad]).range(range).nice();
  };
  const x = scale(drawn.map((r) => xc.value(r.row)!), [m.left, width - m.right]);
  const y = scale(drawn.map((r) => yc.value(r.row)!), [height - m.bottom, m.top]);
  const tick = (c: Column) => (d: d3.NumberValue) => c.text(Number(d));
  svg.append('g').attr('class', 'axis').attr('transform', `translate(0,${height - m.bottom})`).call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(width / 110))).tickFormat(tick(xc)));
  svg.append('g').attr('class', 'axis').attr('transform', `translate(${m.left},0)`).call(d3.axisLeft(y).ticks(6).tickFormat(tick(yc)));
  const better = (c: Column) => (c.better === 'max' ? 'higher is better' : 'lower is better');
  svg.append('text').attr('class', 'axis-title').attr('x', (m.left + width - m.right) / 2).attr('y', height - 8).attr('text-anchor', 'middle').text(`${xc.label} (${better(xc)})`);
  svg.append('text').attr('class', 'axis-title').attr('transform', `translate(14,${(m.top + height - m.bottom) / 2}) rotate(-90)`).attr('text-anchor', 'middle').text(`${yc.label} (${better(yc)})`);

  // The brush under the points: dragging on empty space selects the rows whose points it covers.
  const brush = d3
    .brush()
    .extent([
      [m.left, m.top],
      [width - m.right, height - m.bottom],
    ])
    .on('end', (ev: d3.D3BrushEvent<unknown>) => {
      if (!ev.sourceEvent) return; // cleared by code
      selected.clear();
      const sel = ev.selection as [[number, number], [number, number]] | null;
      if (sel) {
        const [[x0, y0], [x1, y1]] = sel;
        for (const r of drawn) {
          const px = x(xc.value(r.row)!);
          const py = y(yc.value(r.row)!);
          if (px >= x0 && px <= x1 && py >= y0 && py <= y1) selected.add(r.row.file);
        }
      }
      showSelection();
      reportRendered(lastDrawMs);
    });
  svg.append('g').attr('class', 'brush').call(brush);

  if (front.length > 1) {
    const line = d3
      .line<ViewRow>()
      .x((r) => x(xc.value(r.row)!))
      .y((r) => y(yc.value(r.row)!));
    svg.append('path').attr('class', 'frontier-line').datum(front).attr('d', line);
  }
  svg
    .append('g')
    .attr('class', 'points')
    .selectAll('circle')
    .data(drawn)
    .join('circle')
    .attr('class', (r) => `point${frontier.has(r.row.file) ? ' frontier' : ''}`)
    .attr('cx', (r) => x(xc.value(r.row)!))
    .attr('cy', (r) => y(yc.value(r.row)!))
    .attr('r', (r) => (frontier.has(r.row.file) ? 6 : 5))
    .attr('data-label', (r) => r.label)
    .on('mouseenter', (_e, r) => hover(r.row.file))
    .on('mouseleave', () => hover(null))
    .on('click', (_e, r) => post({ type: 'open', file: r.row.file }))
    .append('title')
    .text((r) => `${r.label}\n${xc.label}: ${cellText(xc, r.row)}\n${yc.label}: ${cellText(yc, r.row)}${frontier.has(r.row.file) ? '\non the Pareto frontier' : ''}`);
  // Each point named (the file name without .py) while that stays readable.
  if (drawn.length <= 40)
    svg
      .append('g')
      .attr('class', 'point-labels')
      .attr('pointer-events', 'none')
      .selectAll('text')
      .data(drawn)
      .join('text')
      .attr('class', 'point-label')
      .attr('x', (r) => x(xc.value(r.row)!) + 9)
      .attr('y', (r) => y(yc.value(r.row)!) + 4)
      .attr('text-anchor', (r) => (x(xc.value(r.row)!) > width - m.right - 140 ? 'end' : 'start'))
      .attr('dx', (r) => (x(xc.value(r.row)!) > width - m.right - 140 ? -18 : 0))
      .text((r) => r.label.replace(/^.*[\\/]/, '').replace(/\.py$/i, ''));
}

/** The scatter as a standalone SVG: the theme's colours written onto each element, the brush left out. */
function exportableSvg(): string | null {
  const src = document.querySelector<SVGSVGElement>('#plot svg');
  if (!src) return null;
  const clone = src.cloneNode(true) as SVGSVGElement;
  const a = [src, ...Array.from(src.querySelectorAll<SVGElement>('*'))];
  const b = [clone, ...Array.from(clone.querySelectorAll<SVGElement>('*'))];
  a.forEach((el, i) => {
    const cs = getComputedStyle(el);
    const t = b[i];
    for (const p of ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'font-size', 'font-family', 'opacity'] as const) {
      const v = cs.getPropertyValue(p);
      if (v) t.style.setProperty(p, v);
    }
  });
  clone.querySelector('.brush')?.remove();
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const bg = getComputedStyle(document.body).backgroundColor;
  clone.style.setProperty('background', bg);
  return new XMLSerializer().serializeToString(clone);
}

// ------------------------------------------------------------------------------------------- table

function sortedRows(): ViewRow[] {
  const { key, dir } = ui.sort;
  const out = [...rows];
  if (key === 'file') return out.sort((a, b) => dir * (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  const c = COLUMN_BY_KEY.get(key)!;
  // Unknown values last in either direction.
  return out.sort((a, b) => {
    const va = c.value(a.row);
    const vb = c.value(b.row);
    if (va === null || vb === null) return va === vb ? 0 : va === null ? 1 : -1;
    return dir * (va - vb);
  });
}

function drawTable(): Column[] {
  const host = d3.select('#table');
  host.selectAll('*').remove();
  const cols = ui.showAll ? [...COLUMNS] : differingColumns(rows.map((r) => r.row));
  setPressed('show-all', ui.showAll);
  const hidden = COLUMNS.length - cols.length;
  $('show-all')!.textContent = ui.showAll ? 'Only columns that differ' : `Show all columns${hidden ? ` (${hidden} equal)` : ''}`;
  const table = host.append('table');
  const head: { key: ColumnKey | 'file'; label: string; num: boolean }[] = [{ key: 'file', label: 'config', num: false }, ...cols.map((c) => ({ key: c.key, label: c.label, num: true }))];
  table
    .append('thead')
    .append('tr')
    .selectAll('th')
    .data(head)
    .join('th')
    .attr('class', (h) => (h.num ? 'num' : null))
    .attr('data-key', (h) => h.key)
    .attr('aria-sort', (h) => (ui.sort.key === h.key ? (ui.sort.dir === 1 ? 'ascending' : 'descending') : null))
    .attr('title', 'Sort')
    .text((h) => h.label)
    .on('click', (_e, h) => {
      ui.sort = ui.sort.key === h.key ? { key: h.key, dir: ui.sort.dir === 1 ? -1 : 1 } : { key: h.key, dir: h.key === 'file' ? 1 : COLUMN_BY_KEY.get(h.key as ColumnKey)!.better === 'max' ? -1 : 1 };
      persist();
      render();
    });
  const tr = table
    .append('tbody')
    .selectAll('tr')
    .data(sortedRows())
    .join('tr')
    .attr('data-label', (r) => r.label)
    .classed('frontier', (r) => frontier.has(r.row.file))
    .on('mouseenter', (_e, r) => hover(r.row.file))
    .on('mouseleave', () => hover(null))
    .on('click', (e: MouseEvent, r) => {
      if ((e.target as Element).closest('a.file')) return;
      if (selected.has(r.row.file)) selected.delete(r.row.file);
      else selected.add(r.row.file);
      showSelection();
      reportRendered(lastDrawMs);
    });
  const fileCell = tr.append('td').attr('class', 'file');
  fileCell
    .append('a')
    .attr('class', 'file')
    .attr('href', '#')
    .attr('title', 'Open the config')
    .text((r) => r.label)
    .on('click', (e: MouseEvent, r) => {
      e.preventDefault();
      post({ type: 'open', file: r.row.file });
    });
  fileCell
    .filter((r) => !!r.status)
    .append('span')
    .attr('class', (r) => `status-${r.status}`)
    .text((r) => (r.status === 'running' ? ' (running…)' : ' (last run failed)'));
  for (const c of cols)
    tr.append('td')
      .attr('class', 'num')
      .attr('data-key', c.key)
      .text((r) => cellText(c, r.row));
  return cols;
}

// ------------------------------------------------------------------------------------------- render

let lastDrawMs = 0;
let lastColumns: ColumnKey[] = [];

function reportRendered(drawMs: number): void {
  post({ type: 'rendered', rows: rows.length, selected: rows.filter((r) => selected.has(r.row.file)).map((r) => r.row.file), points, frontier: [...frontier], x: axesNow().x, y: axesNow().y, columns: lastColumns, drawMs });
}

function render(): void {
  const t0 = performance.now();
  $('count')!.textContent = rows.length ? `${rows.length} config${rows.length === 1 ? '' : 's'}` : '';
  if (!rows.length) {
    d3.select('#plot').selectAll('*').remove();
    d3.select('#table').selectAll('*').remove();
    d3.select('#table').append('p').attr('class', 'empty').text('No MixVarGENet configs found: open a folder with HAT configs (Python files with MixVarGENetConfig).');
    points = 0;
    frontier = new Set();
    lastColumns = [];
  } else {
    drawPlot();
    lastColumns = drawTable().map((c) => c.key);
    showSelection();
  }
  lastDrawMs = performance.now() - t0;
  reportRendered(lastDrawMs);
}

window.addEventListener('message', (e: MessageEvent) => {
  const m = parseCompareHostMessage(e.data);
  if (!m) return;
  if (m.type === 'rows') {
    rows = m.rows;
    const files = new Set(rows.map((r) => r.row.file));
    for (const f of [...selected]) if (!files.has(f)) selected.delete(f);
    render();
  } else {
    selected.clear();
    for (const f of m.files) selected.add(f);
    showSelection();
    reportRendered(lastDrawMs);
  }
});

let resizeTimer: number | undefined;
window.addEventListener('resize', () => {
  if (resizeTimer !== undefined) clearTimeout(resizeTimer);
  resizeTimer = window.setTimeout(() => rows.length && render(), 150);
});

initControls();
post({ type: 'ready' });
