// Shared helpers for `npm run bench`: timing with warm-up and a time budget, robust statistics,
// a table printer, and formatting. Sections (bench/sections/*.mjs) use these through `ctx`.

/** q-quantile (0..1) of an ascending array, nearest-rank. */
export function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Time fn (sync or async) after `warmup` untimed calls. Runs at least minIters and at most maxIters
 * times, stopping once budgetMs of timed work has passed. `onSample(result, ms)` sees each timed
 * call's return value (e.g. to collect analysis.timings).
 *
 * Returns wall-clock statistics (median, p90, min, max, mean, in ms) and cpuMedian: the median
 * process CPU time (user + system) per call, which other processes on a busy machine inflate much
 * less than wall time (it includes GC threads, so it can exceed the wall time of a call).
 */
export async function measure(fn, { warmup = 3, minIters = 5, maxIters = 1000, budgetMs = 2000, onSample } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const samples = [];
  const cpuSamples = [];
  let spent = 0;
  while (samples.length < maxIters && (samples.length < minIters || spent < budgetMs)) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const out = await fn();
    const dt = performance.now() - t0;
    const c = process.cpuUsage(c0);
    samples.push(dt);
    cpuSamples.push((c.user + c.system) / 1000);
    spent += dt;
    if (onSample) onSample(out, dt);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: samples.length,
    median: median(sorted),
    p90: quantile(sorted, 0.9),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
    cpuMedian: median(cpuSamples),
    samples,
  };
}

/** A duration in ms with 3 significant digits (µs below 1 ms). */
export function fmtMs(ms) {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1) return `${(ms * 1000).toPrecision(3)} µs`;
  if (ms < 1000) return `${ms.toPrecision(3)} ms`;
  return `${(ms / 1000).toPrecision(3)} s`;
}

export function fmtRatio(x, ref) {
  if (!Number.isFinite(x) || !Number.isFinite(ref) || ref === 0) return '–';
  const r = x / ref;
  return `${r < 0.1 ? r.toPrecision(2) : r < 10 ? r.toFixed(2) : r < 100 ? r.toFixed(1) : r.toFixed(0)}×`;
}

export function fmtPct(x, total) {
  if (!Number.isFinite(x) || !Number.isFinite(total) || total === 0) return '–';
  return `${((100 * x) / total).toFixed(1)}%`;
}

export function fmtBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(2)} MB`;
}

/**
 * Print a table. columns: [{ key, label, align?: 'left'|'right', fmt?: (value, row) => string }].
 * rows: plain objects; a cell is row[key] formatted by fmt (or String()).
 */
export function printTable(title, columns, rows, out = console.log) {
  const cells = rows.map((row) => columns.map((c) => (c.fmt ? c.fmt(row[c.key], row) : row[c.key] === undefined ? '' : String(row[c.key]))));
  const widths = columns.map((c, i) => Math.max(c.label.length, ...cells.map((r) => r[i].length)));
  const pad = (s, i) => ((columns[i].align ?? (i === 0 ? 'left' : 'right')) === 'left' ? s.padEnd(widths[i]) : s.padStart(widths[i]));
  if (title) out(`\n${title}`);
  out('  ' + columns.map((c, i) => pad(c.label, i)).join('  '));
  out('  ' + widths.map((w) => '─'.repeat(w)).join('  '));
  for (const r of cells) out('  ' + r.map((s, i) => pad(s, i)).join('  '));
}
