/**
 * HAT tasks from the editor (issue 6): every stage of MIXVARGENET.md §1 as a task of type "hat" and palette /
 * menu commands for the common ones; the run's output parsed live (progress notification with ETA) and at the
 * end (accuracy, FPS, the root cause of a failure); results stored per config in the workspace
 * (`.mixvargenet/results.json`) and shown inline on the config's `task_name` line, with the history in the hover
 * and in a chart. A failure that points into the config becomes a diagnostic on that line ('mixvargenet-hat').
 *
 * This module wires the parts together and draws the inline results: the task type and run commands are
 * provider.ts, one run is run.ts (its output: capture.ts; a failure: failure.ts), "Import Board Results" is
 * board.ts, the results stores are stores.ts and the history chart history.ts.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatHover, formatSummary, type LatestResults, latestResults, type RunRecord, runsFor, type StageId, summaryLine } from '../../core/hat';
import { loadStore } from '../../core/hat/store';
import { HAT_SECTION, hatSettings } from '../../host/settings';
import type { AnalysisManager } from '../analysis/manager';
import { type RunOutcome, uriFor } from './args';
import { importBoard } from './board';
import { HistoryPanel } from './history';
import { HatTaskProvider } from './provider';
import { HatRuns } from './run';
import { ResultStores } from './stores';
import { followedElsewhere } from '../../run/slurm';
import { chooseScriptsDir } from './setup';

export class HatTasks implements vscode.Disposable {
  private readonly subs: vscode.Disposable[] = [];
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor('editorCodeLens.foreground'), margin: '0 0 0 2em', fontStyle: 'italic' },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private readonly stores: ResultStores;
  private readonly runs: HatRuns;
  private readonly history: HistoryPanel;
  private readonly provider: HatTaskProvider;
  private refreshTimer?: NodeJS.Timeout;
  private readonly ticker: NodeJS.Timeout;
  private readonly resultsChanged = new vscode.EventEmitter<void>();
  /** A results store was reloaded or written, or a run started or ended (the compare and configs views refresh). */
  readonly onDidChangeResults = this.resultsChanged.event;

  constructor(
    context: vscode.ExtensionContext,
    manager: AnalysisManager,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.stores = new ResultStores(
      log,
      () => {
        this.refreshSoon();
        this.resultsChanged.fire();
      },
      () => {
        this.refresh();
        this.history.update();
        this.resultsChanged.fire();
      },
    );
    this.history = new HistoryPanel(context.extensionUri, (file) => this.stores.entryFor(file));
    this.runs = new HatRuns(this.stores, log, (ms) => this.refreshSoon(ms));
    this.provider = new HatTaskProvider(
      (d) => manager.isConfig(d),
      (def, opts, pty, folder) => this.runs.execute(def, opts, pty, folder),
      async (def, folder) => {
        const r = await this.runs.check(def, folder);
        return 'problem' in r ? r.problem : undefined;
      },
      log,
    );
    this.subs.push(
      this.resultsChanged,
      this.runs,
      this.runs.onDidChangeRuns(() => this.resultsChanged.fire()),
      this.decoration,
      this.history,
      this.stores,
      this.provider,
      vscode.commands.registerCommand('mixvargenet.hat.chooseScriptsDir', (arg?: unknown) => chooseScriptsDir(arg)),
      vscode.commands.registerCommand('mixvargenet.hat.importBoardResults', (arg?: unknown) => importBoard(arg, this.stores)),
      vscode.commands.registerCommand('mixvargenet.hat.showHistory', (arg?: unknown) => this.showHistory(arg)),
      vscode.commands.registerCommand('mixvargenet.hat._state', (uri?: string) => this.state(uri)),
      // Internal (tests): what a window reload does to Slurm jobs — stop following them (they run on), then follow
      // again those in the stores that nobody follows.
      vscode.commands.registerCommand('mixvargenet.hat._detachJobs', () => this.runs.detachAll()),
      vscode.commands.registerCommand('mixvargenet.hat._reattachJobs', () => this.reattachJobs()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.reattachJobs()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.refreshSoon()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (vscode.window.visibleTextEditors.some((ed) => ed.document === e.document)) this.refreshSoon(300);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${HAT_SECTION}.inlineResults`)) this.refreshSoon();
      }),
    );
    // "2 h ago" ages: redraw once a minute.
    this.ticker = setInterval(() => this.refresh(), 60_000);
    this.refreshSoon();
    void this.reattachJobs();
  }

  /**
   * Slurm jobs submitted from this workspace and not yet recorded (a window reloaded, or closed, while they ran):
   * each is followed again in a task terminal of its own, to its end and its record. A job that another live process
   * follows (another window, `mvg run`) is left to it. Trusted workspaces only. Returns the job ids followed.
   */
  private async reattachJobs(): Promise<string[]> {
    if (!vscode.workspace.isTrusted) return [];
    const out: string[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      const entry = await this.stores.load(folder.uri.fsPath);
      for (const job of entry.store.jobs ?? []) {
        if (this.runs.isFollowing(job.jobId) || followedElsewhere(job)) continue;
        out.push(job.jobId);
        this.log.info(`hat: Slurm job ${job.jobId} (${job.stage} ${job.config}) is still in the store: following it again`);
        void this.provider.follow({ type: 'hat', stage: job.stage, config: path.join(folder.uri.fsPath, ...job.config.split('/')), jobId: job.jobId }, folder, { silent: true });
      }
    }
    return out;
  }

  /**
   * A config's latest HAT results (from its loaded store) and its run status: `running` while a stage runs on it,
   * `failed` when its last run failed (the compare and configs views).
   */
  async resultsOf(file: string): Promise<{ latest: LatestResults; status?: 'running' | 'failed'; error?: string }> {
    const { root, key } = this.stores.slotOf(file);
    const st = await this.stores.load(root);
    const latest = latestResults(runsFor(st.store, key));
    const status = this.runs.runningOn(file).length ? 'running' : latest.last?.status === 'failed' ? 'failed' : undefined;
    return { latest, status, error: st.error };
  }

  // -----------------------------------------------------------------------------------------
  // For the language-model tools (features/agentTools): the stored results, and a run with its exact command.
  // -----------------------------------------------------------------------------------------

  /** Read the results stores of these config files again now (once per store), for an answer that must be current. */
  async reloadResults(files: readonly string[]): Promise<void> {
    const roots = new Set(files.map((f) => this.stores.rootOf(f)));
    await Promise.all([...roots].map((r) => this.stores.reload(r)));
  }

  /** The results stored for a config file, read from its workspace folder's store now (another window or `mvg` may have added runs). */
  async results(config: string): Promise<{ storeFile: string; runs: RunRecord[]; latest: LatestResults; error?: string }> {
    const { key, storeFile } = this.stores.slotOf(config);
    const st = await loadStore(storeFile);
    const runs = runsFor(st.store, key);
    return { storeFile, runs, latest: latestResults(runs), error: st.error };
  }

  /** What a run of `stage` on `config` would execute (argv shell-quoted for display, and where), or why it cannot start. */
  async planRun(stage: StageId, config: vscode.Uri): Promise<{ display: string; cwd: string } | { problem: string }> {
    const r = await this.runs.check({ type: 'hat', stage, config: config.fsPath }, vscode.workspace.getWorkspaceFolder(config));
    return 'problem' in r ? { problem: r.problem.error } : { display: r.built.display, cwd: r.built.cwd };
  }

  /** Run `stage` on `config` as the run commands do (a task with its terminal); cancelling the token stops it. */
  async run(stage: StageId, config: vscode.Uri, token?: vscode.CancellationToken): Promise<RunOutcome> {
    const sub = token?.onCancellationRequested(() => {
      for (const r of this.runs.runningOn(config.fsPath)) if (r.stage === stage) r.stop();
    });
    try {
      return await this.provider.runCommand(stage, { uri: config.toString() });
    } finally {
      sub?.dispose();
    }
  }

  // -----------------------------------------------------------------------------------------
  // History view.
  // -----------------------------------------------------------------------------------------

  private async showHistory(arg?: unknown): Promise<{ ok: boolean; runs?: number; error?: string }> {
    const uri = uriFor(arg);
    if (!uri || uri.scheme !== 'file') {
      void vscode.window.showInformationMessage('MixVarGENet: open a config file to see its HAT results history.');
      return { ok: false, error: 'no config' };
    }
    await this.stores.load(this.stores.rootOf(uri.fsPath));
    const n = this.history.show(uri.fsPath);
    return { ok: true, runs: n };
  }

  // -----------------------------------------------------------------------------------------
  // Decorations.
  // -----------------------------------------------------------------------------------------

  private refreshSoon(ms = 100): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.refresh();
    }, ms);
  }

  private inlineFor(doc: vscode.TextDocument): { line: number; text: string; hover: string } | undefined {
    if (doc.uri.scheme !== 'file' || doc.languageId !== 'python') return undefined;
    const file = doc.uri.fsPath;
    if (!hatSettings(doc.uri, 'calibration').inlineResults) return undefined;
    const { root, key } = this.stores.slotOf(file);
    const st = this.stores.get(root);
    if (!st) {
      void this.stores.load(root).then(() => this.refreshSoon());
      return undefined;
    }
    const runs = runsFor(st.store, key);
    const running = this.runs.runningOn(file);
    if (!runs.length && !running.length) return undefined;
    const line = summaryLine(doc.getText()) ?? 0;
    const now = new Date();
    const latest = latestResults(runs);
    let text = formatSummary(latest, now);
    for (const r of running) {
      // A Slurm job: its state until the log gives an ETA ("float_train job 4711 PENDING (Resources)").
      const what = r.eta ? ` (${r.eta})` : r.jobId ? ` (job ${r.jobId} ${r.jobState ?? 'submitted'})` : '…';
      text += `${text ? ' · ' : ''}${r.stage} running${r.fraction !== undefined ? ` ${Math.round(r.fraction * 100)}%` : ''}${what}`;
    }
    let hover = formatHover(latest, runs, now);
    hover += `\n\n[Show the history chart](command:mixvargenet.hat.showHistory?${encodeURIComponent(JSON.stringify([{ uri: doc.uri.toString() }]))})`;
    if (st.error) hover += `\n\n_${st.error}_`;
    return { line, text, hover };
  }

  private refresh(): void {
    for (const ed of vscode.window.visibleTextEditors) {
      let info: ReturnType<HatTasks['inlineFor']>;
      try {
        info = this.inlineFor(ed.document);
      } catch (e) {
        this.log.error(`hat: decoration failed: ${e instanceof Error ? e.message : String(e)}`);
        info = undefined;
      }
      if (!info || info.line >= ed.document.lineCount) {
        ed.setDecorations(this.decoration, []);
        continue;
      }
      const end = ed.document.lineAt(info.line).range.end;
      const hover = new vscode.MarkdownString(info.hover);
      hover.isTrusted = { enabledCommands: ['mixvargenet.hat.showHistory'] };
      ed.setDecorations(this.decoration, [{ range: new vscode.Range(end, end), hoverMessage: hover, renderOptions: { after: { contentText: info.text } } }]);
    }
  }

  /** Internal (tests): what the inline decoration, the store and the diagnostics of a config say. */
  private async state(uri?: string): Promise<unknown> {
    const u = uri ? vscode.Uri.parse(uri) : vscode.window.activeTextEditor?.document.uri;
    if (!u || u.scheme !== 'file') return undefined;
    const { root, key, storeFile } = this.stores.slotOf(u.fsPath);
    const st = await this.stores.load(root);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === u.toString());
    const info = doc ? this.inlineFor(doc) : undefined;
    return {
      storeFile,
      key,
      storeError: st.error,
      runs: runsFor(st.store, key).length,
      inline: info,
      running: this.runs.runningOn(u.fsPath).map((r) => ({ stage: r.stage, eta: r.eta, fraction: r.fraction, jobId: r.jobId, jobState: r.jobState })),
      jobs: (st.store.jobs ?? []).map((j) => j.jobId),
      diagnostics: this.runs.diagnosticsOf(u)?.map((d) => ({ line: d.range.start.line, message: d.message, source: d.source })) ?? [],
      history: this.history.state(),
    };
  }

  dispose(): void {
    clearInterval(this.ticker);
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const s of this.subs) s.dispose();
  }
}

export function registerTasks(context: vscode.ExtensionContext, manager: AnalysisManager, log: vscode.LogOutputChannel): HatTasks {
  return new HatTasks(context, manager, log);
}
