/**
 * Pure parsers for what HAT's tools print (MIXVARGENET.md §5): train, predict, compile_perf (HBDK3 and HBDK4
 * summaries), hrt_model_exec perf, AI Benchmark, and failures (the per-rank traceback collapsed to one root cause).
 *
 * They never throw: unknown or partial output is reported as such.
 */
import { parsePython } from '../python/parse';
import { evaluateModule } from '../python/evaluate';
import type { Value } from '../python/values';

export type LogKind = 'train' | 'predict' | 'compile_perf' | 'hrt_perf' | 'ai_benchmark' | 'unknown';

export interface TrainProgress {
  epoch: number;
  stepFrom?: number;
  stepTo?: number;
  costSeconds?: number;
  samplesPerSec?: number;
  /** Remaining time in seconds. */
  remainingSeconds?: number;
  remainingText?: string;
}

export interface StepMetrics {
  epoch: number;
  step: number;
  globalStep: number;
  prefix: string;
  metrics: Record<string, number>;
}

export interface Validation {
  epoch: number;
  task: string;
  metrics: Record<string, number>;
  /** The metric a person calls "accuracy": accuracy, else top-1-like, else the first. */
  accuracy?: number;
  line: number;
}

export interface CompilePerf {
  fps?: number;
  latencyUs?: number;
  latencyMs?: number;
  ddrMBPerFrame?: number;
  bpuOpsPerFrame?: number;
  framesPerRun?: number;
  hbdkVersion?: string;
  march?: string;
  htmlFile?: string;
  layerDetails?: { header: string[]; rows: (string | number)[][] };
  /** 'hbdk3' (J5, flat summary) or 'hbdk4' (J6, summary.performance). */
  shape?: 'hbdk3' | 'hbdk4';
}

export interface BoardPerf {
  source: 'hrt_model_exec' | 'ai_benchmark';
  fps?: number;
  avgLatencyMs?: number;
  totalLatencyMs?: number;
  maxLatencyMs?: number;
  minLatencyMs?: number;
  threads?: number;
  frameCount?: number;
  coreNumber?: number;
  runTimeMs?: number;
}

export interface Failure {
  /** Exception class, e.g. KeyError. */
  exception: string;
  message: string;
  /** Innermost-last frames of the traceback. */
  frames: { file: string; line: number; func: string; code?: string }[];
  /** GPU ranks that printed it (the traceback collapsed). */
  ranks: number[];
  /** How many times it was printed. */
  repeats: number;
  /** The innermost frame inside a config file (…/configs/….py), if any. */
  configFrame?: { file: string; line: number };
  /** A quoted value in the message, e.g. the op name of a KeyError. */
  quotedValue?: string;
}

export interface LogReport {
  kinds: LogKind[];
  /** Stage from banners (FLOAT, CALIBRATION, QAT, INT_INFER, …). */
  stage?: string;
  progress: TrainProgress[];
  steps: StepMetrics[];
  lrs: { epoch: number; step: number; globalStep: number; lr: number }[];
  validations: Validation[];
  checkpoints: string[];
  predictProgress?: { done: number; total: number };
  compile?: CompilePerf;
  board?: BoardPerf;
  failure?: Failure;
  /** Lines that looked like tool output but were not understood. */
  unparsed: number;
  /** The output ends in the middle of something (a traceback, a dict). */
  partial: boolean;
  notes: string[];
}

// Pattern matching on log lines is the point of a log parser; the structured parts (Python dicts) go
// through the real Python parser and evaluator.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07/g;
const PREFIX = /^\s*\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[,.]\d+)?\s+(?<level>[A-Z]+)\s+\[(?<src>[^\]]+)\]\s(?:Node\[(?<rank>\d+)\]\s?)?(?<msg>.*)$/;

export interface LogLine {
  /** 1-based line number in the input. */
  line: number;
  text: string;
  level?: string;
  rank?: number;
  /** The message after the standard prefix, or the whole line. */
  msg: string;
}

export function splitLines(text: string): LogLine[] {
  const out: LogLine[] = [];
  const raw = text.replace(ANSI, '').split(/\r\n|\r|\n/);
  raw.forEach((t, i) => {
    // Progress bars rewrite the line with \r: keep the last state.
    const m = PREFIX.exec(t);
    if (m?.groups) out.push({ line: i + 1, text: t, level: m.groups.level, rank: m.groups.rank ? Number(m.groups.rank) : undefined, msg: m.groups.msg });
    else out.push({ line: i + 1, text: t, msg: t });
  });
  return out;
}

function num(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s.replace(/,/g, ''));
  return Number.isFinite(n) ? n : undefined;
}

function hms(s: string): number | undefined {
  const m = /^(?:(\d+)\s*days?,\s*)?(\d+):(\d{2}):(\d{2})(?:\.\d+)?$/.exec(s.trim());
  if (!m) return undefined;
  return (Number(m[1] ?? 0) * 24 + Number(m[2])) * 3600 + Number(m[3]) * 60 + Number(m[4]);
}

/** `name[0.7132] other[12]` → {name: 0.7132, other: 12} */
export function bracketMetrics(s: string): Record<string, number> {
  const out: Record<string, number> = {};
  const re = /([A-Za-z_][\w.\-/]*)\[\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    if (/^(Epoch|Step|GlobalStep|Node)$/.test(m[1])) continue;
    out[m[1]] = Number(m[2]);
  }
  return out;
}

function pickAccuracy(metrics: Record<string, number>): number | undefined {
  if ('accuracy' in metrics) return metrics.accuracy;
  const k = Object.keys(metrics).find((n) => /top[_-]?1|acc/i.test(n));
  return k ? metrics[k] : Object.values(metrics)[0];
}

/** Convert an evaluated Python value to plain JSON-like data. */
function toPlain(v: Value): unknown {
  switch (v.k) {
    case 'int':
    case 'float':
    case 'str':
    case 'bool':
      return v.v;
    case 'none':
      return null;
    case 'list':
    case 'tuple':
      return v.items.map(toPlain);
    case 'dict': {
      const o: Record<string, unknown> = {};
      for (const [k, e] of v.entries) o[k] = toPlain(e.value);
      return o;
    }
    default:
      return undefined;
  }
}

/** Parse a Python literal (a pformat-printed dict) with the real Python parser. */
export function parsePythonLiteral(text: string): unknown {
  const src = `__x__ = ${text}\n`;
  const parsed = parsePython(src);
  const ev = evaluateModule(parsed);
  const v = ev.env.get('__x__');
  return v ? toPlain(v) : undefined;
}

function getPath(o: unknown, ...keys: string[]): unknown {
  let cur = o;
  for (const k of keys) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function numOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return num(v);
  return undefined;
}

/** Read a compile_perf summary object (from the printed dict or the JSON file). */
export function readPerfSummary(obj: unknown): CompilePerf | undefined {
  const summary = getPath(obj, 'summary') ?? obj;
  if (!summary || typeof summary !== 'object') return undefined;
  const s = summary as Record<string, unknown>;
  const perf = s.performance as Record<string, unknown> | undefined;
  const out: CompilePerf = {};
  if (perf && typeof perf === 'object') {
    out.shape = 'hbdk4';
    out.fps = numOf(perf.FPS ?? perf.fps);
    out.latencyUs = numOf(perf['latency (us)']);
    out.latencyMs = numOf(perf['latency (ms)']) ?? (out.latencyUs !== undefined ? out.latencyUs / 1000 : undefined);
    out.ddrMBPerFrame = numOf(perf['DDR megabytes per frame'] ?? s['DDR megabytes per frame']);
  } else {
    out.shape = 'hbdk3';
    out.fps = numOf(s.FPS);
    out.latencyUs = numOf(s['latency (us)']);
    out.latencyMs = numOf(s['latency (ms)']) ?? (out.latencyUs !== undefined ? out.latencyUs / 1000 : undefined);
    out.ddrMBPerFrame = numOf(s['DDR megabytes per frame']);
    out.bpuOpsPerFrame = numOf(s['BPU OPs per frame (effective)']);
    out.framesPerRun = numOf(s['frame per run']);
  }
  const hv = s['HBDK version'] ?? getPath(s, 'info', 'HBDK version');
  if (typeof hv === 'string') out.hbdkVersion = hv;
  const march = s['BPU march'] ?? getPath(s, 'info', 'BPU march') ?? s.march;
  if (typeof march === 'string') out.march = march;
  const ld = s['layer details'];
  if (Array.isArray(ld) && ld.length > 0 && Array.isArray(ld[0])) {
    out.layerDetails = { header: (ld[0] as unknown[]).map(String), rows: (ld.slice(1) as unknown[][]).map((r) => r.map((c) => (typeof c === 'number' ? c : String(c)))) };
  }
  if (out.fps === undefined && out.latencyUs === undefined && out.latencyMs === undefined) return undefined;
  return out;
}

/** Parse one log (or several concatenated). Never throws. */
export function parseLog(text: string): LogReport {
  const report: LogReport = { kinds: [], progress: [], steps: [], lrs: [], validations: [], checkpoints: [], unparsed: 0, partial: false, notes: [] };
  try {
    parseInto(text, report);
  } catch (e) {
    report.notes.push(`the parser stopped early: ${e instanceof Error ? e.message : String(e)}`);
    report.partial = true;
  }
  if (report.kinds.length === 0) report.kinds.push('unknown');
  return report;
}

function addKind(r: LogReport, k: LogKind): void {
  if (!r.kinds.includes(k)) r.kinds.push(k);
}

function parseInto(text: string, r: LogReport): void {
  const lines = splitLines(text);
  const tracebacks: { rank?: number; lines: LogLine[]; done: boolean }[] = [];
  const openTb = new Map<string, { rank?: number; lines: LogLine[]; done: boolean }>();
  let board: BoardPerf | undefined;

  for (let i = 0; i < lines.length; i++) {
    const L = lines[i];
    const msg = L.msg;
    const key = String(L.rank ?? '');

    // Tracebacks: collected per rank until the exception line.
    if (/^Traceback \(most recent call last\):/.test(msg.trim())) {
      const tb = { rank: L.rank, lines: [] as LogLine[], done: false };
      tracebacks.push(tb);
      openTb.set(key, tb);
      continue;
    }
    const tb = openTb.get(key) ?? (L.rank === undefined ? [...openTb.values()].pop() : undefined);
    if (tb && !tb.done) {
      tb.lines.push(L);
      if (/^[A-Za-z_][\w.]*(Error|Exception|Interrupt|Exit)\b.*$|^[A-Za-z_][\w.]*: /.test(msg.trim()) && !/^\s/.test(msg) && !/^File /.test(msg.trim())) {
        tb.done = true;
        openTb.delete(key);
      }
      continue;
    }

    let m: RegExpExecArray | null;
    if ((m = /={3,}\s*BEGIN\s+(\w+)\s+STAGE\s*={3,}/i.exec(msg))) {
      r.stage = m[1].toLowerCase();
      addKind(r, 'train');
      continue;
    }
    if ((m = /={3,}\s*END\s+(\w+)\s+STAGE\s*={3,}/i.exec(msg))) {
      addKind(r, 'train');
      continue;
    }
    if ((m = /\bBEGIN\s+(\w+)\s+PREDICT\b/i.exec(msg))) {
      r.stage = m[1].toLowerCase();
      addKind(r, 'predict');
      continue;
    }
    if (/\bEND\s+PREDICT\b/i.test(msg)) {
      addKind(r, 'predict');
      continue;
    }
    if ((m = /Epoch\[(\d+)\]\s+Step\[(\d+)-(\d+)\]\s+Cost Time:\s*([\d.]+)s(?:\s+Speed:\s*([\d.]+)\s*samples\/sec)?(?:\s+Remaining Time:\s*(.+?))?\s*$/.exec(msg))) {
      addKind(r, 'train');
      r.progress.push({
        epoch: Number(m[1]),
        stepFrom: Number(m[2]),
        stepTo: Number(m[3]),
        costSeconds: num(m[4]),
        samplesPerSec: num(m[5]),
        remainingText: m[6],
        remainingSeconds: m[6] ? hms(m[6]) : undefined,
      });
      continue;
    }
    if ((m = /Epoch\[(\d+)\]\s+Step\[(\d+)\]\s+GlobalStep\[(\d+)\]\s+lr=([-+\d.eE]+)/.exec(msg))) {
      addKind(r, 'train');
      r.lrs.push({ epoch: Number(m[1]), step: Number(m[2]), globalStep: Number(m[3]), lr: Number(m[4]) });
      continue;
    }
    if ((m = /Epoch\[(\d+)\]\s+Step\[(\d+)\]\s+GlobalStep\[(\d+)\]\s+([^:]*):\s*(.*)$/.exec(msg))) {
      addKind(r, 'train');
      r.steps.push({ epoch: Number(m[1]), step: Number(m[2]), globalStep: Number(m[3]), prefix: m[4].trim(), metrics: bracketMetrics(m[5]) });
      continue;
    }
    if ((m = /Epoch\[(\d+)\]\s+Validation\s+(.*?):\s*(.*)$/.exec(msg))) {
      addKind(r, 'predict');
      const metrics = bracketMetrics(m[3]);
      r.validations.push({ epoch: Number(m[1]), task: m[2].trim(), metrics, accuracy: pickAccuracy(metrics), line: L.line });
      continue;
    }
    if ((m = /Save model checkpoint:\s*(\S+)/.exec(msg))) {
      addKind(r, 'train');
      r.checkpoints.push(m[1]);
      continue;
    }
    if ((m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(msg))) {
      r.predictProgress = { done: Number(m[1]), total: Number(m[2]) };
      continue;
    }
    if ((m = /FPS\s*=\s*([\d.]+),\s*latency\s*=\s*([\d.]+)\s*us(?:.*?\(see\s+([^)]+)\))?/.exec(msg))) {
      addKind(r, 'compile_perf');
      r.compile = { ...(r.compile ?? {}), fps: Number(m[1]), latencyUs: Number(m[2]), latencyMs: Number(m[2]) / 1000, htmlFile: m[3]?.trim() };
      continue;
    }
    if (/^\s*\{\s*'summary'\s*:/.test(msg) || /^\s*\{\s*"summary"\s*:/.test(msg)) {
      // A pformat-printed dict spanning lines: collect until brackets balance.
      let depth = 0;
      let buf = '';
      let j = i;
      let closed = false;
      for (; j < lines.length; j++) {
        const t = lines[j].msg;
        buf += t + '\n';
        for (const ch of t.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, '')) {
          if (ch === '{' || ch === '[' || ch === '(') depth++;
          else if (ch === '}' || ch === ']' || ch === ')') depth--;
        }
        if (depth <= 0) {
          closed = true;
          break;
        }
      }
      i = j;
      if (!closed) {
        r.partial = true;
        r.notes.push('the compile_perf summary dict is cut off');
      }
      let obj: unknown;
      try {
        obj = buf.trim().startsWith('{"') ? JSON.parse(buf) : parsePythonLiteral(buf);
      } catch {
        obj = parsePythonLiteral(buf);
      }
      const perf = readPerfSummary(obj);
      if (perf) {
        addKind(r, 'compile_perf');
        r.compile = { ...perf, ...(r.compile ?? {}), ...stripUndefined(perf) };
      } else r.unparsed++;
      continue;
    }
    // hrt_model_exec perf
    if ((m = /Thread number\s*(?:is)?\s*:\s*(\d+)/i.exec(msg))) {
      board = board ?? { source: 'hrt_model_exec' };
      board.threads = Number(m[1]);
      addKind(r, 'hrt_perf');
      continue;
    }
    if ((m = /Frame count\s*(?:is)?\s*:\s*(\d+)\s*$/i.exec(msg))) {
      board = board ?? { source: 'hrt_model_exec' };
      board.frameCount = Number(m[1]);
      continue;
    }
    if ((m = /core number\s*(?:is)?\s*:\s*(\d+)/i.exec(msg))) {
      board = board ?? { source: 'hrt_model_exec' };
      board.coreNumber = Number(m[1]);
      continue;
    }
    if ((m = /Program run time\s*:\s*([\d.]+)\s*ms/i.exec(msg))) {
      board = board ?? { source: 'hrt_model_exec' };
      board.runTimeMs = Number(m[1]);
      continue;
    }
    if ((m = /Frame\s+totally\s+latency\s+is\s*:\s*([\d.]+)\s*ms/i.exec(msg))) {
      board = board ?? { source: 'hrt_model_exec' };
      board.totalLatencyMs = Number(m[1]);
      addKind(r, 'hrt_perf');
      continue;
    }
    if ((m = /Average\s+latency\s+is\s*:\s*([\d.]+)\s*ms/i.exec(msg))) {
      board = board ?? { source: 'hrt_model_exec' };
      board.avgLatencyMs = Number(m[1]);
      addKind(r, 'hrt_perf');
      continue;
    }
    if ((m = /Frame\s+rate\s+is\s*:\s*([\d.]+)\s*FPS/i.exec(msg))) {
      board = board ?? { source: 'hrt_model_exec' };
      board.fps = Number(m[1]);
      addKind(r, 'hrt_perf');
      continue;
    }
    if (/Frame count:\s*\d+,\s*Thread Average:/.test(msg)) {
      addKind(r, 'hrt_perf');
      continue;
    }
    // AI Benchmark (glog style)
    if ((m = /Throughput:\s*([\d.]+)\s*fps/i.exec(msg))) {
      board = board && board.source === 'ai_benchmark' ? board : { source: 'ai_benchmark' };
      board.fps = Number(m[1]);
      addKind(r, 'ai_benchmark');
      continue;
    }
    if ((m = /Infer latency:\s*\[avg:\s*([\d.]+)ms,\s*max:\s*([\d.]+)ms,\s*min:\s*([\d.]+)ms\]/i.exec(msg))) {
      board = board && board.source === 'ai_benchmark' ? board : { source: 'ai_benchmark' };
      board.avgLatencyMs = Number(m[1]);
      board.maxLatencyMs = Number(m[2]);
      board.minLatencyMs = Number(m[3]);
      addKind(r, 'ai_benchmark');
      continue;
    }
    if (L.level && /ERROR|CRITICAL/.test(L.level)) r.notes.push(`line ${L.line}: ${msg.slice(0, 200)}`);
  }
  if (board) r.board = board;

  // Collapse tracebacks: the same exception from many ranks is one root cause.
  if (tracebacks.length) {
    const last = tracebacks.filter((t) => t.done).pop() ?? tracebacks[tracebacks.length - 1];
    if (!last.done) r.partial = true;
    const f = readTraceback(last.lines);
    const sameKey = (t: (typeof tracebacks)[number]) => {
      const g = readTraceback(t.lines);
      return `${g.exception}:${g.message}`;
    };
    const k = `${f.exception}:${f.message}`;
    const same = tracebacks.filter((t) => sameKey(t) === k);
    f.repeats = same.length;
    f.ranks = [...new Set(same.map((t) => t.rank).filter((x): x is number => x !== undefined))].sort((a, b) => a - b);
    r.failure = f;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

function readTraceback(lines: LogLine[]): Failure {
  const frames: Failure['frames'] = [];
  let exception = 'Error';
  let message = '';
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].msg;
    const m = /^\s*File "([^"]+)", line (\d+), in (.+)$/.exec(t);
    if (m) {
      const next = lines[i + 1]?.msg;
      const code = next && !/^\s*File "/.test(next) && /^\s{2,}/.test(next) ? next.trim() : undefined;
      frames.push({ file: m[1], line: Number(m[2]), func: m[3].trim(), code });
      continue;
    }
    const e = /^([A-Za-z_][\w.]*)(?::\s*(.*))?$/.exec(t.trim());
    if (e && !/^\s/.test(t) && i === lines.length - 1) {
      exception = e[1].split('.').pop() ?? e[1];
      message = e[2] ?? '';
    }
  }
  const configFrame = [...frames].reverse().find((f) => /(^|[\\/])configs?[\\/].*\.py$/.test(f.file) || /config.*\.py$/i.test(f.file.split(/[\\/]/).pop() ?? ''));
  const q = /['"]([^'"]{1,80})['"]/.exec(message);
  return {
    exception,
    message,
    frames,
    ranks: [],
    repeats: 1,
    configFrame: configFrame ? { file: configFrame.file, line: configFrame.line } : undefined,
    quotedValue: q ? q[1] : undefined,
  };
}

/**
 * A saved file of HAT output: a compile_perf summary JSON (the .json written next to the .html) or any log text
 * (train/predict/compile_perf/board output). Used by `mvg log` and "Import Board Results".
 */
export function parseLogOrSummary(text: string): LogReport {
  const t = text.trim();
  if (t.startsWith('{')) {
    try {
      const perf = readPerfSummary(JSON.parse(t));
      if (perf) return { ...parseLog(''), kinds: ['compile_perf'], compile: perf };
    } catch {
      // not JSON: read as a log
    }
  }
  return parseLog(text);
}
