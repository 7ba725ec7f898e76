/**
 * `mvg perf FILE [--batch B] [--threads T] [--runs N] [--warmup W] [--opt LEVEL] [--timeout SEC]
 *                [--no-profile] [--onnx OUT] [--json]`
 *
 * Builds the config's network as ONNX (optionally writing it), times it with onnxruntime-node in a
 * child process, and prints the totals and the per-stage table (or JSON).
 * Exit codes: 0 measured, 1 the measurement failed (ORT error, crash, timeout), 2 bad usage or a config
 * whose network cannot be built, 3 internal error.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../core/analyze';
import { buildOnnx, onnxBlockers } from '../core/onnx/build';
import { GRAPH_OPT_LEVELS, type GraphOptimizationLevel } from './protocol';
import { defaultThreads, measureBatches, type MeasureOptions, type PerfResult } from './measure';

export interface PerfIO {
  out(s: string): void;
  err(s: string): void;
  /** Relative paths resolve against it (default process.cwd()). */
  cwd?: string;
}

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
  --onnx OUT       also write the ONNX model (batch dimension symbolic unless --batch is given)
  --json           print the result as JSON

The number is a relative CPU guide, not J5 BPU latency.
`;

interface PerfArgs {
  file: string;
  batch?: number;
  threads?: number;
  runs?: number;
  warmup?: number;
  opt?: GraphOptimizationLevel;
  timeoutSec?: number;
  profile: boolean;
  onnx?: string;
  json: boolean;
  help: boolean;
}

class Usage extends Error {}

function parse(args: string[]): PerfArgs {
  const r: PerfArgs = { file: '', profile: true, json: false, help: false };
  const files: string[] = [];
  const intOpt = (name: string, v: string | undefined, min: number): number => {
    if (v === undefined) throw new Usage(`${name} needs a value`);
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Usage(`${name} must be an integer >= ${min} (got '${v}')`);
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    let a = args[i];
    let val: string | undefined;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0) {
      val = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    const next = () => (val !== undefined ? val : args[++i]);
    switch (a) {
      case '--batch':
        r.batch = intOpt(a, next(), 1);
        break;
      case '--threads':
        r.threads = intOpt(a, next(), 1);
        break;
      case '--runs':
        r.runs = intOpt(a, next(), 1);
        break;
      case '--warmup':
        r.warmup = intOpt(a, next(), 0);
        break;
      case '--timeout':
        r.timeoutSec = intOpt(a, next(), 1);
        break;
      case '--opt': {
        const v = next();
        if (!GRAPH_OPT_LEVELS.includes(v as GraphOptimizationLevel)) throw new Usage(`--opt must be one of ${GRAPH_OPT_LEVELS.join(', ')} (got '${v}')`);
        r.opt = v as GraphOptimizationLevel;
        break;
      }
      case '--onnx': {
        const v = next();
        if (!v) throw new Usage('--onnx needs a file name');
        r.onnx = v;
        break;
      }
      case '--json':
        r.json = true;
        break;
      case '--no-profile':
        r.profile = false;
        break;
      case '--help':
      case '-h':
        r.help = true;
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new Usage(`unknown option '${a}'`);
        files.push(a);
    }
  }
  if (!r.help) {
    if (files.length === 0) throw new Usage('no config file given');
    if (files.length > 1) throw new Usage(`one config file at a time (got ${files.length})`);
  }
  r.file = files[0] ?? '';
  return r;
}

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

/** Run `mvg perf` (args without "perf"); resolves to the exit code, never rejects. */
export async function runPerfCli(args: string[], io: PerfIO, signal?: AbortSignal): Promise<number> {
  let a: PerfArgs;
  try {
    a = parse(args);
  } catch (e) {
    if (e instanceof Usage) {
      io.err(`mvg perf: ${e.message}\n\n${PERF_HELP}`);
      return 2;
    }
    throw e;
  }
  if (a.help) {
    io.out(PERF_HELP);
    return 0;
  }
  try {
    const file = path.resolve(io.cwd ?? process.cwd(), a.file);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    } catch (e) {
      io.err(`mvg perf: cannot read ${a.file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
      return 2;
    }
    const an = analyze(text);
    const net = an.network;
    if (!net) {
      io.err(`mvg perf: ${a.file}: no MixVarGENet net_config found\n`);
      return 2;
    }
    const blockers = onnxBlockers(net);
    if (blockers.length) {
      io.err(`mvg perf: ${a.file}: the network cannot be built, so it cannot be timed:\n${blockers.map((b) => `  - ${b}\n`).join('')}(run 'mvg lint ${a.file}' for details)\n`);
      return 2;
    }
    if (a.onnx) {
      const out = path.resolve(io.cwd ?? process.cwd(), a.onnx);
      fs.writeFileSync(out, buildOnnx(net, { batch: a.batch }));
      if (!a.json) io.err(`wrote ${a.onnx}\n`);
    }
    const opts: MeasureOptions = {
      batch: a.batch,
      threads: a.threads,
      runs: a.runs,
      warmup: a.warmup,
      graphOptimizationLevel: a.opt,
      timeoutMs: a.timeoutSec !== undefined ? a.timeoutSec * 1000 : undefined,
      profile: a.profile,
    };
    // --batch B > 1: the per-stage table at batch B, and the totals at batch 1 as well (`batches`).
    const r = await measureBatches(net, opts, 1, signal);
    if (!r.ok) {
      if (a.json) io.out(JSON.stringify({ file: a.file, ok: false, kind: r.kind, error: r.error, stderr: r.stderr }, null, 2) + '\n');
      io.err(`mvg perf: ${a.file}: ${r.kind}: ${r.error}\n${r.stderr ? r.stderr + '\n' : ''}`);
      return r.kind === 'invalid' ? 2 : 1;
    }
    const stageMacs = net.stages.map((s) => s.macs);
    const headMacs = net.head && net.args.includeTop ? net.head.macs : null;
    if (a.json) {
      const json = {
        file: a.file,
        ...r,
        params: net.params,
        stages: r.stages.map((s) => ({ ...s, macs: stageMacs[s.index] ?? null })),
        stem: r.stem ? { ...r.stem, macs: net.stem?.macs ?? null } : null,
        head: r.head ? { ...r.head, macs: headMacs } : null,
      };
      io.out(JSON.stringify(json, null, 2) + '\n');
    } else io.out(formatPerf(a.file, r, stageMacs, net.stem?.macs ?? null, headMacs));
    return 0;
  } catch (e) {
    io.err(`mvg perf: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 3;
  }
}
