/**
 * Keeps one AnalysisSnapshot per open config document, up to date:
 * - a cheap text check first: documents without `MixVarGENetConfig` cost nothing more;
 * - on open immediately, on change debounced (mixvargenet.analysis.debounceMs, 250 ms);
 * - latest wins: one analysis in flight per document; edits made meanwhile coalesce into one
 *   follow-up request; a result for a version the document has moved past is dropped;
 * - the analysis runs in a worker thread; if it dies (out of memory, past its deadline) it is restarted, at once
 *   the first time and with a growing delay when it keeps dying — never moved onto the extension host's thread
 *   (in-process only when no worker can be started at all). The document it was analysing then is not sent
 *   again until it changes, and says so with one diagnostic.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { AnalysisSnapshot } from '../../core/ide/snapshot';
import type { CompareInputsResult, ConfigureResult, PlanResult, QueryKind, QueryResults, Request, ResponseValue, RuleInfo } from '../../analysis/protocol';
import { type Engine, EngineError, type EngineReply, InProcessEngine, restartDelayMs, WorkerEngine } from '../../analysis/engine';
import { debounceMs, docOptions } from '../../host/settings';

const IGNORED_SCHEMES = new Set(['git', 'gitlens', 'output', 'vscode-scm', 'debug', 'vscode-chat-code-block', 'comment', 'mixvargenet-summary', 'mixvargenet-doc', 'pr', 'review']);

export const CONFIG_MARKER = 'MixVarGENetConfig';

export interface AnalyzedEvent {
  document: vscode.TextDocument;
  /** undefined: the document is not (or no longer) a config: clear what was shown. */
  snapshot: AnalysisSnapshot | undefined;
  /** Timing of the pipeline that produced it. */
  timing?: { requestedAt: number; appliedAt: number; roundTripMs: number; serviceMs: number; hostSendMs: number; applyMs: number };
}

/** While the worker is being restarted after a death: every request is refused at once. */
const RESTARTING: Engine = {
  kind: 'worker',
  request: () => Promise.reject(new EngineError('the analysis worker is restarting')),
  dispose: () => undefined,
};

interface Waiter {
  minVersion: number;
  resolve: (s: AnalysisSnapshot | undefined) => void;
}

export class AnalysisManager implements vscode.Disposable {
  /** Started on the first request: a window with no config open never starts a worker. */
  private engineInstance?: Engine;
  private deaths: number[] = [];
  private restartTimer?: NodeJS.Timeout;
  private disposed = false;
  /** Documents whose analysis killed the worker, with the version that did: not sent again until they change. */
  private readonly stopped = new Map<string, { version: number; reason: string }>();
  private readonly stoppedDiagnostics = vscode.languages.createDiagnosticCollection('mixvargenet-analysis');
  private readonly snapshots = new Map<string, AnalysisSnapshot>();
  private readonly isConfigCache = new Map<string, { version: number; isConfig: boolean }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inflight = new Map<string, number>();
  private readonly again = new Map<string, vscode.TextDocument>();
  private readonly waiters = new Map<string, Waiter[]>();
  /** When the extension host heard of each document's last change (for the bench). */
  readonly lastChange = new Map<string, { version: number; at: number }>();
  private readonly emitter = new vscode.EventEmitter<AnalyzedEvent>();
  readonly onDidAnalyze = this.emitter.event;
  private readonly reanalyzeEmitter = new vscode.EventEmitter<void>();
  /** Every open config is analysed again (the settings, the op table or the worker changed): texts analysed on request (analyzeText) are stale too. */
  readonly onDidReanalyzeAll = this.reanalyzeEmitter.event;
  private configurePayload: Extract<Request, { type: 'configure' }> = { type: 'configure', ops: null };
  private rulesCache?: RuleInfo[];
  private readonly disposables: vscode.Disposable[] = [];
  /** Last pipeline timings, for the bench. */
  lastTiming?: AnalyzedEvent['timing'] & { uri: string; version: number; snapshot: AnalysisSnapshot };

  constructor(
    private readonly workerPath: string,
    private readonly log: vscode.LogOutputChannel,
    private readonly forceInProcess = false,
  ) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!e.contentChanges.length) return;
        this.lastChange.set(e.document.uri.toString(), { version: e.document.version, at: performance.now() });
        this.schedule(e.document, debounceMs());
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d)),
    );
  }

  get engineKind(): Engine['kind'] | 'not started' {
    return this.engineInstance?.kind ?? 'not started';
  }

  private get engine(): Engine {
    if (this.restartTimer) return RESTARTING;
    if (!this.engineInstance) {
      this.engineInstance = this.startEngine();
      // The op table first: the worker handles messages in order.
      if (this.configurePayload.ops) void this.engineInstance.request(this.configurePayload).catch(() => undefined);
    }
    return this.engineInstance;
  }

  private startEngine(): Engine {
    if (!this.forceInProcess) {
      try {
        const e = new WorkerEngine(this.workerPath);
        e.onDidDie((reason, culprit) => this.onEngineDied(e, reason, culprit));
        return e;
      } catch (err) {
        this.log.warn(`Cannot start the analysis worker (${err instanceof Error ? err.message : String(err)}); analysing in-process.`);
      }
    }
    return new InProcessEngine(this.workerPath);
  }

  private onEngineDied(e: Engine, reason: string, culprit?: Request): void {
    if (e !== this.engineInstance) return;
    this.log.warn(reason);
    if (culprit && 'uri' in culprit && 'version' in culprit) this.markStopped(culprit.uri, culprit.version, reason);
    const now = Date.now();
    this.deaths = [...this.deaths.filter((t) => now - t < 60_000), now];
    const delay = restartDelayMs(this.deaths.length);
    this.engineInstance = undefined;
    this.inflight.clear();
    const restart = () => {
      this.restartTimer = undefined;
      if (this.disposed) return;
      void this.engine.request(this.configurePayload).catch(() => undefined);
      this.reanalyzeAll();
    };
    if (delay === 0) restart();
    else {
      this.log.warn(`The analysis worker died ${this.deaths.length} times in a minute; restarting it in ${delay / 1000} s.`);
      this.restartTimer = setTimeout(restart, delay);
    }
  }

  /** The analysis of this version of the document stopped the worker: say so on it, and do not send it again. */
  private markStopped(uri: string, version: number, reason: string): void {
    this.stopped.set(uri, { version, reason });
    const d = new vscode.Diagnostic(
      new vscode.Range(0, 0, 0, 0),
      `MixVarGENet stopped analysing this file: ${reason}. It is analysed again after your next edit (or "MixVarGENet: Restart Analysis").`,
      vscode.DiagnosticSeverity.Warning,
    );
    d.source = 'mixvargenet';
    d.code = 'analysis-stopped';
    this.stoppedDiagnostics.set(vscode.Uri.parse(uri), [d]);
  }

  /** Whether this version of the document stopped the worker (it is then not analysed or queried again). */
  isStopped(doc: vscode.TextDocument): { reason: string } | undefined {
    const st = this.stopped.get(doc.uri.toString());
    return st && st.version === doc.version ? st : undefined;
  }

  private clearStopped(uri: string): void {
    if (this.stopped.delete(uri)) this.stoppedDiagnostics.delete(vscode.Uri.parse(uri));
  }

  /** Restart the engine (command "Restart Analysis"). */
  async restart(): Promise<Engine['kind'] | 'not started'> {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.deaths = [];
    for (const uri of [...this.stopped.keys()]) this.clearStopped(uri);
    const old = this.engineInstance;
    this.engineInstance = this.startEngine();
    old?.dispose();
    this.inflight.clear();
    this.rulesCache = undefined;
    await this.configure(this.configurePayload.ops);
    this.reanalyzeAll();
    return this.engine.kind;
  }

  async configure(ops: { json: unknown; source: string } | null): Promise<ConfigureResult> {
    this.configurePayload = { type: 'configure', ops };
    // Without a user op table there is nothing to tell a worker that has not started.
    if (!ops && !this.engineInstance) return { ops: [], problems: [] };
    const r = await this.engine.request(this.configurePayload);
    return r.value;
  }

  async rules(): Promise<RuleInfo[]> {
    if (!this.rulesCache) this.rulesCache = (await this.engine.request({ type: 'rules' })).value;
    return this.rulesCache;
  }

  isCandidate(doc: vscode.TextDocument): boolean {
    return doc.languageId === 'python' && !IGNORED_SCHEMES.has(doc.uri.scheme);
  }

  /** The cheap check: is this document a MixVarGENet config? (cached per version) */
  isConfig(doc: vscode.TextDocument): boolean {
    if (!this.isCandidate(doc)) return false;
    const key = doc.uri.toString();
    const c = this.isConfigCache.get(key);
    if (c && c.version === doc.version) return c.isConfig;
    const isConfig = doc.getText().includes(CONFIG_MARKER);
    this.isConfigCache.set(key, { version: doc.version, isConfig });
    return isConfig;
  }

  snapshot(doc: vscode.TextDocument | vscode.Uri | string): AnalysisSnapshot | undefined {
    const key = typeof doc === 'string' ? doc : 'uri' in doc ? doc.uri.toString() : doc.toString();
    return this.snapshots.get(key);
  }

  /** The snapshot if it describes exactly this version of the document. */
  current(doc: vscode.TextDocument): AnalysisSnapshot | undefined {
    const s = this.snapshots.get(doc.uri.toString());
    return s && s.version === doc.version ? s : undefined;
  }

  allSnapshots(): AnalysisSnapshot[] {
    return [...this.snapshots.values()];
  }

  schedule(doc: vscode.TextDocument, delay: number): void {
    if (!this.isCandidate(doc)) return;
    const key = doc.uri.toString();
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    if (delay <= 0) {
      this.timers.delete(key);
      void this.run(doc);
      return;
    }
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.run(doc);
      }, delay),
    );
  }

  /** Analyse now (no debounce); resolves with the snapshot applied for this version (or a later one). */
  analyzeNow(doc: vscode.TextDocument): Promise<AnalysisSnapshot | undefined> {
    const p = this.whenAnalyzed(doc, doc.version);
    this.schedule(doc, 0);
    return p;
  }

  /** Resolves when a snapshot of at least `minVersion` is applied (undefined if the document is not a config). */
  whenAnalyzed(doc: vscode.TextDocument, minVersion = doc.version, timeoutMs = 15_000): Promise<AnalysisSnapshot | undefined> {
    const key = doc.uri.toString();
    const s = this.snapshots.get(key);
    if (s && s.version >= minVersion) return Promise.resolve(s);
    if (!this.isConfig(doc) && !s && !this.inflight.has(key) && !this.timers.has(key)) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const w: Waiter = { minVersion, resolve };
      const list = this.waiters.get(key) ?? [];
      list.push(w);
      this.waiters.set(key, list);
      setTimeout(() => {
        const l = this.waiters.get(key);
        if (l && l.includes(w)) {
          l.splice(l.indexOf(w), 1);
          resolve(this.snapshots.get(key));
        }
      }, timeoutMs);
    });
  }

  private settle(key: string, version: number, s: AnalysisSnapshot | undefined): void {
    const list = this.waiters.get(key);
    if (!list) return;
    const keep: Waiter[] = [];
    for (const w of list) {
      if (version >= w.minVersion) w.resolve(s);
      else keep.push(w);
    }
    if (keep.length) this.waiters.set(key, keep);
    else this.waiters.delete(key);
  }

  private async run(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    if (doc.isClosed) return;
    if (!this.isConfig(doc)) {
      if (this.snapshots.has(key)) {
        this.snapshots.delete(key);
        void this.engineInstance?.request({ type: 'forget', uri: key }).catch(() => undefined);
        this.emitter.fire({ document: doc, snapshot: undefined });
      }
      this.settle(key, doc.version, undefined);
      return;
    }
    if (this.inflight.has(key)) {
      this.again.set(key, doc);
      return;
    }
    const stopped = this.stopped.get(key);
    if (stopped && stopped.version === doc.version) {
      this.settle(key, doc.version, this.snapshots.get(key));
      return;
    }
    if (stopped) this.clearStopped(key);
    const version = doc.version;
    this.inflight.set(key, version);
    const requestedAt = performance.now();
    let reply: EngineReply<ResponseValue<Extract<Request, { type: 'analyze' }>>> | undefined;
    let hostSendMs = 0;
    try {
      const pending = this.engine.request({ type: 'analyze', uri: key, version, text: doc.getText(), options: docOptions(doc.uri) });
      hostSendMs = performance.now() - requestedAt;
      reply = await pending;
    } catch (e) {
      this.log.error(`Analysis of ${doc.uri.fsPath || key} failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      if (this.inflight.get(key) === version) this.inflight.delete(key);
    }
    if (reply && !doc.isClosed && doc.version === version) {
      const snap = reply.value;
      this.snapshots.set(key, snap);
      for (const r of snap.ruleErrors) this.log.error(`Rule ${r.code} threw on ${vscode.workspace.asRelativePath(doc.uri)}: ${r.error}`);
      const replyAt = performance.now();
      const timing = { requestedAt, appliedAt: 0, roundTripMs: reply.roundTripMs, serviceMs: reply.serviceMs, hostSendMs, applyMs: 0 };
      this.emitter.fire({ document: doc, snapshot: snap, timing });
      timing.appliedAt = performance.now();
      timing.applyMs = timing.appliedAt - replyAt;
      this.lastTiming = { ...timing, uri: key, version, snapshot: snap };
      this.settle(key, version, snap);
    }
    const next = this.again.get(key);
    if (next) {
      this.again.delete(key);
      // Asked again while this one ran: a newer version, or the same one under changed settings (severity, target,
      // disabled rules, the op table). The service answers an unchanged request from its cache.
      if (!next.isClosed) void this.run(next);
    } else if (!doc.isClosed && doc.version !== version && !this.timers.has(key)) {
      // Edited while in flight with no follow-up scheduled (e.g. a debounce already fired): catch up.
      void this.run(doc);
    }
  }

  /** Hover, completion, signature help: computed in the engine on the document's current text. */
  async query<K extends QueryKind>(doc: vscode.TextDocument, kind: K, offset: number, token?: vscode.CancellationToken): Promise<QueryResults[K] | undefined> {
    if (!this.isConfig(doc) || this.isStopped(doc)) return undefined;
    const version = doc.version;
    try {
      const r = await this.engine.request({ type: 'query', uri: doc.uri.toString(), version, text: doc.getText(), options: docOptions(doc.uri), kind, offset }, 5_000);
      if (token?.isCancellationRequested || doc.version !== version) return undefined;
      return r.value as QueryResults[K];
    } catch (e) {
      this.log.error(`${kind} failed: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  /**
   * The ONNX plan of the document's current text (plain data, made in the engine from the same analysis as
   * the snapshot and the queries): what "Measure Latency" times and "Export ONNX" writes.
   */
  async onnxPlan(doc: vscode.TextDocument): Promise<PlanResult> {
    if (!this.isConfig(doc)) return { ok: false, error: 'no MixVarGENet network in this file (net_config with MixVarGENetConfig stages)' };
    const stopped = this.isStopped(doc);
    if (stopped) return { ok: false, error: `the analysis of this file was stopped (${stopped.reason})` };
    try {
      const r = await this.engine.request({ type: 'onnxPlan', uri: doc.uri.toString(), version: doc.version, text: doc.getText(), options: docOptions(doc.uri) }, 10_000);
      return r.value;
    } catch (e) {
      return { ok: false, error: `the analysis failed: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  /**
   * A config file's compare row inputs (the compare and configs views), computed in the engine: from `text` (an open
   * editor's) or the file on disk, read by the worker. With `withPlan`, also its ONNX plan (a cached latency's key).
   */
  async compareInputs(uri: vscode.Uri, text: string | undefined, withPlan = false): Promise<CompareInputsResult> {
    try {
      const r = await this.engine.request({ type: 'compareInputs', path: uri.fsPath, text, options: docOptions(uri), withPlan }, 10_000);
      return r.value;
    } catch (e) {
      return { ok: false, error: `the analysis failed: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  /**
   * Analyse a text that is not an open document (the old side of a comparison: a file at a git revision) in the
   * worker, with the settings of `scope`'s document; the worker keeps nothing of it afterwards.
   */
  async analyzeText(key: string, text: string, scope: vscode.Uri): Promise<AnalysisSnapshot> {
    const r = await this.engine.request({ type: 'analyze', uri: key, version: 0, text, options: docOptions(scope) }, 10_000);
    void this.engineInstance?.request({ type: 'forget', uri: key }).catch(() => undefined);
    return r.value;
  }

  /** The ONNX plan of such a text (to look its measured latency up in the result cache); nothing is kept either. */
  async onnxPlanOfText(key: string, text: string, scope: vscode.Uri): Promise<PlanResult> {
    try {
      const r = await this.engine.request({ type: 'onnxPlan', uri: key, version: 0, text, options: docOptions(scope) }, 10_000);
      return r.value;
    } catch (e) {
      return { ok: false, error: `the analysis failed: ${e instanceof Error ? e.message : String(e)}` };
    } finally {
      void this.engineInstance?.request({ type: 'forget', uri: key }).catch(() => undefined);
    }
  }

  reanalyzeAll(): void {
    for (const doc of vscode.workspace.textDocuments) {
      this.isConfigCache.delete(doc.uri.toString());
      this.schedule(doc, 0);
    }
    this.reanalyzeEmitter.fire();
  }

  private forget(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
    this.isConfigCache.delete(key);
    this.again.delete(key);
    this.lastChange.delete(key);
    this.clearStopped(key);
    if (this.snapshots.delete(key)) {
      void this.engineInstance?.request({ type: 'forget', uri: key }).catch(() => undefined);
      this.emitter.fire({ document: doc, snapshot: undefined });
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.stoppedDiagnostics.dispose();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.engineInstance?.dispose();
    this.emitter.dispose();
    this.reanalyzeEmitter.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

export function workerPathFor(context: vscode.ExtensionContext): string {
  return path.join(context.extensionPath, 'dist', 'analysisWorker.js');
}
