/**
 * Graph preview (issue 4): one webview panel per config file, beside the editor, restored after a
 * window reload. The host builds the graph model with the core (graph/model.ts) from the analysis
 * worker's snapshots and posts it; the webview (webview/, its own bundle) lays it out and draws it.
 *
 * - Live: each new snapshot of the file is posted (coalesced); while the file has a syntax error the
 *   last good picture stays and the webview shows a "stale" banner.
 * - Navigation: a click on a node selects its config text in the editor; moving the cursor in the
 *   editor highlights the node under it.
 * - Export: SVG/PNG through a save dialog (written only where the user chose), copy SVG to the clipboard.
 * - Measured time: when "Measure Latency" has timed this network, nodes can be coloured by it.
 */
import * as vscode from 'vscode';
import type { AnalysisSnapshot } from '../../core/ide/snapshot';
import { buildGraph, nodeAtOffset, type GraphOptions } from '../../core/graph/model';
import { parseWebviewMessage, type DomReport, type GraphModel, type HostMessage, type StaleInfo, type ViewState, type WebviewMessage } from '../../core/graph/types';
import type { AnalysisManager } from '../analysis/manager';
import type { PerfFeature } from '../perf/perf';
import { webviewPage } from '../../host/webviewHtml';
import { resultsForConfig } from '../../core/hat/store';
import { markDiff } from '../../core/graph/diff';
import type { DiffFeature } from '../diff/diff';
import { notificationText } from '../../core/markdown';
import { formatSummary, historyLine } from '../../core/hat/format';
import { openDocumentFromArg, uriFromArg } from '../../host/commandArgs';
import { fileNameOf, GRAPH_VIEW_TYPE, graphPreviewTitle } from '../../host/graphPreview';

const OPEN_KEY = 'mixvargenet.graph.open';

interface Entry {
  uri: string;
  panel: vscode.WebviewPanel;
  ready: boolean;
  /** Last model posted (the last good one while the file has a syntax error). */
  model?: GraphModel;
  stale: StaleInfo | null;
  view?: ViewState;
  highlighted: string | null;
  pending?: NodeJS.Timeout;
  probes: Map<number, (r: DomReport) => void>;
  subs: vscode.Disposable[];
  /** Host → webview messages posted (tests read them through `_graphState`). */
  posted: number;
  /** The config's latest HAT results for the header, read asynchronously (loadResults) and kept here. */
  results?: GraphOptions['results'];
  lastReveal?: { nodeId: string; range: [number, number] };
  /** Where the next export goes without a dialog (the command was given a path), and who waits for it. */
  exportTo?: { uri: vscode.Uri; done: (r: { ok: boolean; path?: string; bytes?: number; error?: string }) => void };
  lastExport?: { format: string; path: string; bytes: number };
}

/** The syntax error that makes the picture stale, if the file has one. */
export function staleOf(snap: AnalysisSnapshot): StaleInfo | null {
  const f = snap.findings.find((x) => x.code === 'MVG000');
  return f ? { line: f.range.from.line + 1, message: f.message } : null;
}

export class GraphPanels implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly subs: vscode.Disposable[] = [];
  private probeId = 0;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly manager: AnalysisManager,
    private readonly perf: PerfFeature | undefined,
    private readonly log: vscode.LogOutputChannel,
    /** Compare with HEAD / a revision / a file: the picture marks what changed (diff mode). */
    private readonly diff?: DiffFeature,
  ) {
    this.subs.push(
      vscode.commands.registerCommand('mixvargenet.openGraphPreview', (arg?: unknown) => this.open(arg)),
      vscode.commands.registerCommand('mixvargenet.graph.exportSvg', (arg?: unknown) => this.exportCommand('exportSvg', arg)),
      vscode.commands.registerCommand('mixvargenet.graph.exportPng', (arg?: unknown) => this.exportCommand('exportPng', arg)),
      vscode.commands.registerCommand('mixvargenet.graph.copySvg', () => this.command('copySvg')),
      vscode.commands.registerCommand('mixvargenet.graph.fit', () => this.command('fit')),
      vscode.commands.registerCommand('mixvargenet.graph.find', () => this.command('find')),
      vscode.commands.registerCommand('mixvargenet._graphState', (uri?: string, action?: NonNullable<Extract<HostMessage, { type: 'probe' }>['action']>) => this.state(uri, action)),
      vscode.window.registerWebviewPanelSerializer(GRAPH_VIEW_TYPE, {
        deserializeWebviewPanel: (panel, state: unknown) => this.restore(panel, state),
      }),
      manager.onDidAnalyze((e) => {
        const entry = this.entries.get(e.document.uri.toString());
        if (entry && e.snapshot) this.schedule(entry, e.snapshot);
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => this.cursorMoved(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((ed) => {
        if (ed) this.cursorMoved(ed);
      }),
    );
    if (perf) this.subs.push(perf.onDidChange((uri) => this.refresh(uri)));
    if (diff) this.subs.push(diff.onDidChange((uri) => this.refresh(uri)));
    // HAT results (issue 6) land in <workspace>/.mixvargenet/results.json: show the latest in the header.
    const watcher = vscode.workspace.createFileSystemWatcher('**/.mixvargenet/results.json');
    const again = () => {
      for (const entry of this.entries.values()) void this.loadResults(entry);
    };
    this.subs.push(watcher, watcher.onDidChange(again), watcher.onDidCreate(again), watcher.onDidDelete(again));
  }

  // ------------------------------------------------------------------------------- open / restore

  private async open(arg?: unknown): Promise<{ uri: string } | undefined> {
    let doc = openDocumentFromArg(arg);
    const named = uriFromArg(arg);
    if (!doc && named) {
      try {
        doc = await vscode.workspace.openTextDocument(named);
      } catch (e) {
        void vscode.window.showErrorMessage(notificationText(`MixVarGENet: cannot open ${String(arg)}: ${e instanceof Error ? e.message : String(e)}`));
        return undefined;
      }
    }
    if (!doc) {
      void vscode.window.showInformationMessage('MixVarGENet: open a config file (a Python file with MixVarGENetConfig) to preview its network.');
      return undefined;
    }
    if (!this.manager.isConfig(doc)) {
      void vscode.window.showInformationMessage(`MixVarGENet: ${fileNameOf(doc.uri.toString())} has no MixVarGENetConfig: nothing to draw.`);
      return undefined;
    }
    const uri = doc.uri.toString();
    const existing = this.entries.get(uri);
    if (existing) {
      existing.panel.reveal(undefined, true);
      return { uri };
    }
    const column = vscode.window.activeTextEditor?.document === doc ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    const panel = vscode.window.createWebviewPanel(GRAPH_VIEW_TYPE, this.title(uri), { viewColumn: column, preserveFocus: true }, this.options());
    this.attach(panel, uri, undefined);
    const snap = this.manager.current(doc) ?? (await this.manager.analyzeNow(doc));
    const entry = this.entries.get(uri);
    if (entry && snap) this.apply(entry, snap);
    return { uri };
  }

  private async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    // The config is in the webview's saved state; when the window went away before that state was stored, the
    // list of open previews this extension keeps (workspace state) names it by the panel's title.
    const fromState = state && typeof state === 'object' && typeof (state as { uri?: unknown }).uri === 'string' ? (state as { uri: string }).uri : undefined;
    const uri = fromState ?? this.remembered().find((u) => this.title(u) === panel.title && !this.entries.has(u));
    this.log.info(`graph: restoring the preview of ${uri ?? '(unknown config: closed)'}${fromState ? '' : ' (from the list of open previews)'}`);
    if (!uri) {
      panel.dispose();
      return;
    }
    panel.webview.options = { enableScripts: true, localResourceRoots: this.options().localResourceRoots };
    this.attach(panel, uri, state);
    try {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
      const snap = this.manager.current(doc) ?? (await this.manager.analyzeNow(doc));
      const entry = this.entries.get(uri);
      if (entry && snap) this.apply(entry, snap);
    } catch (e) {
      this.log.warn(`graph: cannot restore the preview of ${uri}: ${e instanceof Error ? e.message : String(e)}`);
      const entry = this.entries.get(uri);
      if (entry) this.post(entry, { type: 'stale', stale: { line: 0, message: `the file could not be opened (${e instanceof Error ? e.message : String(e)})` } });
    }
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      enableFindWidget: false,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist')],
    };
  }

  private title(uri: string): string {
    return graphPreviewTitle(uri);
  }

  private attach(panel: vscode.WebviewPanel, uri: string, state: unknown): void {
    const entry: Entry = { uri, panel, ready: false, stale: null, highlighted: null, probes: new Map(), subs: [], posted: 0 };
    this.entries.set(uri, entry);
    this.updateContext();
    void this.loadResults(entry);
    panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'images', 'icon.png');
    panel.webview.html = this.html(panel.webview, uri);
    entry.subs.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const msg = parseWebviewMessage(raw);
        if (!msg) {
          this.log.warn(`graph: ignored an invalid message from the webview: ${JSON.stringify(raw)?.slice(0, 200)}`);
          return;
        }
        void this.onMessage(entry, msg).catch((e) => this.log.error(`graph: ${e instanceof Error ? e.stack ?? e.message : String(e)}`));
      }),
      panel.onDidDispose(() => {
        if (entry.pending) clearTimeout(entry.pending);
        for (const s of entry.subs) s.dispose();
        for (const r of entry.probes.values()) r(undefined as unknown as DomReport);
        if (this.entries.get(uri) === entry) this.entries.delete(uri);
        this.updateContext();
      }),
      panel.onDidChangeViewState((e) => {
        // Hidden, the webview is unloaded (no retained context); shown again, it says 'ready' and gets the model.
        if (!e.webviewPanel.visible) entry.ready = false;
      }),
    );
    void state;
  }

  /** `mixvargenet.graphOpen`: the export/copy/fit commands are offered while a preview is open. */
  private updateContext(): void {
    void vscode.commands.executeCommand('setContext', 'mixvargenet.graphOpen', this.entries.size > 0);
    void this.context.workspaceState.update(OPEN_KEY, [...this.entries.keys()]).then(undefined, () => undefined);
  }

  private remembered(): string[] {
    const v = this.context.workspaceState.get<unknown>(OPEN_KEY);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  }

  private html(webview: vscode.Webview, uri: string): string {
    const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist');
    const asset = (f: string) => webview.asWebviewUri(vscode.Uri.joinPath(dist, f));
    return webviewPage({
      webview,
      title: this.title(uri),
      script: asset('webview.js'),
      stylesheets: [asset('codicon.css'), asset('webview.css')],
      inlineStyleAttributes: true,
      blobImages: true,
      fonts: true,
      data: { uri, file: fileNameOf(uri) },
      body: '<div id="app"></div>',
    });
  }

  // ------------------------------------------------------------------------------------ updates

  private measuredFor(uri: string, snap: AnalysisSnapshot): GraphOptions['measured'] {
    const m = this.perf?.measured(uri);
    if (!m) return null;
    const r = m.result;
    // The same network: measured on this version, or one whose MACs and stages are the same (an edit of comments).
    const same = m.version === snap.version || (r.macs !== null && r.macs === snap.macs && r.stages.length === snap.stages.length);
    if (!same || r.stages.length === 0) return null;
    // With int8 measured, the picture is coloured by int8 time.
    const q = r.precisions?.int8;
    const timed = q && q.stages.length ? q : r;
    const stages = new Map<number, number>();
    for (const s of timed.stages) stages.set(s.index, s.latencyMs);
    return {
      stages,
      totalMs: timed.latencyMs.median,
      description: `onnxruntime-node ${r.ortVersion} · CPU${timed === q ? ` · int8 (${q.quantizedConvs}/${q.totalConvs} convs)` : ''} · ${r.threads} thread${r.threads === 1 ? '' : 's'} · batch ${r.batch} · median of ${r.runs} (not J5)`,
    };
  }

  /**
   * Read the config's latest HAT results (formatted like the editor's inline summary) off the host's thread —
   * the store is read as a bounded regular file, never through a symlink — then redraw with them.
   */
  private async loadResults(entry: Entry): Promise<void> {
    let results: GraphOptions['results'] = null;
    try {
      const u = vscode.Uri.parse(entry.uri);
      if (u.scheme === 'file') {
        const r = await resultsForConfig(u.fsPath);
        if (r.error) this.log.warn(`graph: HAT results of ${fileNameOf(entry.uri)} not shown: ${r.error}`);
        const now = new Date();
        const summary = r.runs.length ? formatSummary(r.latest, now) : '';
        if (summary) {
          const history = [...r.runs].reverse().slice(0, 8).map((x) => historyLine(x, now));
          results = { summary, detail: [`Latest HAT results of ${fileNameOf(entry.uri)}:`, ...history].join('\n') };
        }
      }
    } catch (e) {
      this.log.debug(`graph: no HAT results for ${entry.uri}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (this.entries.get(entry.uri) !== entry) return;
    entry.results = results;
    this.refresh(entry.uri);
  }

  private schedule(entry: Entry, snap: AnalysisSnapshot): void {
    if (entry.pending) clearTimeout(entry.pending);
    entry.pending = setTimeout(() => {
      entry.pending = undefined;
      const latest = this.manager.snapshot(entry.uri) ?? snap;
      this.apply(entry, latest);
    }, 60);
  }

  private apply(entry: Entry, snap: AnalysisSnapshot): void {
    try {
      const stale = staleOf(snap);
      entry.stale = stale;
      if (stale && entry.model && !entry.model.empty) {
        this.post(entry, { type: 'stale', stale });
        return;
      }
      const model = buildGraph(snap, { fileName: fileNameOf(entry.uri), measured: this.measuredFor(entry.uri, snap), results: entry.results ?? null });
      const cmp = this.diff?.comparison(entry.uri);
      entry.model = cmp?.diff && cmp.version === snap.version ? markDiff(model, cmp.diff, cmp.base.label) : model;
      this.post(entry, { type: 'model', model: entry.model, stale });
      const ed = vscode.window.activeTextEditor;
      if (ed && ed.document.uri.toString() === entry.uri) this.cursorMoved(ed, true);
    } catch (e) {
      this.log.error(`graph: cannot build the graph of ${entry.uri}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
  }

  private refresh(uri: string): void {
    const entry = this.entries.get(uri);
    const snap = this.manager.snapshot(uri);
    if (entry && snap) this.apply(entry, snap);
  }

  private post(entry: Entry, msg: HostMessage): void {
    if (!entry.ready && msg.type !== 'model' && msg.type !== 'stale') return; // sent again on 'ready'
    entry.posted++;
    void entry.panel.webview.postMessage(msg).then(undefined, () => undefined);
  }

  private cursorMoved(editor: vscode.TextEditor, force = false): void {
    const entry = this.entries.get(editor.document.uri.toString());
    if (!entry?.model || !entry.ready) return;
    const offset = editor.document.offsetAt(editor.selection.active);
    const id = nodeAtOffset(entry.model, offset);
    if (id === entry.highlighted && !force) return;
    entry.highlighted = id;
    this.post(entry, { type: 'highlight', nodeId: id, reveal: true });
  }

  private command(command: Extract<HostMessage, { type: 'command' }>['command']): void {
    const entry = this.activeEntry();
    if (!entry) {
      void vscode.window.showInformationMessage('MixVarGENet: open the graph preview first ("MixVarGENet: Open Graph Preview").');
      return;
    }
    this.post(entry, { type: 'command', command });
  }

  /**
   * Export the active preview. With `{ path }` (or `{ path, uri }` to pick the preview) it writes there
   * without a dialog and resolves when written (scripts, tests); without, the webview's picture goes
   * through a save dialog.
   */
  private exportCommand(command: 'exportSvg' | 'exportPng', arg?: unknown): Promise<{ ok: boolean; path?: string; bytes?: number; error?: string }> | undefined {
    const given = arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? (arg as { path?: unknown; uri?: unknown }) : {};
    const entry = typeof given.uri === 'string' ? this.entries.get(given.uri) : this.activeEntry();
    if (typeof given.path !== 'string') {
      this.command(command);
      return undefined;
    }
    if (!entry?.ready) return Promise.resolve({ ok: false, error: 'no graph preview is open and loaded' });
    const target = vscode.Uri.file(given.path);
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        if (entry.exportTo?.uri === target) entry.exportTo = undefined;
        resolve({ ok: false, error: 'the preview did not answer' });
      }, 15_000);
      entry.exportTo = {
        uri: target,
        done: (r) => {
          clearTimeout(t);
          resolve(r);
        },
      };
      this.post(entry, { type: 'command', command });
    });
  }

  private activeEntry(): Entry | undefined {
    const all = [...this.entries.values()];
    return all.find((e) => e.panel.active) ?? all.find((e) => e.panel.visible && e.uri === vscode.window.activeTextEditor?.document.uri.toString()) ?? all.find((e) => e.panel.visible);
  }

  // ----------------------------------------------------------------------------------- messages

  private async onMessage(entry: Entry, msg: WebviewMessage): Promise<void> {
    switch (msg.type) {
      case 'ready': {
        entry.ready = true;
        if (msg.state) entry.view = msg.state;
        if (entry.model) {
          entry.posted++;
          void entry.panel.webview.postMessage({ type: 'model', model: entry.model, stale: entry.stale } satisfies HostMessage);
          const ed = vscode.window.activeTextEditor;
          if (ed && ed.document.uri.toString() === entry.uri) this.cursorMoved(ed, true);
        }
        return;
      }
      case 'viewState':
        entry.view = msg.state;
        return;
      case 'reveal':
        await this.reveal(entry, msg.nodeId);
        return;
      case 'export':
        await this.export(entry, msg.format, msg.data);
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(msg.svg);
        void vscode.window.setStatusBarMessage('MixVarGENet: graph copied as SVG', 3000);
        return;
      case 'probeResult': {
        const r = entry.probes.get(msg.id);
        entry.probes.delete(msg.id);
        r?.(msg.report);
        return;
      }
      case 'error':
        this.log.warn(`graph webview: ${msg.message}`);
        return;
    }
  }

  private async reveal(entry: Entry, nodeId: string): Promise<void> {
    const node = entry.model?.nodes.find((n) => n.id === nodeId);
    if (!node?.range) return;
    const uri = vscode.Uri.parse(entry.uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    const r = node.range;
    const range = new vscode.Range(r.line, r.character, r.endLine, r.endCharacter);
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === entry.uri);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: true, selection: range });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    entry.highlighted = nodeId;
    entry.lastReveal = { nodeId, range: [r.start, r.end] };
  }

  private async export(entry: Entry, format: 'svg' | 'png', data: string): Promise<void> {
    const src = vscode.Uri.parse(entry.uri);
    const stem = fileNameOf(entry.uri).replace(/\.py$/, '');
    const defaultUri = src.scheme === 'file' ? vscode.Uri.joinPath(src, '..', `${stem}.graph.${format}`) : undefined;
    const preset = entry.exportTo;
    entry.exportTo = undefined;
    const target = preset ? preset.uri : await vscode.window.showSaveDialog({
      defaultUri,
      saveLabel: `Export ${format.toUpperCase()}`,
      title: `Export the graph of ${fileNameOf(entry.uri)}`,
      filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
    });
    if (!target) return;
    const bytes = format === 'svg' ? Buffer.from(data, 'utf8') : Buffer.from(data.replace(/^data:image\/png;base64,/, ''), 'base64');
    try {
      await vscode.workspace.fs.writeFile(target, bytes);
      entry.lastExport = { format, path: target.toString(), bytes: bytes.length };
      void vscode.window.setStatusBarMessage(`MixVarGENet: graph exported to ${vscode.workspace.asRelativePath(target)}`, 4000);
      preset?.done({ ok: true, path: target.fsPath, bytes: bytes.length });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      if (preset) preset.done({ ok: false, error });
      else void vscode.window.showErrorMessage(notificationText(`MixVarGENet: cannot write ${target.fsPath}: ${error}`));
    }
  }

  // ------------------------------------------------------------------------------------- testing

  /** What the panel of `uri` (else the active one) shows, as the webview reports it from its DOM. */
  private async state(uri?: string, action?: NonNullable<Extract<HostMessage, { type: 'probe' }>['action']>): Promise<unknown> {
    const entry = uri ? this.entries.get(uri) : this.activeEntry();
    if (!entry) return { open: false, panels: [...this.entries.keys()] };
    const base = {
      open: true,
      uri: entry.uri,
      ready: entry.ready,
      visible: entry.panel.visible,
      viewColumn: entry.panel.viewColumn,
      title: entry.panel.title,
      modelVersion: entry.model?.version ?? null,
      stale: entry.stale,
      highlighted: entry.highlighted,
      lastReveal: entry.lastReveal ?? null,
      lastExport: entry.lastExport ?? null,
      html: entry.panel.webview.html,
      measured: entry.model?.measured ?? null,
    };
    if (!entry.ready) return { ...base, dom: null };
    const id = ++this.probeId;
    const dom = await new Promise<DomReport | null>((resolve) => {
      const t = setTimeout(() => {
        entry.probes.delete(id);
        resolve(null);
      }, 5000);
      entry.probes.set(id, (r) => {
        clearTimeout(t);
        resolve(r ?? null);
      });
      entry.posted++;
      void entry.panel.webview.postMessage({ type: 'probe', id, action } satisfies HostMessage);
    });
    return { ...base, dom };
  }

  dispose(): void {
    for (const e of this.entries.values()) e.panel.dispose();
    for (const s of this.subs) s.dispose();
  }
}

export function registerGraph(context: vscode.ExtensionContext, manager: AnalysisManager, perf: PerfFeature | undefined, log: vscode.LogOutputChannel, diff?: DiffFeature): vscode.Disposable {
  return new GraphPanels(context, manager, perf, log, diff);
}
