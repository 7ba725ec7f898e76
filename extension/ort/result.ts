/** What a measurement returns: the result (cached by PerfCache), a failure, and the progress it reports. */
import type { GraphOptimizationLevel, OutputSummary, Precision } from './protocol';

export interface MeasureProgress {
  phase: 'cache' | 'build' | 'spawned' | 'loaded' | 'session' | 'warmup' | 'timing' | 'profiling' | 'calibrating' | 'comparing';
  /** Set by measureBatches() on the progress of its second measurement (the batch it times). */
  batch?: number;
  pid?: number;
  done?: number;
  total?: number;
}

export interface PartLatency {
  /** Share of the profiled kernel time (0..1). */
  share: number;
  /** share × median latency. */
  latencyMs: number;
}

export interface StageLatency extends PartLatency {
  index: number;
  blocks: (PartLatency & { index: number })[];
  /** Share of the stage's downsample chain (part of `share`). */
  downsampleShare: number;
}

export interface PerfResult {
  ok: true;
  latencyMs: { median: number; p90: number; min: number; max: number; mean: number };
  /** Images per second at the median latency. */
  fps: number;
  batch: number;
  threads: number;
  runs: number;
  warmup: number;
  ortVersion: string;
  graphOptimizationLevel: GraphOptimizationLevel;
  /** Session creation (graph optimisation included), ms. */
  sessionMs: number;
  device: string;
  /** Per-stage time (empty without profiling). */
  stages: StageLatency[];
  stem: PartLatency | null;
  head: PartLatency | null;
  /** Per-node kernel times per run (µs), when profiled. */
  nodes?: { name: string; op: string; usPerRun: number }[];
  outputs: OutputSummary[];
  /** MACs of one image (from the network), when measured from a Network. */
  macs: number | null;
  /** batch × macs / median latency, GMAC/s. */
  gmacPerSec: number | null;
  modelHash: string;
  cacheKey: string;
  fromCache: boolean;
  measuredAt: string;
  note: string;
  /**
   * Set by measureBatches(): the figures at batch 1 and at the user-set batch, each timed on its own
   * (ascending batch). Absent when only one batch was measured.
   */
  batches?: BatchFigures[];
  /** Set by measureBatches() when the other batch could not be measured (this result stands). */
  batchesError?: string;
  /** The precision of the figures above (absent: fp32, as before precisions existed). */
  precision?: Precision;
  /** With precision int8 or both: each precision's figures (timed in one process, runs interleaved). */
  precisions?: { fp32?: PrecisionFigures; int8?: Int8Figures };
  /** The CPU's vector extensions that matter for int8 (from /proc/cpuinfo), when precisions were measured. */
  isa?: string[];
}

/** One precision's totals and per-part times. */
export interface PrecisionFigures {
  latencyMs: { median: number; p90: number; min: number };
  fps: number;
  gmacPerSec: number | null;
  sessionMs: number;
  stages: StageLatency[];
  stem: PartLatency | null;
  head: PartLatency | null;
}

/** int8: what ORT fused, how it was calibrated, and how far each stage's output is from fp32. */
export interface Int8Figures extends PrecisionFigures {
  /** QLinearConv nodes in ORT's optimised model. */
  quantizedConvs: number;
  totalConvs: number;
  /** Convs ORT left in float (conv ids where the node name says which). */
  fp32Convs: string[];
  quantizedAdds: number;
  totalAdds: number;
  calibration: { samples: number; method: 'minmax' | 'percentile'; percentile?: number; source: 'seeded' | 'files'; ms: number; cpuMs: number; skipped?: string[] };
  error: {
    samples: number;
    note: string;
    /** Per stage: SQNR (dB) and cosine similarity of its output, int8 against fp32 (null: undefined, e.g. no error at all). */
    stages: { index: number; sqnrDb: number | null; cosine: number | null }[];
    /** The network's output (logits or the first stage output). */
    output: { sqnrDb: number | null; cosine: number | null } | null;
  };
}

/** The totals of one batch size. */
export interface BatchFigures {
  batch: number;
  latencyMs: { median: number; p90: number; min: number };
  /** Images per second at the median latency. */
  fps: number;
  fromCache: boolean;
}

export interface PerfFailure {
  ok: false;
  /** 'miss': a `cacheOnly` lookup found nothing. */
  kind: 'aborted' | 'timeout' | 'crash' | 'error' | 'invalid' | 'miss' | 'memory';
  error: string;
  /** Last lines the worker wrote to stderr. */
  stderr?: string;
}

export type MeasureOutcome = PerfResult | PerfFailure;
