// Keystroke → updated diagnostics in a real VS Code (code-server's extension host), on the seed config.
// The figures are measured in-process by the extension itself (command mixvargenet._benchKeystroke, driven by the
// extension-host test "measures keystroke → diagnostics"); this section runs that one test and prints its result.
// Skipped (with a note) when code-server is not installed: run scripts/setup.sh first.

import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

export default {
  id: 'keystroke',
  title: 'Keystroke → diagnostics in the extension host (seed config, worker engine)',
  async run(ctx) {
    const server = join(ctx.root, 'test/vscode/server/node_modules/.bin/code-server');
    if (!existsSync(server) || !existsSync('/usr/bin/chromium')) {
      ctx.note('keystroke: skipped (code-server or chromium missing; run bash scripts/setup.sh)');
      return;
    }
    const result = join(ctx.root, 'test-output/exthost/bench-keystroke.json');
    rmSync(result, { force: true });
    const build = spawnSync(process.execPath, ['scripts/build-vscode-tests.mjs'], { cwd: ctx.root, encoding: 'utf8' });
    if (build.status !== 0) {
      ctx.note(`keystroke: skipped (building the extension-host tests failed: ${build.stderr.slice(0, 300)})`);
      return;
    }
    const run = spawnSync(process.execPath, ['out/vscode/ui/run-exthost.js', '--grep', 'keystroke'], { cwd: ctx.root, encoding: 'utf8', timeout: 300_000 });
    if (run.status !== 0 || !existsSync(result)) {
      ctx.note(`keystroke: the extension-host run failed (exit ${run.status}); see test-output/exthost/`);
      return;
    }
    const r = JSON.parse(readFileSync(result, 'utf8'));
    const rows = [
      { name: 'keystroke → diagnostics shown', median: r.editToDiagnosticsMs.median, p: r.editToDiagnosticsMs.p95 },
      { name: `  of which debounce (setting)`, median: r.debounceMs, p: r.debounceMs },
      { name: '  edit → change event in the host', median: r.editToChangeEventMs.median, p: r.editToChangeEventMs.p95 },
      { name: '  request → diagnostics set', median: r.pipelineMs.median, p: r.pipelineMs.p95 },
      { name: '  worker round trip', median: r.roundTripMs.median, p: r.roundTripMs.p95 },
      { name: '  analyze() in the worker', median: r.analyzeMs.median, p: r.analyzeMs.p95 },
      { name: '    parse', median: r.parseMs, p: NaN },
      { name: '    evaluate', median: r.evaluateMs, p: NaN },
      { name: '    model', median: r.modelMs, p: NaN },
      { name: '    rules', median: r.rulesMs, p: NaN },
      { name: 'extension-host thread blocked per update', median: r.hostBlockingMs.median, p: r.hostBlockingMs.max },
    ];
    ctx.table(`${this.title} — ${r.iterations} edits`, [
      { key: 'name', label: 'stage' },
      { key: 'median', label: 'median', fmt: ctx.fmtMs },
      { key: 'p', label: 'p95 / max', fmt: (v) => (Number.isNaN(v) ? '' : ctx.fmtMs(v)) },
      { key: 'median', label: '× baseline', fmt: (v) => ctx.fmtRatio(v, ctx.baselineMs) },
    ], rows);
    return r;
  },
};
