/** `mvg log FILE...`: what the HAT output parsers understand from saved logs (CI, bug reports). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type LogReport, parseLogOrSummary } from '../core/logs/parse';
import { type FlagSpec, flagSet, parseArgs } from './args';
import { reason } from './files';
import { type CliIO, EXIT_OK, EXIT_USAGE, UsageError } from './io';

export const LOG_FLAGS: FlagSpec[] = [{ name: 'json' }, { name: 'help', short: 'h' }];

export const LOG_HELP = `Usage: mvg log FILE... [--json]

Reads saved output of HAT's tools and prints what it understood: the stage, training progress and
metrics, the predict result (accuracy), compile_perf FPS/latency/DDR (J5 HBDK3 and J6 HBDK4 summaries,
also the summary .json), hrt_model_exec perf and AI Benchmark results, and for a failed run the root
cause: the traceback repeated once per GPU rank collapsed into one, with the config line it points at.

Options:
  --json   one JSON object per file: [{file, report}]

Exit codes: 0 read, 2 bad usage or an unreadable file. A failed run in the log is not an error of mvg.
`;

const f = (n: number | undefined, digits = 2) => (n === undefined ? '?' : n.toFixed(digits));

export function formatReport(file: string, r: LogReport): string {
  const out: string[] = [`${file}: ${r.kinds.join(', ')}${r.stage ? ` (stage ${r.stage})` : ''}${r.partial ? ' — cut off' : ''}`];
  const lastProgress = r.progress[r.progress.length - 1];
  if (lastProgress) {
    out.push(
      `  training: epoch ${lastProgress.epoch}, steps ${lastProgress.stepFrom ?? '?'}-${lastProgress.stepTo ?? '?'}, ` +
        `${f(lastProgress.samplesPerSec)} samples/s, remaining ${lastProgress.remainingText ?? '?'}`,
    );
  }
  const lastStep = r.steps[r.steps.length - 1];
  if (lastStep) out.push(`  last metrics (epoch ${lastStep.epoch} step ${lastStep.step}): ${Object.entries(lastStep.metrics).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  const lastLr = r.lrs[r.lrs.length - 1];
  if (lastLr) out.push(`  lr ${lastLr.lr} at global step ${lastLr.globalStep}`);
  for (const c of r.checkpoints) out.push(`  checkpoint ${c}`);
  for (const v of r.validations) {
    out.push(`  validation ${v.task}: ${Object.entries(v.metrics).map(([k, x]) => `${k} ${x}`).join(', ')}${v.accuracy !== undefined ? ` → ${(v.accuracy * 100).toFixed(2)}%` : ''}`);
  }
  if (r.compile) {
    const c = r.compile;
    out.push(
      `  compile_perf${c.march ? ` (${c.march}${c.hbdkVersion ? `, HBDK ${c.hbdkVersion}` : ''})` : ''}: ${f(c.fps)} FPS, latency ${f(c.latencyMs, 3)} ms` +
        `${c.ddrMBPerFrame !== undefined ? `, DDR ${c.ddrMBPerFrame} MB/frame` : ''}${c.layerDetails ? `, ${c.layerDetails.rows.length} layers` : ''}`,
    );
  }
  if (r.board) {
    const b = r.board;
    out.push(`  on board (${b.source}): ${f(b.fps)} FPS, average latency ${f(b.avgLatencyMs, 3)} ms${b.threads ? `, ${b.threads} threads` : ''}`);
  }
  if (r.failure) {
    const x = r.failure;
    out.push(`  FAILED: ${x.exception}: ${x.message}`);
    out.push(`    printed ${x.repeats}×${x.ranks.length ? ` by rank${x.ranks.length > 1 ? 's' : ''} ${x.ranks.join(', ')}` : ''}`);
    const inner = x.frames[x.frames.length - 1];
    if (inner) out.push(`    raised at ${inner.file}:${inner.line} in ${inner.func}${inner.code ? `: ${inner.code}` : ''}`);
    if (x.configFrame) out.push(`    config: ${x.configFrame.file}:${x.configFrame.line}`);
  }
  if (r.kinds.includes('unknown') && !r.failure) out.push('  nothing recognised: not HAT tool output, or a format this version does not know');
  for (const n of r.notes.slice(0, 10)) out.push(`  note: ${n}`);
  return out.join('\n') + '\n';
}

export function logCommand(args: string[], io: CliIO): number {
  const p = parseArgs(args, LOG_FLAGS, 'log');
  if (flagSet(p, 'help')) {
    io.stdout(LOG_HELP);
    return EXIT_OK;
  }
  if (p.positionals.length === 0) throw new UsageError('no log files given', 'log');
  const results: { file: string; report: LogReport }[] = [];
  let code = EXIT_OK;
  for (const file of p.positionals) {
    let text: string;
    try {
      text = fs.readFileSync(path.resolve(io.cwd, file), 'utf8');
    } catch (e) {
      io.stderr(`mvg: cannot read ${file}: ${reason(e)}\n`);
      code = EXIT_USAGE;
      continue;
    }
    results.push({ file, report: parseLogOrSummary(text) });
  }
  if (flagSet(p, 'json')) io.stdout(JSON.stringify(results, null, 2) + '\n');
  else for (const r of results) io.stdout(formatReport(r.file, r.report));
  return code;
}
