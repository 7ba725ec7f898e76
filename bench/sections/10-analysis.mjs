// Analysis time: analyze() = parse + evaluate + extract/model + rules, on the seed config and on
// configs 10× and 100× its size (bench/generate.mjs explains how they are made).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { median } from '../lib.mjs';
import { scaledConfig } from '../generate.mjs';

const SCALES = [
  { k: 1, label: 'seed (mixvargenet_imagenet.py)', warmup: 20, minIters: 30, budgetMs: 2000 },
  { k: 10, label: '10× (50 stages, 10× settings)', warmup: 3, minIters: 10, budgetMs: 4000 },
  { k: 100, label: '100× (500 stages, 100× settings)', warmup: 1, minIters: 5, budgetMs: 8000 },
];

export default {
  id: 'analysis',
  title: 'Analysis: analyze() = parse + evaluate + model + rules',
  async run(ctx) {
    const { analyze } = ctx.core();
    const seed = readFileSync(join(ctx.root, 'examples/configs/mixvargenet_imagenet.py'), 'utf8');
    const rows = [];
    for (const s of SCALES) {
      if (ctx.quick && s.k > 10) continue;
      const text = scaledConfig(seed, s.k);
      const t0 = performance.now();
      const first = analyze(text); // also the first warm-up run
      const firstMs = performance.now() - t0;
      // Keep the whole bench under a minute when analysis is slow: fewer runs, never fewer than 3.
      const budgetMs = ctx.quick ? s.budgetMs / 10 : s.budgetMs;
      const minIters = Math.max(3, Math.min(ctx.quick ? 3 : s.minIters, Math.floor(budgetMs / Math.max(firstMs, 1))));
      const warmup = firstMs > 1000 ? 0 : Math.max(0, (ctx.quick ? 1 : s.warmup) - 1);
      const split = { parseMs: [], evaluateMs: [], modelMs: [], rulesMs: [] };
      const stats = await ctx.measure(() => analyze(text), {
        warmup,
        minIters,
        budgetMs,
        onSample: (a) => {
          for (const key of Object.keys(split)) split[key].push(a.timings[key]);
        },
      });
      rows.push({
        name: s.label,
        bytes: text.length,
        lines: text.split('\n').length,
        stages: first.extracted.netConfig?.stages.length ?? 0,
        params: first.network?.params ?? null,
        findings: first.findings.length,
        syntaxErrors: first.parsed.syntaxErrors.length,
        ...stats,
        samples: undefined,
        parseMs: median(split.parseMs),
        evaluateMs: median(split.evaluateMs),
        modelMs: median(split.modelMs),
        rulesMs: median(split.rulesMs),
      });
    }
    const ref = rows[0].median;
    ctx.table(this.title, [
      { key: 'name', label: 'config' },
      { key: 'bytes', label: 'size', fmt: ctx.fmtBytes },
      { key: 'lines', label: 'lines' },
      { key: 'stages', label: 'stages' },
      { key: 'findings', label: 'findings' },
      { key: 'median', label: 'median', fmt: ctx.fmtMs },
      { key: 'p90', label: 'p90', fmt: ctx.fmtMs },
      { key: 'cpuMedian', label: 'cpu median', fmt: ctx.fmtMs },
      { key: 'n', label: 'runs' },
      { key: 'median', label: '× seed', fmt: (v) => ctx.fmtRatio(v, ref) },
      { key: 'median', label: '× baseline', fmt: (v) => ctx.fmtRatio(v, ctx.baselineMs) },
      { key: 'cpuMedian', label: 'cpu × baseline', fmt: (v) => ctx.fmtRatio(v, ctx.baselineCpuMs) },
    ], rows);
    const total = (r) => r.parseMs + r.evaluateMs + r.modelMs + r.rulesMs;
    ctx.table('Analysis split (medians of analysis.timings; model = extract + network model)', [
      { key: 'name', label: 'config' },
      { key: 'parseMs', label: 'parse', fmt: (v, r) => `${ctx.fmtMs(v)} ${ctx.fmtPct(v, total(r)).padStart(6)}` },
      { key: 'evaluateMs', label: 'evaluate', fmt: (v, r) => `${ctx.fmtMs(v)} ${ctx.fmtPct(v, total(r)).padStart(6)}` },
      { key: 'modelMs', label: 'model', fmt: (v, r) => `${ctx.fmtMs(v)} ${ctx.fmtPct(v, total(r)).padStart(6)}` },
      { key: 'rulesMs', label: 'rules', fmt: (v, r) => `${ctx.fmtMs(v)} ${ctx.fmtPct(v, total(r)).padStart(6)}` },
      { key: 'parseMs', label: 'parse × seed', fmt: (v) => ctx.fmtRatio(v, rows[0].parseMs) },
      { key: 'evaluateMs', label: 'evaluate × seed', fmt: (v) => ctx.fmtRatio(v, rows[0].evaluateMs) },
    ], rows);
    // Per-rule time on the 10× config (50 stages, a large real config): one check() each, from the
    // analysis' own rule context, so a rule that scales badly with the stage count stands out.
    const { RULES, DEFAULT_OPS } = ctx.core();
    let ruleRows;
    if (RULES && DEFAULT_OPS) {
      const text = scaledConfig(seed, 10);
      const a = analyze(text);
      const stageConfigs = a.extracted.netConfig?.stages.map((st) => st.configs[0]) ?? [];
      const rctx = { text, parsed: a.parsed, ev: a.ev, ex: a.extracted, net: a.network, ops: DEFAULT_OPS, target: a.target, stageConfigs };
      const perRule = [];
      for (const rule of RULES) {
        const stats = await ctx.measure(() => rule.check(rctx), { warmup: 1, minIters: 3, maxIters: 20, budgetMs: 100 });
        perRule.push({ name: `${rule.code} ${rule.name}`, median: stats.median, n: stats.n });
      }
      perRule.sort((x, y) => y.median - x.median);
      const all = perRule.reduce((t, r) => t + r.median, 0);
      ctx.table(`Slowest rules on the 10× config (of ${RULES.length}; all rules ${ctx.fmtMs(all)})`, [
        { key: 'name', label: 'rule' },
        { key: 'median', label: 'median', fmt: ctx.fmtMs },
        { key: 'median', label: 'share', fmt: (v) => ctx.fmtPct(v, all) },
        { key: 'median', label: '× baseline', fmt: (v) => ctx.fmtRatio(v, ctx.baselineMs) },
      ], perRule.slice(0, 5));
      ruleRows = perRule;
    }
    for (const r of rows) {
      if (r.syntaxErrors > 0 || r.findings > 0) {
        ctx.note(`warning: ${r.name} has ${r.syntaxErrors} syntax error(s) and ${r.findings} finding(s): bench/generate.mjs is out of date`);
      }
    }
    ctx.note(`seed network: ${rows[0].params?.toLocaleString('en-US') ?? 'unknown'} parameters (MIXVARGENET.md §2: 2,310,744)`);
    return { rows, rules: ruleRows };
  },
};
