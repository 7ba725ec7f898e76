// The diff of two configs (issue #14 A): diffConfigs(old, new) in process on two seed-size configs — the seed and the
// edited seed of the diff tests (test/fixtures/diff/seed_edited.py) — which analyses both and compares them (what
// `mvg diff` does per call; goal ≤ 20 ms), and diffAnalyses of the two snapshots alone (what the editor does per
// keystroke, the old side being analysed once).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const GOAL_MS = 20;

export default {
  id: 'diff',
  title: 'Diff of two seed-size configs (in process)',
  async run(ctx) {
    const { diffConfigs, diffAnalyses, analyze, toSnapshot } = ctx.bundle({
      contents: [
        "export { diffConfigs, diffAnalyses } from './extension/core/diff/diff';",
        "export { analyze } from './extension/core/analyze';",
        "export { toSnapshot } from './extension/core/ide/snapshot';",
      ].join('\n'),
    });
    const seed = readFileSync(join(ctx.root, 'examples/configs/mixvargenet_imagenet.py'), 'utf8');
    const edited = readFileSync(join(ctx.root, 'test/fixtures/diff/seed_edited.py'), 'utf8');
    const quick = ctx.quick;
    const whole = await ctx.measure(() => diffConfigs(seed, edited), { warmup: quick ? 2 : 10, minIters: quick ? 5 : 30, budgetMs: quick ? 300 : 2000 });
    const snap = (t) => toSnapshot(analyze(t, { rankFixes: false }), { uri: 'x', version: 0 });
    const a = snap(seed);
    const b = snap(edited);
    const compare = await ctx.measure(() => diffAnalyses(a, b), { warmup: quick ? 10 : 100, minIters: quick ? 20 : 200, budgetMs: quick ? 100 : 500 });
    const d = diffConfigs(seed, edited);
    const rows = [
      { name: 'diffConfigs(seed, edited seed): analyse both + compare', ...whole, goal: GOAL_MS },
      { name: 'diffAnalyses(snapshots): compare only (per edit in the editor)', ...compare, goal: null },
    ];
    ctx.table(this.title, [
      { key: 'name', label: 'what' },
      { key: 'median', label: 'median', fmt: ctx.fmtMs },
      { key: 'p90', label: 'p90', fmt: ctx.fmtMs },
      { key: 'cpuMedian', label: 'cpu median', fmt: ctx.fmtMs },
      { key: 'n', label: 'runs' },
      { key: 'median', label: '× baseline', fmt: (v) => ctx.fmtRatio(v, ctx.baselineMs) },
      { key: 'goal', label: 'goal', fmt: (v, r) => (v === null ? '' : `≤ ${v} ms: ${r.median <= v ? 'met' : 'MISSED'}`) },
    ], rows);
    ctx.note(`${d.stages.length} stages compared (${d.stages.filter((s) => s.status !== 'same').length} not the same), params delta ${d.params.delta}.`);
    return { diffConfigs: { median: whole.median, p90: whole.p90, cpuMedian: whole.cpuMedian, xBaseline: whole.median / ctx.baselineMs, goalMs: GOAL_MS }, diffAnalyses: { median: compare.median, p90: compare.p90 } };
  },
};
