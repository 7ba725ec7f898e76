/**
 * The HAT results history page (dist/history.js): accuracy (left axis, %) and FPS (right axis) of a config's runs
 * over time, drawn with d3, and a table of every run. Data comes from the extension by postMessage, in the typed
 * messages of extension/core/hat/historyView.ts (which also says which stage feeds which series).
 */
import * as d3 from 'd3';
import { HISTORY_SERIES, parseHistoryHostMessage, seriesOf, type HistoryWebviewMessage } from '../../extension/core/hat/historyView';
import type { RunRecord } from '../../extension/core/hat/results';

declare function acquireVsCodeApi(): { postMessage(m: unknown): void };
const vscode = acquireVsCodeApi();
const post = (m: HistoryWebviewMessage) => vscode.postMessage(m);

interface Point {
  t: Date;
  v: number;
  run: RunRecord;
}

function pct(a: number): number {
  return a <= 1 ? a * 100 : a;
}

function valueOf(r: RunRecord, kind: 'acc' | 'fps'): number | undefined {
  if (r.status !== 'ok') return undefined;
  if (kind === 'acc') return r.accuracy !== undefined ? pct(r.accuracy) : undefined;
  return r.stage === 'board' ? r.board?.fps : r.fps;
}

function render(config: string, runs: readonly RunRecord[]): void {
  d3.select('#title').text(`HAT results: ${config}`);
  const chart = d3.select('#chart');
  chart.selectAll('*').remove();
  d3.select('#legend').selectAll('*').remove();
  d3.select('#table').selectAll('*').remove();
  const series = HISTORY_SERIES.map((s) => ({
    ...s,
    points: runs
      .filter((r) => seriesOf(r.stage) === s.key)
      .map((r) => ({ t: new Date(r.time), v: valueOf(r, s.kind), run: r }))
      .filter((p): p is Point => p.v !== undefined && !Number.isNaN(p.t.getTime())),
  })).filter((s) => s.points.length);
  let accuracyPoints = 0;
  let fpsPoints = 0;
  if (!series.length) {
    chart.append('p').attr('class', 'empty').text('No accuracy or FPS yet: run calibration, a predict stage or compile_perf on this config.');
  } else {
    const legend = d3.select('#legend');
    for (const s of series) {
      const item = legend.append('span');
      item.append('span').attr('class', 'swatch').style('background', s.color);
      item.append('span').text(s.label);
    }
    const width = Math.max(360, (document.body.clientWidth || 640) - 40);
    const height = 300;
    const m = { top: 16, right: 64, bottom: 32, left: 52 };
    const svg = chart.append('svg').attr('width', width).attr('height', height).attr('role', 'img').attr('aria-label', 'accuracy and FPS over runs');
    const all = series.flatMap((s) => s.points);
    const [t0, t1] = d3.extent(all, (p) => p.t) as [Date, Date];
    const pad = t0.getTime() === t1.getTime() ? 3600_000 : 0;
    const x = d3.scaleTime().domain([new Date(t0.getTime() - pad), new Date(t1.getTime() + pad)]).range([m.left, width - m.right]).nice();
    const accVals = series.filter((s) => s.kind === 'acc').flatMap((s) => s.points.map((p) => p.v));
    const fpsVals = series.filter((s) => s.kind === 'fps').flatMap((s) => s.points.map((p) => p.v));
    const yAcc = d3.scaleLinear().domain(accVals.length ? [Math.max(0, (d3.min(accVals) ?? 0) - 1), Math.min(100, (d3.max(accVals) ?? 100) + 1)] : [0, 100]).range([height - m.bottom, m.top]).nice();
    const yFps = d3.scaleLinear().domain(fpsVals.length ? [0, (d3.max(fpsVals) ?? 1) * 1.1] : [0, 1]).range([height - m.bottom, m.top]).nice();
    svg.append('g').attr('class', 'axis').attr('transform', `translate(0,${height - m.bottom})`).call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(width / 120))));
    if (accVals.length) {
      svg.append('g').attr('class', 'axis').attr('transform', `translate(${m.left},0)`).call(d3.axisLeft(yAcc).ticks(6).tickFormat((d) => `${d}%`));
      svg.append('g').attr('class', 'grid').attr('transform', `translate(${m.left},0)`).call(d3.axisLeft(yAcc).ticks(6).tickSize(-(width - m.left - m.right)).tickFormat(() => '')).select('.domain').remove();
    }
    if (fpsVals.length) svg.append('g').attr('class', 'axis').attr('transform', `translate(${width - m.right},0)`).call(d3.axisRight(yFps).ticks(6).tickFormat((d) => `${d3.format('~s')(d as number)} FPS`));
    for (const s of series) {
      const y = s.kind === 'acc' ? yAcc : yFps;
      const pts = [...s.points].sort((a, b) => a.t.getTime() - b.t.getTime());
      if (s.kind === 'acc') accuracyPoints += pts.length;
      else fpsPoints += pts.length;
      const line = d3
        .line<Point>()
        .x((p) => x(p.t))
        .y((p) => y(p.v));
      svg.append('path').datum(pts).attr('fill', 'none').attr('stroke', s.color).attr('stroke-width', 2).attr('stroke-dasharray', s.kind === 'fps' ? '5,3' : null).attr('d', line);
      svg
        .append('g')
        .attr('data-series', s.key)
        .selectAll('circle')
        .data(pts)
        .join('circle')
        .attr('cx', (p) => x(p.t))
        .attr('cy', (p) => y(p.v))
        .attr('r', 4)
        .attr('fill', s.color)
        .append('title')
        .text((p) => `${s.label}: ${s.kind === 'acc' ? `${p.v.toFixed(2)}%` : `${p.v.toFixed(1)} FPS`}\n${p.run.stage}, ${p.t.toLocaleString()}`);
    }
  }
  // The table: every run, newest first.
  const table = d3.select('#table').append('table');
  table.append('thead').append('tr').selectAll('th').data(['when', 'stage', 'status', 'accuracy', 'FPS', 'note']).join('th').text((d) => d);
  const rows = [...runs].reverse();
  table
    .append('tbody')
    .selectAll('tr')
    .data(rows)
    .join('tr')
    .attr('class', (r) => (r.status === 'ok' ? null : 'failed'))
    .selectAll('td')
    .data((r) => [
      { v: new Date(r.time).toLocaleString(), num: false },
      { v: r.stage, num: false },
      { v: r.status, num: false },
      { v: r.accuracy !== undefined ? `${pct(r.accuracy).toFixed(2)}%` : '', num: true },
      { v: r.fps !== undefined ? r.fps.toFixed(1) : r.board?.fps !== undefined ? `${r.board.fps.toFixed(1)} (board)` : '', num: true },
      { v: r.failure ? `${r.failure.exception}: ${r.failure.message}` : r.march ?? '', num: false },
    ])
    .join('td')
    .attr('class', (c) => (c.num ? 'num' : null))
    .text((c) => c.v);
  post({ type: 'rendered', accuracyPoints, fpsPoints, rows: rows.length });
}

window.addEventListener('message', (e: MessageEvent) => {
  // Only a valid `data` message is drawn (parseHistoryHostMessage checks every run).
  const m = parseHistoryHostMessage(e.data);
  if (m) render(m.config, m.runs);
});
post({ type: 'ready' });
