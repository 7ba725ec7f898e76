// Machine baseline, measured in the same run: other sections report their figures as ratios to it,
// so numbers from different machines (a laptop, a loaded CI runner) can be compared.
//   JSON.parse: parse a fixed ~1 MB JSON text (deterministic content) — the unit `ctx.baselineMs`.
//   JS loop:    a fixed integer-hashing loop of 5·10⁶ iterations (pure CPU, no allocation).

function bigJson() {
  const rows = [];
  let x = 12345;
  for (let i = 0; i < 6000; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    rows.push({ id: i, name: `stage_${i}`, op: ['mixvarge_f2', 'mixvarge_f4_gb16', 'mixvarge_k3k3_f2'][x % 3], ch: [x % 512, (x >> 9) % 512], stride: 1 + (x % 2), f: x / 7 });
  }
  return JSON.stringify({ rows });
}

function jsLoop() {
  let h = 2166136261;
  for (let i = 0; i < 5_000_000; i++) h = Math.imul(h ^ i, 16777619) >>> 0;
  return h;
}

export default {
  id: 'baseline',
  title: 'Machine baseline (same run)',
  async run(ctx) {
    const text = bigJson();
    const json = await ctx.measure(() => JSON.parse(text), { warmup: 5, minIters: 15, budgetMs: 1000 });
    const loop = await ctx.measure(jsLoop, { warmup: 3, minIters: 15, budgetMs: 1000 });
    ctx.baselineMs = json.median;
    ctx.baselineCpuMs = json.cpuMedian;
    const rows = [
      { name: `JSON.parse of ${ctx.fmtBytes(text.length)} (the baseline unit)`, ...json },
      { name: 'JS loop, 5·10⁶ integer hash steps', ...loop },
    ];
    ctx.table(this.title, [
      { key: 'name', label: 'workload' },
      { key: 'median', label: 'median', fmt: ctx.fmtMs },
      { key: 'p90', label: 'p90', fmt: ctx.fmtMs },
      { key: 'cpuMedian', label: 'cpu median', fmt: ctx.fmtMs },
      { key: 'n', label: 'runs' },
    ], rows);
    return { baselineMs: json.median, jsonParse: json, jsLoop: loop };
  },
};
