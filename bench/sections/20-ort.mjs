// ONNX Runtime latency of the seed config at batch 1 with 1 and 2 intra-op threads, and the achieved GMAC/s against
// this machine's fp32 peak (extension/ort/bench.ts: cpuPeak() says how the peak is computed) and against ORT's own
// SGEMM as a measured ceiling. ORT runs in a child process (dist/perf-worker.js from `npm run build`).

import { existsSync } from 'node:fs';
import { join } from 'node:path';

export default {
  id: 'ort',
  title: 'ONNX Runtime (CPU) latency of the seed network',
  async run(ctx) {
    const workerPath = join(ctx.root, 'dist/perf-worker.js');
    if (!existsSync(workerPath)) {
      ctx.note('ort: skipped (dist/perf-worker.js missing: npm run build)');
      return;
    }
    const { benchPerf, formatPerfBench } = ctx.bundle('extension/ort/bench.ts');
    const b = await benchPerf({ root: ctx.root, workerPath, threads: [1, 2], runs: ctx.quick ? 10 : 50 });
    console.log(`\n${this.title}`);
    console.log(formatPerfBench(b));
    const one = b.rows.find((r) => r.threads === 1);
    if (one) console.log(`  1-thread median = ${ctx.fmtRatio(one.medianMs, ctx.baselineMs)} the baseline`);
    return b;
  },
};
