/**
 * `mvg perf FILE [--batch B] [--threads T] [--runs N] [--warmup W] [--opt LEVEL] [--timeout SEC]
 *                [--no-profile] [--onnx OUT] [--precision fp32|int8|both] [--calibration-data DIR]
 *                [--calibration-method minmax|percentile] [--calibration-percentile P] [--calibration-samples N] [--json]`
 *
 * Builds the config's network as ONNX (optionally writing it), times it with onnxruntime-node in a
 * child process (extension/ort), and prints the totals and the per-stage table (or JSON).
 * Exit codes: 0 measured, 1 the measurement failed (ORT error, crash, timeout), 2 bad usage or a config
 * whose network cannot be built, 3 internal error. The one asynchronous command: it returns a promise.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../core/analyze';
import { buildOnnx, onnxBlockers, planSize, sizeProblem } from '../core/onnx/build';
import { GRAPH_OPT_LEVELS, type GraphOptimizationLevel } from '../ort/protocol';
import { defaultThreads, listCalibrationFiles, measureBatches, type MeasureOptions, type PartLatency, type PerfResult, PRECISION_CHOICES, type PrecisionChoice } from '../ort/measure';
import { CALIBRATION_METHODS, type CalibrationMethod, DEFAULT_CALIBRATION_SAMPLES, isCalibrationPercentile } from '../core/onnx/quantize';
import { type FlagSpec, flagInt, flagSet, flagString, parseArgs } from './args';
import { readText } from './files';
import { type CliIO, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, InputError, UsageError } from './io';
import { stripBom } from './lint';

export const PERF_FLAGS: FlagSpec[] = [
  { name: 'batch', value: true },
  { name: 'threads', value: true },
  { name: 'runs', value: true },
  { name: 'warmup', value: true },
  { name: 'opt', value: true },
  { name: 'timeout', value: true },
  { name: 'no-profile' },
  { name: 'onnx', value: true },
  { name: 'precision', value: true },
  { name: 'calibration-data', value: true },
  { name: 'calibration-method', value: true },
  { name: 'calibration-percentile', value: true },
  { name: 'calibration-samples', value: true },
  { name: 'json' },
  { name: 'help', short: 'h' },
];

export const PERF_HELP = `Usage: mvg perf FILE [options]

Build the network of a MixVarGENet config as ONNX (BatchNorm folded, pseudo-random weights) and time it
on this CPU with onnxruntime-node, in a child process: total latency and the share of every stage.

Options:
  --batch B        images per run (default 1); with B > 1 the totals at batch 1 are measured too
  --threads T      ORT intra-op threads (default: all cores, ${defaultThreads()} here)
  --runs N         timed runs (default 20)
  --warmup W       untimed runs first (default 3)
  --opt LEVEL      graph optimisation: ${GRAPH_OPT_LEVELS.join('|')} (default all)
  --timeout SEC    give up after SEC seconds (default 120)
  --no-profile     totals only (no per-stage profiling)
  --onnx OUT       also write the ONNX model (batch dimension symbolic unless --batch is given); with
                   --precision int8 the int8 (QDQ) model, with both the fp32 model to OUT and the int8
                   model beside it (m.onnx → m.int8.onnx)
  --precision P    fp32 (default), int8 (the network calibrated and quantized as QDQ: uint8 activations,
                   int8 per-channel weights) or both (timed in one process, runs interleaved)
  --calibration-data DIR
                   calibrate int8 on your inputs: .npy / .f32 .raw .bin (float32, one image each) or
                   .ppm / .pgm images (resized, ImageNet-normalised); default seeded random inputs
  --calibration-method M
                   minmax (default: each tensor's largest |x|) or percentile (a percentile of |x|;
                   the values above it saturate)
  --calibration-percentile P
                   the percentile for --calibration-method percentile (above 50, at most 100;
                   default 99.99)
  --calibration-samples N
                   seeded calibration inputs (default ${DEFAULT_CALIBRATION_SAMPLES})
  --json           print the result as JSON
  -h, --help       show this help

The number is a relative CPU guide, not J5 BPU latency.
`;

function ms(v: number): string {
  return v >= 100 ? `${v.toFixed(0)} ms` : v >= 10 ? `${v.toFixed(1)} ms` : `${v.toFixed(2)} ms`;
}

function pct(v: number): string {
  return `${(100 * v).toFixed(1)}%`;
}

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

/** The text report of one measurement. */
export function formatPerf(file: string, r: PerfResult, stageMacs: (number | null)[], stemMacs: number | null, headMacs: number | null): string {
  const lines: string[] = [];
  lines.push(`${file}`);
  lines.push(
    `  ${r.device}, onnxruntime-node ${r.ortVersion}, ${r.threads} thread${r.threads === 1 ? '' : 's'}, batch ${r.batch}, graph optimisation ${r.graphOptimizationLevel}, ${r.runs} runs after ${r.warmup} warm-up${r.fromCache ? ' (cached)' : ''}`,
  );
  const gmac = r.gmacPerSec !== null ? ` · ${r.gmacPerSec.toFixed(1)} GMAC/s` : '';
  lines.push(`  latency: median ${ms(r.latencyMs.median)} · p90 ${ms(r.latencyMs.p90)} · min ${ms(r.latencyMs.min)} · ${r.fps.toFixed(1)} FPS${gmac}`);
  if (r.batches) {
    for (const b of r.batches)
      lines.push(`  batch ${String(b.batch).padEnd(4)} median ${ms(b.latencyMs.median)} · p90 ${ms(b.latencyMs.p90)} · min ${ms(b.latencyMs.min)} · ${b.fps.toFixed(1)} FPS${b.fromCache ? ' (cached)' : ''}`);
  }
  if (r.batchesError) lines.push(`  (not measured: ${r.batchesError})`);
  if (r.stages.length) {
    const rows: [string, string, string, string][] = [['part', 'latency', 'share', 'MMACs']];
    const mm = (m: number | null) => (m === null ? '?' : (m / 1e6).toFixed(1));
    if (r.stem) rows.push(['stem', ms(r.stem.latencyMs), pct(r.stem.share), mm(stemMacs)]);
    for (const s of r.stages) rows.push([`stage ${s.index}`, ms(s.latencyMs), pct(s.share), mm(stageMacs[s.index] ?? null)]);
    if (r.head) rows.push(['head', ms(r.head.latencyMs), pct(r.head.share), mm(headMacs)]);
    const w = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i].length)));
    lines.push('');
    rows.forEach((row, i) => {
      lines.push(`  ${pad(row[0], w[0])}  ${pad(row[1], w[1], i > 0)}  ${pad(row[2], w[2], i > 0)}  ${pad(row[3], w[3], i > 0)}`);
    });
    lines.push('  (per-part shares from ORT profiling, scaled to the median latency)');
  }
  lines.push('');
  lines.push(`  ${r.note}`);
  return lines.join('\n') + '\n';
}

/** `m.onnx` → `m.int8.onnx` (the int8 model written beside the fp32 one with --precision both). */
export function int8Name(file: string): string {
  return /\.onnx$/i.test(file) ? file.replace(/\.onnx$/i, '.int8.onnx') : `${file}.int8.onnx`;
}

function db(v: number | null): string {
  return v === null ? '—' : `${v.toFixed(1)} dB`;
}

/** The text report of an int8 or fp32+int8 measurement. */
export function formatPrecisions(file: string, r: PerfResult, stageMacs: (number | null)[], stemMacs: number | null, headMacs: number | null): string {
  const p = r.precisions!;
  const lines: string[] = [file];
  lines.push(
    `  ${r.device}, onnxruntime-node ${r.ortVersion}, ${r.threads} thread${r.threads === 1 ? '' : 's'}, batch ${r.batch}, graph optimisation ${r.graphOptimizationLevel}, ${r.runs} runs after ${r.warmup} warm-up${p.fp32 && p.int8 ? ', fp32 and int8 runs interleaved' : ''}${r.fromCache ? ' (cached)' : ''}`,
  );
  lines.push(`  ISA: ${r.isa && r.isa.length ? r.isa.join(', ') : 'unknown'}`);
  const row = (name: string, f: { latencyMs: { median: number; p90: number; min: number }; fps: number }) =>
    `  ${name}: median ${ms(f.latencyMs.median)} · p90 ${ms(f.latencyMs.p90)} · min ${ms(f.latencyMs.min)} · ${f.fps.toFixed(1)} FPS`;
  if (p.fp32) lines.push(row('fp32', p.fp32));
  const q = p.int8;
  if (q) {
    lines.push(row('int8', q) + (p.fp32 ? `  (${(q.latencyMs.median / p.fp32.latencyMs.median).toFixed(2)}× fp32)` : ''));
    lines.push(`  int8: ${q.quantizedConvs}/${q.totalConvs} convs in int8, ${q.quantizedAdds}/${q.totalAdds} adds${q.fp32Convs.length ? `; in fp32: ${q.fp32Convs.join(', ')}` : ''}`);
    const c = q.calibration;
    lines.push(
      `  calibration: ${c.samples} ${c.source === 'files' ? 'of your inputs' : 'seeded random inputs'}, ${c.method}${c.percentile !== undefined ? ` ${c.percentile}%` : ''}, ${(c.ms / 1000).toFixed(2)} s${c.skipped?.length ? `; skipped ${c.skipped.length}: ${c.skipped.slice(0, 3).join('; ')}` : ''}`,
    );
  }
  const stages = (p.fp32 ?? q)!.stages;
  if (stages.length) {
    const head = ['part', ...(p.fp32 ? ['fp32'] : []), ...(q ? ['int8', 'SQNR', 'cosine'] : []), 'MMACs'];
    const rows: string[][] = [head];
    const mm = (m: number | null) => (m === null ? '?' : (m / 1e6).toFixed(1));
    const part = (name: string, f32: PartLatency | null | undefined, i8: PartLatency | null | undefined, err: { sqnrDb: number | null; cosine: number | null } | undefined, macs: number | null) =>
      rows.push([
        name,
        ...(p.fp32 ? [f32 ? ms(f32.latencyMs) : '?'] : []),
        ...(q ? [i8 ? ms(i8.latencyMs) : '?', err ? db(err.sqnrDb) : '', err ? (err.cosine === null ? '—' : err.cosine.toFixed(4)) : ''] : []),
        mm(macs),
      ]);
    part('stem', p.fp32?.stem, q?.stem, undefined, stemMacs);
    for (const s of stages) part(`stage ${s.index}`, p.fp32?.stages.find((x) => x.index === s.index), q?.stages.find((x) => x.index === s.index), q?.error.stages.find((e) => e.index === s.index), stageMacs[s.index] ?? null);
    if (p.fp32?.head || q?.head) part('head', p.fp32?.head, q?.head, q?.error.output ?? undefined, headMacs);
    const w = head.map((_, i) => Math.max(...rows.map((rr) => rr[i].length)));
    lines.push('');
    rows.forEach((rr, i) => lines.push('  ' + rr.map((cell, j) => pad(cell, w[j], i > 0 && j > 0)).join('  ')));
    lines.push('  (per-part shares from ORT profiling, scaled to the median latency)');
    if (q) lines.push(`  (SQNR and cosine: each stage's int8 output against fp32 on ${q.error.samples} inputs; ${q.error.note})`);
  }
  lines.push('');
  lines.push(`  ${r.note}`);
  return lines.join('\n') + '\n';
}

/** `mvg perf` (args without "perf"): resolves to the exit code. Usage and input errors are thrown as for every command. */
export async function perfCommand(args: string[], io: CliIO, signal?: AbortSignal): Promise<number> {
  const p = parseArgs(args, PERF_FLAGS, 'perf');
  if (flagSet(p, 'help')) {
    io.stdout(PERF_HELP);
    return EXIT_OK;
  }
  if (p.positionals.length === 0) throw new UsageError('no config file given', 'perf');
  if (p.positionals.length > 1) throw new UsageError(`one config file at a time (got ${p.positionals.length})`, 'perf');
  const opt = flagString(p, 'opt');
  if (opt !== undefined && !GRAPH_OPT_LEVELS.includes(opt as GraphOptimizationLevel)) {
    throw new UsageError(`--opt must be one of ${GRAPH_OPT_LEVELS.join(', ')} (got '${opt}')`, 'perf');
  }
  const onnx = flagString(p, 'onnx');
  if (onnx === '') throw new UsageError('--onnx needs a file name', 'perf');
  const precision = (flagString(p, 'precision') ?? 'fp32') as PrecisionChoice;
  if (!PRECISION_CHOICES.includes(precision)) throw new UsageError(`--precision must be one of ${PRECISION_CHOICES.join(', ')} (got '${precision}')`, 'perf');
  const method = flagString(p, 'calibration-method') as CalibrationMethod | undefined;
  if (method !== undefined && !CALIBRATION_METHODS.includes(method)) throw new UsageError(`--calibration-method must be one of ${CALIBRATION_METHODS.join(', ')} (got '${method}')`, 'perf');
  const pctText = flagString(p, 'calibration-percentile');
  let percentile: number | undefined;
  if (pctText !== undefined) {
    percentile = Number(pctText);
    if (pctText.trim() === '' || !isCalibrationPercentile(percentile)) throw new UsageError(`--calibration-percentile must be a number above 50 and at most 100 (got '${pctText}')`, 'perf');
    if (method !== 'percentile') throw new UsageError('--calibration-percentile needs --calibration-method percentile', 'perf');
  }
  const calibDir = flagString(p, 'calibration-data');
  const calibSamples = flagInt(p, 'calibration-samples', 1, 'perf');
  if (precision === 'fp32' && (calibDir !== undefined || method !== undefined || calibSamples !== undefined))
    throw new UsageError('--calibration-* options need --precision int8 or both', 'perf');
  let files: string[] | undefined;
  if (calibDir !== undefined) {
    const listed = await listCalibrationFiles(path.resolve(io.cwd, calibDir));
    if ('error' in listed) throw new InputError(`--calibration-data: ${listed.error}`);
    files = listed.files;
  }
  const batch = flagInt(p, 'batch', 1, 'perf');
  const timeoutSec = flagInt(p, 'timeout', 1, 'perf');
  const opts: MeasureOptions = {
    batch,
    threads: flagInt(p, 'threads', 1, 'perf'),
    runs: flagInt(p, 'runs', 1, 'perf'),
    warmup: flagInt(p, 'warmup', 0, 'perf'),
    graphOptimizationLevel: opt as GraphOptimizationLevel | undefined,
    timeoutMs: timeoutSec !== undefined ? timeoutSec * 1000 : undefined,
    profile: !flagSet(p, 'no-profile'),
    ...(precision !== 'fp32' ? { precision, calibration: { method, percentile, samples: calibSamples, files } } : {}),
  };
  const json = flagSet(p, 'json');
  const shown = p.positionals[0];
  const text = stripBom(readText({ display: shown, abs: path.resolve(io.cwd, shown) }));
  const net = analyze(text).network;
  if (!net) throw new InputError(`${shown}: no MixVarGENet net_config found`);
  const blockers = onnxBlockers(net);
  if (blockers.length) {
    throw new InputError(`${shown}: the network cannot be built, so it cannot be timed:\n${blockers.map((b) => `  - ${b}\n`).join('')}(run 'mvg lint ${shown}' for details)`);
  }
  const tooBig = sizeProblem(planSize(net), batch ?? 1);
  if (tooBig) throw new InputError(`${shown}: not timed: ${tooBig}`);
  if (onnx) {
    const written: string[] = [];
    if (precision !== 'int8') {
      fs.writeFileSync(path.resolve(io.cwd, onnx), buildOnnx(net, { batch }));
      written.push(onnx);
    }
    // The int8 model is written by the measurement, once it is calibrated.
    if (precision !== 'fp32') opts.saveInt8OnnxTo = path.resolve(io.cwd, precision === 'int8' ? onnx : int8Name(onnx));
    if (!json && written.length) io.stderr(`wrote ${written.join(', ')}\n`);
  }
  // --batch B > 1: the per-stage table at batch B, and the totals at batch 1 as well (`batches`).
  const r = await measureBatches(net, opts, 1, signal);
  if (r.ok && onnx && precision !== 'fp32' && !json) io.stderr(`wrote ${precision === 'int8' ? onnx : int8Name(onnx)} (int8, QDQ)\n`);
  if (!r.ok) {
    if (json) io.stdout(JSON.stringify({ file: shown, ok: false, kind: r.kind, error: r.error, stderr: r.stderr }, null, 2) + '\n');
    io.stderr(`mvg perf: ${shown}: ${r.kind}: ${r.error}\n${r.stderr ? r.stderr + '\n' : ''}`);
    return r.kind === 'invalid' ? EXIT_USAGE : EXIT_FINDINGS;
  }
  const stageMacs = net.stages.map((s) => s.macs);
  const headMacs = net.head && net.args.includeTop ? net.head.macs : null;
  if (json) {
    const out = {
      file: shown,
      ...r,
      params: net.params,
      stages: r.stages.map((s) => ({ ...s, macs: stageMacs[s.index] ?? null })),
      stem: r.stem ? { ...r.stem, macs: net.stem?.macs ?? null } : null,
      head: r.head ? { ...r.head, macs: headMacs } : null,
    };
    io.stdout(JSON.stringify(out, null, 2) + '\n');
  } else io.stdout(r.precisions ? formatPrecisions(shown, r, stageMacs, net.stem?.macs ?? null, headMacs) : formatPerf(shown, r, stageMacs, net.stem?.macs ?? null, headMacs));
  return EXIT_OK;
}
