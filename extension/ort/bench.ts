/**
 * `npm run bench` part of issue 5: ORT median latency of a config (the seed by default) at batch 1 with
 * 1 and 2 threads, and the achieved GMAC/s against this machine's fp32 peak.
 *
 * The fp32 peak, in multiply-accumulates per second (one FMA = one MAC):
 *
 *   peak = threads used × FMA pipes per core × fp32 lanes per FMA × clock
 *
 * - fp32 lanes from the widest SIMD the CPU flags show: avx512f → 16, avx2 + fma → 8, else sse → 4.
 * - FMA pipes per core that can issue at that width every cycle: 2 for current x86 server cores at
 *   256 bit (Haswell and later, Zen 1-4 execute 512-bit ops as two 256-bit halves, so 16 lanes per cycle
 *   there = 2 × 8). With AVX-512: Intel server cores have 2 × 512-bit FMA (1 on some Silver/Bronze
 *   and client parts), AMD Zen 5 (family 0x1A) has 2 × 512-bit, Zen 4 (family 0x19) 2 × 256-bit.
 *   Without FMA (sse only), one add and one multiply per cycle count as one MAC per lane.
 * - clock: the highest of cpuinfo_max_freq (sysfs), "cpu MHz" and bogomips / 2 (the TSC rate in a VM);
 *   turbo is not visible in a VM, so the real peak may be higher.
 * The figure is a ceiling: a conv network at batch 1 reaches a small fraction of it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import { analyze } from '../core/analyze';
import { uniformArray } from '../core/onnx/random';
import { measure, type PerfResult } from './measure';

export interface CpuPeak {
  model: string;
  vendor: string;
  family: number | null;
  simd: 'avx512' | 'avx2' | 'avx' | 'sse';
  /** fp32 lanes of one FMA. */
  lanes: number;
  /** FMA pipes per core at that width. */
  fmaPipes: number;
  /** fp32 MACs per cycle per core. */
  macsPerCycle: number;
  ghz: number;
  cores: number;
  /** Peak fp32 GMAC/s of one core. */
  perCoreGmacPerSec: number;
  /** How the numbers were found. */
  how: string;
}

/** Estimate the fp32 peak from /proc/cpuinfo (text may be passed for tests). */
export function cpuPeak(cpuinfo?: string, maxFreqKHz?: number | null): CpuPeak {
  let text = cpuinfo;
  if (text === undefined) {
    try {
      text = fs.readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      text = '';
    }
  }
  if (maxFreqKHz === undefined) {
    try {
      maxFreqKHz = Number(fs.readFileSync('/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq', 'utf8').trim()) || null;
    } catch {
      maxFreqKHz = null;
    }
  }
  const field = (k: string) => new RegExp(`^${k}\\s*:\\s*(.*)$`, 'm').exec(text!)?.[1]?.trim();
  const flags = new Set((field('flags') ?? '').split(/\s+/));
  const vendor = field('vendor_id') ?? os.arch();
  const fam = field('cpu family');
  const family = fam !== undefined ? Number(fam) : null;
  const model = field('model name') ?? os.cpus()[0]?.model ?? 'unknown CPU';
  const cores = (text.match(/^processor\s*:/gm) ?? []).length || os.cpus().length;

  let simd: CpuPeak['simd'] = 'sse';
  if (flags.has('avx512f')) simd = 'avx512';
  else if (flags.has('avx2') && flags.has('fma')) simd = 'avx2';
  else if (flags.has('avx')) simd = 'avx';
  const lanes = simd === 'avx512' ? 16 : simd === 'avx2' || simd === 'avx' ? 8 : 4;
  let fmaPipes = 2;
  let why: string;
  if (simd === 'avx512') {
    if (vendor === 'AuthenticAMD' && family !== null && family < 0x1a) {
      fmaPipes = 1; // Zen 4: 512-bit ops run as two 256-bit halves on its two 256-bit FMA pipes
      why = 'AMD Zen 4: AVX-512 on 2 × 256-bit FMA pipes = 1 × 512-bit per cycle';
    } else if (vendor === 'AuthenticAMD') why = 'AMD Zen 5 (family 0x1A): 2 × 512-bit FMA pipes';
    else why = 'AVX-512 with 2 × 512-bit FMA pipes (Xeon Gold/Platinum class; Silver/Bronze have 1)';
  } else if (simd === 'avx2') why = '2 × 256-bit FMA pipes';
  else if (simd === 'avx') {
    fmaPipes = 1;
    why = 'AVX without FMA: 1 add + 1 multiply per cycle';
  } else {
    fmaPipes = 1;
    why = 'SSE: 1 add + 1 multiply per cycle';
  }
  const mhz = Number(field('cpu MHz') ?? 0) || 0;
  const bogo = Number(field('bogomips') ?? 0) || 0;
  const candidates: [number, string][] = [
    [maxFreqKHz ? maxFreqKHz / 1e6 : 0, 'cpuinfo_max_freq'],
    [mhz / 1000, 'cpu MHz'],
    [bogo / 2000, 'bogomips / 2'],
    [(os.cpus()[0]?.speed ?? 0) / 1000, 'os.cpus() speed'],
  ];
  const [ghz, src] = candidates.reduce((a, b) => (b[0] > a[0] ? b : a));
  const macsPerCycle = fmaPipes * lanes;
  return {
    model,
    vendor,
    family,
    simd,
    lanes,
    fmaPipes,
    macsPerCycle,
    ghz,
    cores,
    perCoreGmacPerSec: macsPerCycle * ghz,
    how: `${simd} (${lanes} fp32 lanes) × ${fmaPipes} FMA pipe${fmaPipes === 1 ? '' : 's'} (${why}) = ${macsPerCycle} MAC/cycle/core, × ${ghz.toFixed(2)} GHz (${src}; turbo not counted)`,
  };
}

export interface BenchRow {
  threads: number;
  medianMs: number;
  p90Ms: number;
  minMs: number;
  fps: number;
  gmacPerSec: number;
  peakGmacPerSec: number;
  /** achieved / peak. */
  efficiency: number;
}

export interface PerfBench {
  file: string;
  macs: number;
  batch: number;
  ortVersion: string;
  peak: CpuPeak;
  rows: BenchRow[];
  /** A measured ceiling: ORT's own SGEMM (MatMul n x n x n) GMAC/s per thread count. */
  gemm: { threads: number; n: number; gmacPerSec: number }[];
  error?: string;
}

/** An ONNX model of one MatMul: input A [n, n] times a constant B [n, n]. */
export function matmulModel(n: number): Uint8Array {
  const F = onnx.TensorProto.DataType.FLOAT;
  const vi = (name: string) => ({ name, type: { tensorType: { elemType: F, shape: { dim: [{ dimValue: n }, { dimValue: n }] } } } });
  const b = uniformArray(n * n, 3);
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'gemm',
      node: [{ name: 'gemm', opType: 'MatMul', input: ['a', 'b'], output: ['c'] }],
      initializer: [{ name: 'b', dataType: F, dims: [n, n], rawData: new Uint8Array(b.buffer) }],
      input: [vi('a')],
      output: [vi('c')],
    },
  }).finish();
}

/** ORT's SGEMM rate (GMAC/s): what its best kernel reaches on this machine, a practical fp32 ceiling. */
export async function gemmCeiling(threads: number, n = 1024, runs = 10, workerPath?: string): Promise<number | null> {
  const r = await measure(matmulModel(n), { threads, runs, warmup: 2, profile: false, cache: false, timeoutMs: 120_000, workerPath });
  // The best run: a ceiling, not a typical rate (other load only slows runs down).
  return r.ok ? n ** 3 / (r.latencyMs.min / 1000) / 1e9 : null;
}

/** Time `file` (default: the seed config) at batch 1 with each thread count. */
export async function benchPerf(
  options: {
    file?: string;
    threads?: number[];
    runs?: number;
    warmup?: number;
    /** Repository root (for the default file and the report's relative path). */
    root?: string;
    /** Also time ORT's SGEMM as a measured ceiling (default true). */
    gemm?: boolean;
    /** The timing worker, when this module is bundled away from it (e.g. dist/perf-worker.js). */
    workerPath?: string;
  } = {},
): Promise<PerfBench> {
  const root = options.root ?? findRoot();
  const file = options.file ?? path.join(root, 'examples', 'configs', 'mixvargenet_imagenet.py');
  const an = analyze(fs.readFileSync(file, 'utf8'));
  const net = an.network;
  const peak = cpuPeak();
  const base: PerfBench = { file: path.relative(root, file), macs: net?.macs ?? 0, batch: 1, ortVersion: '', peak, rows: [], gemm: [] };
  if (!net || net.macs === null) return { ...base, error: 'the network cannot be built' };
  const threadList = options.threads ?? [...new Set([1, Math.min(2, os.cpus().length)])];
  for (const t of threadList) {
    const r = await measure(net, { batch: 1, threads: t, runs: options.runs ?? 30, warmup: options.warmup ?? 5, profile: false, cache: false, workerPath: options.workerPath });
    if (!r.ok) return { ...base, error: `${t} thread(s): ${r.kind}: ${r.error}` };
    base.ortVersion = r.ortVersion;
    base.rows.push(row(r, net.macs, peak, t));
  }
  if (options.gemm !== false) {
    for (const t of threadList) {
      const g = await gemmCeiling(t, 1024, 10, options.workerPath);
      if (g !== null) base.gemm.push({ threads: t, n: 1024, gmacPerSec: g });
    }
  }
  return base;
}

function row(r: PerfResult, macs: number, peak: CpuPeak, threads: number): BenchRow {
  const gmacPerSec = (r.batch * macs) / (r.latencyMs.median / 1000) / 1e9;
  const peakGmacPerSec = peak.perCoreGmacPerSec * Math.min(threads, peak.cores);
  return {
    threads,
    medianMs: r.latencyMs.median,
    p90Ms: r.latencyMs.p90,
    minMs: r.latencyMs.min,
    fps: r.fps,
    gmacPerSec,
    peakGmacPerSec,
    efficiency: gmacPerSec / peakGmacPerSec,
  };
}

export function formatPerfBench(b: PerfBench): string {
  const lines = [`ONNX Runtime (onnxruntime-node ${b.ortVersion || '?'}) on ${b.peak.model}: ${b.file}, batch ${b.batch}, ${(b.macs / 1e9).toFixed(4)} GMAC per image`];
  if (b.error) lines.push(`  failed: ${b.error}`);
  for (const r of b.rows) {
    lines.push(
      `  ${r.threads} thread${r.threads === 1 ? ' ' : 's'}: median ${r.medianMs.toFixed(2)} ms (p90 ${r.p90Ms.toFixed(2)}, min ${r.minMs.toFixed(2)}), ${r.fps.toFixed(1)} FPS, ` +
        `${r.gmacPerSec.toFixed(1)} GMAC/s = ${(100 * r.efficiency).toFixed(1)}% of the ${r.peakGmacPerSec.toFixed(0)} GMAC/s fp32 peak of ${r.threads} core${r.threads === 1 ? '' : 's'}`,
    );
  }
  for (const g of b.gemm) {
    const row = b.rows.find((r) => r.threads === g.threads);
    lines.push(
      `  ORT SGEMM ${g.n}³ with ${g.threads} thread${g.threads === 1 ? '' : 's'}: ${g.gmacPerSec.toFixed(1)} GMAC/s` +
        (row ? ` (the network reaches ${((100 * row.gmacPerSec) / g.gmacPerSec).toFixed(0)}% of it)` : ''),
    );
  }
  lines.push(`  fp32 peak: ${b.peak.how}`);
  return lines.join('\n') + '\n';
}

function findRoot(): string {
  let d = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(d, 'package.json')) && fs.existsSync(path.join(d, 'examples'))) return d;
    d = path.dirname(d);
  }
  return process.cwd();
}

export interface Int8Bench {
  file: string;
  threads: number;
  runs: number;
  fp32: { medianMs: number; minMs: number } | null;
  int8: { medianMs: number; minMs: number } | null;
  /** int8 median / fp32 median, both from the same process with their runs interleaved. */
  ratio: number | null;
  quantizedConvs: number;
  totalConvs: number;
  fp32Convs: string[];
  calibration: { samples: number; method: string; ms: number; cpuMs: number } | null;
  outputSqnrDb: number | null;
  worstStageSqnrDb: number | null;
  isa: string[];
  error?: string;
}

/** The issue-15 goals: int8 beside fp32 at batch 1 (default 2 threads), fused convs, calibration time, output SQNR. */
export async function benchInt8(options: { file?: string; threads?: number; runs?: number; root?: string; workerPath?: string; saveInt8OnnxTo?: string } = {}): Promise<Int8Bench> {
  const root = options.root ?? findRoot();
  const file = options.file ?? path.join(root, 'examples', 'configs', 'mixvargenet_imagenet.py');
  const threads = options.threads ?? 2;
  const runs = options.runs ?? 40;
  const base: Int8Bench = { file: path.relative(root, file), threads, runs, fp32: null, int8: null, ratio: null, quantizedConvs: 0, totalConvs: 0, fp32Convs: [], calibration: null, outputSqnrDb: null, worstStageSqnrDb: null, isa: [] };
  const net = analyze(fs.readFileSync(file, 'utf8')).network;
  if (!net) return { ...base, error: 'the network cannot be built' };
  const r = await measure(net, { batch: 1, threads, runs, warmup: 5, profile: false, cache: false, precision: 'both', workerPath: options.workerPath, saveInt8OnnxTo: options.saveInt8OnnxTo });
  if (!r.ok) return { ...base, error: `${r.kind}: ${r.error}` };
  const f = r.precisions!.fp32!;
  const q = r.precisions!.int8!;
  const stages = q.error.stages.map((e) => e.sqnrDb).filter((x): x is number => x !== null);
  return {
    ...base,
    fp32: { medianMs: f.latencyMs.median, minMs: f.latencyMs.min },
    int8: { medianMs: q.latencyMs.median, minMs: q.latencyMs.min },
    ratio: q.latencyMs.median / f.latencyMs.median,
    quantizedConvs: q.quantizedConvs,
    totalConvs: q.totalConvs,
    fp32Convs: q.fp32Convs,
    calibration: { samples: q.calibration.samples, method: q.calibration.method, ms: q.calibration.ms, cpuMs: q.calibration.cpuMs },
    outputSqnrDb: q.error.output?.sqnrDb ?? null,
    worstStageSqnrDb: stages.length ? Math.min(...stages) : null,
    isa: r.isa ?? [],
  };
}

export function formatInt8Bench(b: Int8Bench): string {
  const lines = [`int8 (QDQ) beside fp32: ${b.file}, batch 1, ${b.threads} threads, ${b.runs} runs each, interleaved in one process; CPU: ${b.isa.join(', ') || '?'}`];
  if (b.error) return lines.concat(`  failed: ${b.error}`).join('\n') + '\n';
  const goal = (ok: boolean) => (ok ? 'met' : 'NOT met');
  lines.push(`  fp32 median ${b.fp32!.medianMs.toFixed(2)} ms (min ${b.fp32!.minMs.toFixed(2)}), int8 median ${b.int8!.medianMs.toFixed(2)} ms (min ${b.int8!.minMs.toFixed(2)})`);
  lines.push(`  int8 / fp32 median = ${b.ratio!.toFixed(2)}× (min ${(b.int8!.minMs / b.fp32!.minMs).toFixed(2)}×) — goal ≤ 0.60×: ${goal(b.ratio! <= 0.6)}`);
  lines.push(`  convs in int8: ${b.quantizedConvs}/${b.totalConvs}${b.fp32Convs.length ? ` (fp32: ${b.fp32Convs.join(', ')})` : ''} — goal all: ${goal(b.quantizedConvs === b.totalConvs)}`);
  lines.push(
    `  calibration: ${b.calibration!.samples} seeded inputs (${b.calibration!.method}) in ${(b.calibration!.ms / 1000).toFixed(2)} s wall, ${(b.calibration!.cpuMs / 1000).toFixed(2)} s CPU (${b.threads} ORT threads) — goal ≤ 2 s: ${goal(b.calibration!.ms <= 2000)}${b.calibration!.ms > 2000 ? ' (on a busy machine the wall time is inflated; the CPU time is what the work costs)' : ''}`,
  );
  lines.push(`  int8 vs fp32: output SQNR ${b.outputSqnrDb?.toFixed(1) ?? '—'} dB, worst stage ${b.worstStageSqnrDb?.toFixed(1) ?? '—'} dB`);
  return lines.join('\n') + '\n';
}
