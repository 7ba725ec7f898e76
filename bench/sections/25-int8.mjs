// int8 beside fp32 (issue 15): the seed network calibrated and quantized as QDQ, timed at batch 1 with 2 threads in
// the same process as fp32 (runs interleaved, so load from other processes hits both alike), with the goals:
// int8 median ≤ 0.6 × fp32 median, every conv in int8, calibration ≤ 2 s, and the QDQ model through onnx.checker.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default {
  id: 'int8',
  title: 'int8 (QDQ) beside fp32 on the CPU',
  async run(ctx) {
    const workerPath = join(ctx.root, 'dist/perf-worker.js');
    if (!existsSync(workerPath)) {
      ctx.note('int8: skipped (dist/perf-worker.js missing: npm run build)');
      return;
    }
    const { benchInt8, formatInt8Bench } = ctx.bundle('extension/ort/bench.ts');
    const dir = mkdtempSync(join(tmpdir(), 'mvg-bench-int8-'));
    try {
      const model = join(dir, 'seed.int8.onnx');
      const b = await benchInt8({ root: ctx.root, workerPath, threads: 2, runs: ctx.quick ? 15 : 60, saveInt8OnnxTo: model });
      console.log(`\n${this.title}`);
      console.log(formatInt8Bench(b).trimEnd());
      if (existsSync('/usr/bin/python3') && existsSync(model)) {
        const r = spawnSync('/usr/bin/python3', ['-c', 'import sys, onnx; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)', model], { encoding: 'utf8' });
        console.log(`  onnx.checker (full_check) on the QDQ model: ${r.status === 0 ? 'passes' : `FAILS ${r.stderr.trim().split('\n').pop()}`}`);
        b.checker = r.status === 0;
      }
      if (b.int8) console.log(`  int8 median = ${ctx.fmtRatio(b.int8.medianMs, ctx.baselineMs)} the baseline`);
      return b;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
