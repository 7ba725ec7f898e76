/**
 * Measured latency in the editor (issue 5): "Measure Latency" / "Export ONNX" and an inline `after`
 * decoration at the end of each stage's `MixVarGENetConfig(` line (`· 0.41 ms CPU`, or `· measuring…`; with
 * `mixvargenet.perf.precision` int8 or both, issue 15: `· 0.41 ms fp32 · 0.23 ms int8`).
 * Static params/MACs are NOT repeated here: the inlay hints feature already shows them at the stage line end.
 *
 * The network: its ONNX plan (plain data) from the analysis service, made from the same analysis of the
 * document's current version as its snapshot — one analysis per document, one op table. ORT itself runs in
 * a child process (measure() forks dist/perf-worker.js), never here.
 * Results are cached by (network, settings, ORT version) in memory and in a folder of the extension's
 * global storage (`perf-cache/`, bounded: see PerfCache), so measuring an unchanged network again is instant;
 * and when a config is opened (or is open at activation) in a trusted workspace, its network is looked up
 * in that cache — never measured — once per opened document, and a hit is shown as if just measured
 * (the hover says it came from the cache and when it was measured).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NetworkPlan } from '../../core/onnx/build';
import { notificationText } from '../../core/markdown';
import { codeEnd } from '../../core/text';
import { msFigure } from '../../core/format';
import { onDidChangeStageNumbersPlacement, stageNumbersPlacement } from '../../host/stageNumbers';
import { PerfCache } from '../../ort/cache';
import { exportOnnx, listCalibrationFiles, measure, measureBatches, MEASURE_NOTE, type MeasureOptions, type PerfResult } from '../../ort/measure';
import type { AnalysisManager } from '../analysis/manager';
import { batchSetting, calibrationDataUri, calibrationMethodSetting, measureOnSave, PERF_RESULT_KEYS, precisionSetting, threadsSetting } from '../../host/settings';
import { openDocumentFromArg } from '../../host/commandArgs';

interface DocPerf {
  version: number;
  measuring: boolean;
  result?: PerfResult;
  /** Document version the result was measured on. */
  resultVersion?: number;
  error?: string;
  cancel?: AbortController;
}

export interface MeasureArgs {
  uri?: string;
  runs?: number;
  warmup?: number;
  batch?: number;
  threads?: number;
  /** Over `mixvargenet.perf.precision`. */
  precision?: 'fp32' | 'int8' | 'both';
  /** Do not show notifications (tests, on-save). */
  silent?: boolean;
}

/** Internal command `mixvargenet._perfCache` (tests): simulate a new session and/or empty the cache. */
export interface PerfCacheArgs {
  /** Forget every document's measurement, the in-memory cache and which documents were looked up (as after a reload). */
  newSession?: boolean;
  /** Also delete the cache folder's entries. */
  clearDisk?: boolean;
}

export interface PerfStateEntry {
  stage: number;
  line: number;
  /** Where on the line (before a trailing comment). */
  character: number;
  text: string;
  hover: string;
}

const UNTRUSTED = 'MixVarGENet: measuring latency and exporting ONNX run onnxruntime in a child process, so they are only available in a trusted workspace.';

/** `median 59.7 ms · p90 65.8 ms · min 56.3 ms · 16.8 FPS` (the FPS wrapped in `strong`, e.g. "**", if given). */
function latencyFigures(l: { median: number; p90: number; min: number }, fps: number, strong = ''): string {
  return `median ${msFigure(l.median)} ms · p90 ${msFigure(l.p90)} ms · min ${msFigure(l.min)} ms · ${strong}${fps.toFixed(1)} FPS${strong}`;
}

/** "2025-01-02 10:11 (3 days ago)" from an ISO time. */
function fmtWhen(iso: string): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return iso;
  const d = new Date(t);
  const pad = (n: number) => String(n).padStart(2, '0');
  const abs = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const ago = Date.now() - t;
  const rel =
    ago < 0 ? '' : ago < 60_000 ? 'just now' : ago < 3_600_000 ? `${Math.round(ago / 60_000)} min ago` : ago < 86_400_000 ? `${Math.round(ago / 3_600_000)} h ago` : `${Math.round(ago / 86_400_000)} days ago`;
  return rel ? `${abs} (${rel})` : abs;
}

/** "; batch 8: 21.3 ms median, 375.2 FPS" for the batches other than the result's own. */
function otherBatches(r: PerfResult): string {
  return (r.batches ?? [])
    .filter((b) => b.batch !== r.batch)
    .map((b) => `; batch ${b.batch}: ${msFigure(b.latencyMs.median)} ms median, ${b.fps.toFixed(1)} FPS`)
    .join('');
}

/**
 * A stage's measured time as the editor shows it after the stage: `· 0.41 ms CPU` (fp32, as always), or with
 * int8 measured `· 0.41 ms fp32 · 0.23 ms int8` (or `· 0.23 ms int8` alone). Empty when the stage was not timed.
 */
export function stageTimeText(r: PerfResult, stage: number): string {
  const p = r.precisions;
  if (!p) {
    const t = r.stages.find((x) => x.index === stage);
    return t ? `· ${msFigure(t.latencyMs)} ms CPU` : '';
  }
  const parts: string[] = [];
  for (const k of ['fp32', 'int8'] as const) {
    const t = p[k]?.stages.find((x) => x.index === stage);
    if (t) parts.push(`· ${msFigure(t.latencyMs)} ms ${k}`);
  }
  return parts.join(' ');
}

/** "SQNR 31.1 dB · cosine 0.9996" of one stage's int8 output against fp32 (undefined: not measured). */
export function stageErrorText(r: PerfResult, stage: number): string | undefined {
  const e = r.precisions?.int8?.error.stages.find((x) => x.index === stage);
  if (!e) return undefined;
  return `SQNR ${e.sqnrDb === null ? '—' : `${e.sqnrDb.toFixed(1)} dB`} · cosine ${e.cosine === null ? '—' : e.cosine.toFixed(4)}`;
}

/** The hover's int8 lines: latency (and the ratio to fp32), fused convs, calibration, ISA, the stage's error. */
function int8HoverLines(r: PerfResult, stage?: number): string[] {
  const q = r.precisions?.int8;
  if (!q) return [];
  const f = r.precisions?.fp32;
  const c = q.calibration;
  const err = stage !== undefined ? stageErrorText(r, stage) : undefined;
  return [
    ...(f ? [`- **fp32**: ${latencyFigures(f.latencyMs, f.fps)}`] : []),
    `- **int8** (QDQ: uint8 activations, int8 per-channel weights): ${latencyFigures(q.latencyMs, q.fps)}${f ? ` — **${(q.latencyMs.median / f.latencyMs.median).toFixed(2)}× fp32** (runs interleaved)` : ''}`,
    `- onnxruntime runs **${q.quantizedConvs}/${q.totalConvs} convs in int8** (and ${q.quantizedAdds}/${q.totalAdds} adds)${q.fp32Convs.length ? `; in fp32: ${q.fp32Convs.map((x) => `\`${x}\``).join(', ')}` : ''}`,
    `- calibrated on **${c.samples} ${c.source === 'files' ? 'of your inputs' : 'seeded random inputs'}** (${c.method}${c.percentile !== undefined ? ` ${c.percentile}%` : ''}) · CPU: ${r.isa && r.isa.length ? r.isa.join(', ') : 'ISA unknown'}`,
    ...(err ? [`- this stage's int8 output against fp32: **${err}** (${q.error.samples} inputs; _${q.error.note}_)`] : []),
  ];
}

export class PerfFeature implements vscode.Disposable {
  private readonly docs = new Map<string, DocPerf>();
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor('editorCodeLens.foreground'), margin: '0 0 0 1em' },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private readonly subs: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<string>();
  /** A document's measurement finished or was restored from the cache (its URI): the graph preview recolours by measured time. */
  readonly onDidChange = this.changed.event;
  private cache: PerfCache;
  /** Documents (URIs) already looked up in the cache since they were opened. */
  private readonly lookedUp = new Set<string>();
  private readonly lookupQueue: vscode.TextDocument[] = [];
  private lookupTimer?: NodeJS.Timeout;
  /** Timing workers started by this feature (tests: a restore from the cache starts none). */
  private workersStarted = 0;
  private disposed = false;

  constructor(
    private readonly manager: AnalysisManager,
    private readonly log: vscode.LogOutputChannel,
    /** The persistent cache folder (none: in memory only). */
    private readonly cacheDir?: string,
  ) {
    this.cache = new PerfCache(cacheDir);
    this.subs.push(
      this.changed,
      this.decoration,
      vscode.commands.registerCommand('mixvargenet.measureLatency', (arg?: unknown) => this.measureCommand(arg)),
      vscode.commands.registerCommand('mixvargenet.exportOnnx', (arg?: unknown) => this.exportCommand(arg)),
      vscode.commands.registerCommand('mixvargenet._perfState', (uri?: string) => this.state(uri)),
      vscode.commands.registerCommand('mixvargenet._perfCache', (args?: PerfCacheArgs) => this.cacheCommand(args)),
      manager.onDidAnalyze((e) => {
        this.refreshAll();
        if (e.snapshot && e.snapshot.stages.length > 0) this.queueLookup(e.document);
      }),
      vscode.window.onDidChangeVisibleTextEditors((eds) => {
        this.refreshAll();
        for (const ed of eds) this.queueLookup(ed.document);
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.lookUpOpenConfigs()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (PERF_RESULT_KEYS.some((k) => e.affectsConfiguration(k))) this.settingsChanged();
      }),
      onDidChangeStageNumbersPlacement(() => this.refreshAll()),
      vscode.workspace.onDidCloseTextDocument((d) => {
        const st = this.docs.get(d.uri.toString());
        st?.cancel?.abort();
        this.docs.delete(d.uri.toString());
        this.lookedUp.delete(d.uri.toString());
      }),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (!vscode.workspace.isTrusted) return;
        if (!measureOnSave(d.uri)) return;
        if (!this.manager.isConfig(d)) return;
        void this.run(d, { silent: true });
      }),
    );
    // Configs already open at activation (those analysed later come through onDidAnalyze).
    this.lookUpOpenConfigs();
  }

  // -----------------------------------------------------------------------------------------
  // Restoring a measurement from the cache (never measuring).
  // -----------------------------------------------------------------------------------------

  /**
   * The precision, threads, batch or calibration data changed: the figures shown were measured with the old ones, so
   * each document shows instead what the cache holds for the new settings (switching back and forth costs no
   * measurement), or nothing until measured again — never the old setting's figures as if they were the new one's.
   * A measurement in progress keeps its own settings and shows its result when done.
   */
  private settingsChanged(): void {
    for (const [key, st] of [...this.docs]) {
      if (st.measuring) continue;
      this.docs.delete(key);
      this.changed.fire(key);
    }
    this.lookedUp.clear();
    this.refreshAll();
    this.lookUpOpenConfigs();
  }

  private lookUpOpenConfigs(): void {
    for (const d of vscode.workspace.textDocuments) this.queueLookup(d);
  }

  /**
   * Look `doc` up in the cache soon, once per opened document: only in a trusted workspace, only for an
   * analysed config (a snapshot with stages) that has no measurement state yet. One document per timer
   * at a time, so that the plan requests of several open configs do not queue up in the analysis worker at once.
   */
  private queueLookup(doc: vscode.TextDocument): void {
    if (this.disposed || !vscode.workspace.isTrusted) return;
    const key = doc.uri.toString();
    if (this.lookedUp.has(key) || this.docs.has(key)) return;
    const snap = this.manager.current(doc);
    if (!snap || snap.stages.length === 0) return;
    this.lookedUp.add(key);
    this.lookupQueue.push(doc);
    this.pumpLookups();
  }

  private pumpLookups(): void {
    if (this.lookupTimer || this.disposed) return;
    const doc = this.lookupQueue.shift();
    if (!doc) return;
    this.lookupTimer = setTimeout(() => {
      void this.restore(doc)
        .catch((e) => this.log.warn(`perf: cache lookup failed: ${e instanceof Error ? e.message : String(e)}`))
        .finally(() => {
          this.lookupTimer = undefined;
          this.pumpLookups();
        });
    }, 0);
  }

  /** Show `doc`'s cached measurement, if there is one for its current network and the current settings. */
  private async restore(doc: vscode.TextDocument): Promise<boolean> {
    const key = doc.uri.toString();
    if (this.disposed || doc.isClosed || this.docs.has(key) || !vscode.workspace.isTrusted) return false;
    const version = doc.version;
    const { net } = await this.network(doc);
    if (!net) return false;
    const opts = await this.optionsFor(doc, {});
    if ('error' in opts) return false;
    const r = await measureBatches(net, { ...opts, cacheOnly: true }, batchSetting(doc.uri));
    if (!r.ok) return false;
    // Superseded while looking (a measurement started, the document changed or closed): show nothing.
    if (this.disposed || doc.isClosed || this.docs.has(key) || doc.version !== version) return false;
    this.docs.set(key, { version, measuring: false, result: r, resultVersion: version });
    this.log.info(`perf: ${vscode.workspace.asRelativePath(doc.uri)}: restored the measurement of ${r.measuredAt} from the cache (median ${msFigure(r.latencyMs.median)} ms)`);
    this.refreshAll();
    this.changed.fire(key);
    return true;
  }

  /** The measurement options for a document: the command's arguments over the settings. Equal options, equal cache key. */
  private async optionsFor(doc: vscode.TextDocument, args: MeasureArgs): Promise<MeasureOptions | { error: string }> {
    const precision = args.precision ?? precisionSetting(doc.uri);
    // int8 calibrates on the files of mixvargenet.perf.calibrationData when it names a folder (listed off the host's thread).
    let calibration: MeasureOptions['calibration'] = precision !== 'fp32' ? calibrationMethodSetting(doc.uri) : undefined;
    const dir = precision !== 'fp32' ? calibrationDataUri(doc.uri) : undefined;
    if (dir) {
      if (dir.scheme !== 'file') return { error: 'mixvargenet.perf.calibrationData must be a local folder' };
      const listed = await listCalibrationFiles(dir.fsPath);
      if ('error' in listed) return { error: `mixvargenet.perf.calibrationData: ${listed.error}` };
      calibration = { ...calibration, files: listed.files };
    }
    return {
      calibration,
      batch: args.batch,
      threads: args.threads ?? threadsSetting(doc.uri),
      runs: args.runs,
      warmup: args.warmup,
      cache: this.cache,
      precision,
    };
  }

  /**
   * The CPU latency (median at batch 1, ms) of a network as measured and cached with this config's settings, or null
   * (the compare and configs views). Never measures; trusted workspaces only, like the restore.
   */
  async cachedLatencyMs(uri: vscode.Uri, plan: NetworkPlan): Promise<number | null> {
    if (this.disposed || !vscode.workspace.isTrusted) return null;
    const r = await measure(plan, { threads: threadsSetting(uri), cache: this.cache, cacheOnly: true });
    return r.ok ? r.latencyMs.median : null;
  }

  private cacheCommand(args: PerfCacheArgs = {}): { dir: string | null; entries: number } {
    if (args.clearDisk) this.cache.clear(true);
    if (args.newSession) {
      for (const st of this.docs.values()) st.cancel?.abort();
      this.docs.clear();
      this.lookedUp.clear();
      this.lookupQueue.length = 0;
      this.cache = new PerfCache(this.cacheDir);
      this.refreshAll();
      // As at activation: the configs open now are looked up.
      this.lookUpOpenConfigs();
    }
    let entries = 0;
    try {
      if (this.cacheDir) entries = fs.readdirSync(this.cacheDir).filter((f) => f.endsWith('.json')).length;
    } catch {
      // no folder yet
    }
    return { dir: this.cacheDir ?? null, entries };
  }

  /**
   * The cached measurement of a network with `scope`'s settings, never measuring (the compared, older version of a
   * config: its latency is shown only when it was measured before). Trusted workspaces only.
   */
  async cachedResult(plan: NetworkPlan, scope: vscode.Uri): Promise<PerfResult | undefined> {
    if (!vscode.workspace.isTrusted) return undefined;
    const r = await measureBatches(plan, { threads: threadsSetting(scope), cache: this.cache, cacheOnly: true }, batchSetting(scope));
    return r.ok ? r : undefined;
  }

  /** The last successful measurement of a document and the document version it was made on. */
  measured(uri: string): { result: PerfResult; version: number } | undefined {
    const st = this.docs.get(uri);
    return st?.result && st.resultVersion !== undefined ? { result: st.result, version: st.resultVersion } : undefined;
  }

  // -----------------------------------------------------------------------------------------
  // The network of a document: its ONNX plan, from the analysis service (the worker's analysis of
  // this very version — the host never analyses a file itself).
  // -----------------------------------------------------------------------------------------

  private async network(doc: vscode.TextDocument): Promise<{ net?: NetworkPlan; error?: string }> {
    const r = await this.manager.onnxPlan(doc);
    return r.ok ? { net: r.plan } : { error: r.error };
  }

  // -----------------------------------------------------------------------------------------
  // Measure.
  // -----------------------------------------------------------------------------------------

  private async measureCommand(arg?: unknown): Promise<PerfResult | { ok: false; error: string } | undefined> {
    const args: MeasureArgs = arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? (arg as MeasureArgs) : {};
    const silent = !!args.silent;
    if (!vscode.workspace.isTrusted) {
      if (!silent) void vscode.window.showWarningMessage(UNTRUSTED);
      return { ok: false, error: UNTRUSTED };
    }
    const doc = openDocumentFromArg(arg);
    if (!doc) {
      if (!silent) void vscode.window.showInformationMessage('MixVarGENet: open a config file to measure.');
      return { ok: false, error: 'no document' };
    }
    return this.run(doc, args);
  }

  /** Measure a document as "Measure Latency" does (the language-model tool): cancelling `token` stops the child. */
  measure(doc: vscode.TextDocument, args: MeasureArgs, token?: vscode.CancellationToken): Promise<PerfResult | { ok: false; error: string }> {
    return this.run(doc, args, token);
  }

  private async run(doc: vscode.TextDocument, args: MeasureArgs, token?: vscode.CancellationToken): Promise<PerfResult | { ok: false; error: string }> {
    const key = doc.uri.toString();
    const { net, error } = await this.network(doc);
    if (!net) {
      if (!args.silent) void vscode.window.showWarningMessage(notificationText(`MixVarGENet: cannot measure: ${error}`));
      return { ok: false, error: error ?? 'no network' };
    }
    const options = await this.optionsFor(doc, args);
    if ('error' in options) {
      if (!args.silent) void vscode.window.showWarningMessage(notificationText(`MixVarGENet: cannot measure: ${options.error}`));
      return { ok: false, error: options.error };
    }
    const opts = options;
    const prev = this.docs.get(key);
    prev?.cancel?.abort();
    const cancel = new AbortController();
    const cancelled = token?.onCancellationRequested(() => cancel.abort());
    const st: DocPerf = { version: doc.version, measuring: true, result: prev?.result, resultVersion: prev?.resultVersion, cancel };
    this.docs.set(key, st);
    this.refreshAll();
    const location = args.silent ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification;
    const outcome = await vscode.window.withProgress(
      { location, title: 'MixVarGENet: measuring latency (onnxruntime, CPU)', cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => cancel.abort());
        opts.onProgress = (p) => {
          if (p.phase === 'spawned') this.workersStarted++;
          const what = p.phase === 'timing' && p.total ? `timing ${p.done ?? 0}/${p.total}` : p.phase;
          progress.report({ message: p.batch !== undefined ? `batch ${p.batch}: ${what}` : what });
        };
        return measureBatches(net, opts, args.batch === undefined ? batchSetting(doc.uri) : undefined, cancel.signal);
      },
    );
    cancelled?.dispose();
    if (this.docs.get(key) !== st) return outcome.ok ? outcome : { ok: false, error: outcome.error }; // superseded
    st.measuring = false;
    st.cancel = undefined;
    if (outcome.ok) {
      st.result = outcome;
      st.resultVersion = doc.version;
      st.error = undefined;
      this.log.info(
        `perf: ${vscode.workspace.asRelativePath(doc.uri)}: median ${msFigure(outcome.latencyMs.median)} ms, p90 ${msFigure(outcome.latencyMs.p90)} ms, ${outcome.threads} thread(s), batch ${outcome.batch}${otherBatches(outcome)}, ORT ${outcome.ortVersion}${outcome.fromCache ? ' (cached)' : ''}${outcome.batchesError ? ` (${outcome.batchesError})` : ''}`,
      );
      if (!args.silent)
        this.notifyMeasured(outcome);
    } else {
      st.error = `${outcome.kind}: ${outcome.error}`;
      this.log.warn(`perf: measurement failed (${st.error})${outcome.stderr ? `\n${outcome.stderr}` : ''}`);
      if (!args.silent && outcome.kind !== 'aborted') void vscode.window.showErrorMessage(notificationText(`MixVarGENet: latency measurement failed: ${outcome.error}`));
    }
    this.refreshAll();
    if (outcome.ok) this.changed.fire(key);
    return outcome.ok ? outcome : { ok: false, error: st.error ?? outcome.error };
  }

  /** One short sentence (a toast is cut after two lines); the figures behind "Details". */
  private notifyMeasured(r: PerfResult): void {
    const q = r.precisions?.int8;
    const f = r.precisions?.fp32;
    const text = !q
      ? `MixVarGENet: ${msFigure(r.latencyMs.median)} ms on this CPU (${r.fps.toFixed(1)} FPS), not J5 latency.`
      : f
        ? `MixVarGENet: ${msFigure(f.latencyMs.median)} ms fp32, ${msFigure(q.latencyMs.median)} ms int8 on this CPU (${q.quantizedConvs}/${q.totalConvs} convs in int8), not J5 latency.`
        : `MixVarGENet: ${msFigure(q.latencyMs.median)} ms int8 on this CPU (${q.fps.toFixed(1)} FPS, ${q.quantizedConvs}/${q.totalConvs} convs in int8), not J5 latency.`;
    void vscode.window.showInformationMessage(text, 'Details').then((b) => {
      if (b !== 'Details') return;
      const detail = [
        ...(q ? int8HoverLines(r).map((l) => l.replace(/^- /, '').replace(/\*\*/g, '').replace(/_/g, '')) : [latencyFigures(r.latencyMs, r.fps)]),
        `${r.threads} thread(s), batch ${r.batch}${otherBatches(r)}, graph optimisation ${r.graphOptimizationLevel}, onnxruntime-node ${r.ortVersion}`,
        'Per stage: the times at the end of each stage in the editor (hover them).',
        r.note || MEASURE_NOTE,
      ].join('\n');
      void vscode.window.showInformationMessage(text, { modal: true, detail });
    });
  }

  // -----------------------------------------------------------------------------------------
  // Export.
  // -----------------------------------------------------------------------------------------

  private async exportCommand(arg?: unknown): Promise<{ ok: boolean; path?: string; bytes?: number; error?: string } | undefined> {
    const given = arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? (arg as { path?: string; uri?: string }) : {};
    if (!vscode.workspace.isTrusted) {
      if (!given.path) void vscode.window.showWarningMessage(UNTRUSTED);
      return { ok: false, error: UNTRUSTED };
    }
    const doc = openDocumentFromArg(arg);
    if (!doc) return { ok: false, error: 'no document' };
    const { net, error } = await this.network(doc);
    if (!net) {
      if (!given.path) void vscode.window.showWarningMessage(notificationText(`MixVarGENet: cannot export: ${error}`));
      return { ok: false, error };
    }
    let file = given.path;
    if (!file) {
      const base = doc.uri.scheme === 'file' ? vscode.Uri.file(doc.uri.fsPath.replace(/\.py$/i, '') + '.onnx') : undefined;
      const picked = await vscode.window.showSaveDialog({ defaultUri: base, filters: { ONNX: ['onnx'] }, title: 'Export the network as ONNX (seeded random weights)' });
      if (!picked) return undefined;
      if (picked.scheme !== 'file') {
        void vscode.window.showErrorMessage('MixVarGENet: ONNX export writes local files only.');
        return { ok: false, error: 'not a local file' };
      }
      file = picked.fsPath;
    }
    const target = file;
    const r = await vscode.window.withProgress(
      { location: given.path ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification, title: 'MixVarGENet: exporting ONNX', cancellable: true },
      (_p, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        return exportOnnx(net, target, {}, ac.signal);
      },
    );
    if (!r.ok) {
      if (!given.path) void vscode.window.showErrorMessage(notificationText(`MixVarGENet: ONNX export failed: ${r.error}`));
      return { ok: false, error: r.error };
    }
    if (!given.path) void vscode.window.showInformationMessage(`MixVarGENet: wrote ${path.basename(r.path)} (${(r.bytes / 1e6).toFixed(1)} MB, seeded random weights).`);
    return { ok: true, path: r.path, bytes: r.bytes };
  }

  // -----------------------------------------------------------------------------------------
  // Decorations.
  // -----------------------------------------------------------------------------------------

  private hoverFor(st: DocPerf, docVersion: number, stage?: number): string {
    const r = st.result;
    if (!r) return st.measuring ? 'Measuring the network with onnxruntime on this CPU…' : '';
    const lines = [
      `**Measured on this machine's CPU** with onnxruntime-node ${r.ortVersion} — not J5 (BPU) latency.`,
      '',
      ...(r.precisions ? int8HoverLines(r, stage) : [`- ${latencyFigures(r.latencyMs, r.fps)}`]),
      ...(r.batches ?? []).map(
        (b) => `- batch ${b.batch}: ${latencyFigures(b.latencyMs, b.fps, '**')}`,
      ),
      ...(r.batchesError ? [`- _${r.batchesError}_`] : []),
      `- batch ${r.batch}${r.batches ? ' (the per-stage times)' : ''} · ${r.threads} intra-op thread(s) (of ${os.cpus().length} cores) · ${r.runs} runs after ${r.warmup} warm-up`,
      `- graph optimisation: ${r.graphOptimizationLevel}`,
      `- ${r.precisions?.int8 ? 'BatchNorm folded' : 'float network, BatchNorm folded'}, **seeded random weights** (measures speed, not accuracy)`,
      `- per-stage time: share of the profiled kernel time × median latency`,
      r.fromCache
        ? `- **from the result cache** (not measured again): measured ${fmtWhen(r.measuredAt)}`
        : `- measured ${fmtWhen(r.measuredAt)}`,
    ];
    if (st.resultVersion !== undefined && st.resultVersion !== docVersion) lines.push('', '_Measured on an earlier version of this file: run "MixVarGENet: Measure Latency" again._');
    if (st.measuring) lines.push('', '_Measuring again…_');
    if (st.error) lines.push('', `_Last attempt failed: ${st.error}_`);
    lines.push('', r.note || MEASURE_NOTE);
    return lines.join('\n');
  }

  private entries(doc: vscode.TextDocument): PerfStateEntry[] {
    const st = this.docs.get(doc.uri.toString());
    const snap = this.manager.current(doc);
    // With the numbers above each stage (a CodeLens that carries the time too), no decoration at the line's end.
    if (!st || !snap || stageNumbersPlacement(doc) === 'above') return [];
    const out: PerfStateEntry[] = [];
    for (const s of snap.stages) {
      // The line where the stage's call ends, where its inlay hint is too (both before a trailing comment).
      const line = s.range.to.line;
      if (line >= doc.lineCount) continue;
      const measured = st.result ? stageTimeText(st.result, s.index) : '';
      let text: string;
      if (st.measuring) text = measured ? `${measured} · measuring…` : '· measuring…';
      else if (measured) text = measured;
      else continue;
      out.push({ stage: s.index, line, character: codeEnd(doc.lineAt(line).text), text, hover: this.hoverFor(st, doc.version, s.index) });
    }
    return out;
  }

  private refreshAll(): void {
    for (const ed of vscode.window.visibleTextEditors) {
      const entries = this.entries(ed.document);
      ed.setDecorations(
        this.decoration,
        entries.map((e) => {
          const end = new vscode.Position(e.line, e.character);
          const hover = new vscode.MarkdownString(e.hover);
          return { range: new vscode.Range(end, end), hoverMessage: hover, renderOptions: { after: { contentText: ` ${e.text}` } } };
        }),
      );
    }
  }

  /** Internal (tests): what the decorations of a document show. */
  private state(uri?: string):
    | { measuring: boolean; stages: PerfStateEntry[]; medianMs: number | null; error?: string; fromCache: boolean | null; measuredAt: string | null; workersStarted: number }
    | undefined {
    const doc = uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri) : vscode.window.activeTextEditor?.document;
    if (!doc) return undefined;
    const st = this.docs.get(doc.uri.toString());
    return {
      measuring: !!st?.measuring,
      stages: this.entries(doc),
      medianMs: st?.result?.latencyMs.median ?? null,
      error: st?.error,
      fromCache: st?.result ? st.result.fromCache : null,
      measuredAt: st?.result?.measuredAt ?? null,
      workersStarted: this.workersStarted,
    };
  }

  dispose(): void {
    this.disposed = true;
    if (this.lookupTimer) clearTimeout(this.lookupTimer);
    this.lookupQueue.length = 0;
    for (const st of this.docs.values()) st.cancel?.abort();
    this.docs.clear();
    for (const s of this.subs) s.dispose();
  }
}

/** `context`: its global storage holds the persistent result cache (`perf-cache/`); without it, memory only. */
export function registerPerf(manager: AnalysisManager, log: vscode.LogOutputChannel, context?: vscode.ExtensionContext): PerfFeature {
  const dir = context?.globalStorageUri.scheme === 'file' ? path.join(context.globalStorageUri.fsPath, 'perf-cache') : undefined;
  return new PerfFeature(manager, log, dir);
}
