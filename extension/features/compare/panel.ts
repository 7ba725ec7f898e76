/**
 * "MixVarGENet: Compare Configs": every config of the workspace (or those selected in the Explorer) side by side in
 * a webview (dist/compare.js): a sortable table and a d3 scatter of any two columns with the Pareto frontier. The
 * rows come from ConfigRows (analysis in the worker) and are posted again when they change. The page only renders
 * what it is sent; messages both ways are the typed, validated ones of core/compare/view.ts. Saving (CSV, SVG) goes
 * through a save dialog here.
 */
import * as vscode from 'vscode';
import { COLUMN_BY_KEY, toCsv, parseCompareWebviewMessage, type CompareHostMessage, type CompareRendered, type ViewRow } from '../../core/compare';
import { webviewPage } from '../../host/webviewHtml';
import { uriFromArg } from '../../host/commandArgs';
import type { ConfigRows, RowEntry } from './rows';

export const COMPARE_VIEW_TYPE = 'mixvargenet.compare';

export interface CompareState {
  open: boolean;
  /** The rows posted last (labels), in order. */
  rows: string[];
  posted: number;
  computeMs: number | null;
  rendered?: CompareRendered;
  /** Files opened from the page (tests). */
  opened: string[];
}

/** The .py files a command was invoked on: the Explorer's multi-selection (second argument), else the one URI. */
export function selectionOf(arg: unknown, all: unknown): vscode.Uri[] {
  const list = Array.isArray(all) && all.length ? all : arg !== undefined ? [arg] : [];
  return list.map((a) => uriFromArg(a)).filter((u): u is vscode.Uri => !!u && /\.py$/i.test(u.path));
}

const PAGE_STYLE = `
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 1em 1em; }
  header, #plot-controls { display: flex; align-items: center; gap: 8px; padding: 8px 0; flex-wrap: wrap; }
  .title { font-weight: 600; font-size: 1.1em; }
  .muted { color: var(--vscode-descriptionForeground); }
  .spacer { flex: 1; }
  vscode-button[aria-pressed="true"] { outline: 1px solid var(--vscode-focusBorder); }
  svg text { fill: var(--vscode-foreground); font-size: 11px; }
  svg .axis path, svg .axis line { stroke: var(--vscode-editorWidget-border, #888); }
  svg .axis-title, svg .point-label { fill: var(--vscode-descriptionForeground); }
  circle.point { fill: var(--vscode-charts-blue, #4e79a7); fill-opacity: 0.75; stroke: var(--vscode-editor-background, #fff); stroke-width: 1; cursor: pointer; }
  circle.point.frontier { fill: var(--vscode-charts-orange, #f28e2b); fill-opacity: 1; }
  circle.point.selected { stroke: var(--vscode-focusBorder, #0078d4); stroke-width: 3; }
  circle.point.hover { stroke: var(--vscode-foreground); stroke-width: 3; }
  path.frontier-line { fill: none; stroke: var(--vscode-charts-orange, #f28e2b); stroke-width: 1.5; stroke-dasharray: 4 3; }
  .brush .selection { fill: var(--vscode-focusBorder, #0078d4); fill-opacity: 0.12; stroke: var(--vscode-focusBorder, #0078d4); }
  table { border-collapse: collapse; margin-top: 0.5em; width: 100%; }
  th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--vscode-editorWidget-border, #8884); white-space: nowrap; }
  th { cursor: pointer; user-select: none; font-weight: 600; }
  th[aria-sort="ascending"]::after { content: " ▲"; }
  th[aria-sort="descending"]::after { content: " ▼"; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  tr.selected td { background: var(--vscode-list-inactiveSelectionBackground, #8883); }
  tr.hover td { background: var(--vscode-list-hoverBackground, #8882); }
  tr.frontier td.file::before { content: "◆ "; color: var(--vscode-charts-orange, #f28e2b); }
  a.file { color: var(--vscode-textLink-foreground); cursor: pointer; text-decoration: none; }
  a.file:hover { text-decoration: underline; }
  .status-running { color: var(--vscode-charts-blue, #4e79a7); }
  .status-failed { color: var(--vscode-errorForeground); }
  .empty { opacity: 0.7; }
`;

export class ComparePanel implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  /** The files compared; undefined: every config of the workspace. */
  private files?: vscode.Uri[];
  /** Preselected on the next post (a single config the command was invoked on). */
  private preselect: string[] = [];
  private ready = false;
  private posted = 0;
  private entries: RowEntry[] = [];
  private computeMs: number | null = null;
  private rendered?: CompareRendered;
  private readonly opened: string[] = [];
  private generation = 0;
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly rows: ConfigRows,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subs.push(
      vscode.commands.registerCommand('mixvargenet.compareConfigs', (arg?: unknown, all?: unknown) => this.command(arg, all)),
      vscode.commands.registerCommand('mixvargenet._compareState', () => this.state()),
      rows.onDidChange(() => void this.update()),
    );
  }

  /**
   * Several files: compare those. One file: every config, that one selected. None: every config.
   * Resolves when the rows are computed (and posted, when the page is ready).
   */
  async command(arg?: unknown, all?: unknown): Promise<CompareState> {
    const sel = selectionOf(arg, all);
    this.files = sel.length > 1 ? sel : undefined;
    this.preselect = sel.length === 1 ? [sel[0].toString()] : [];
    this.show();
    await this.update();
    return this.state();
  }

  private show(): void {
    if (this.panel) {
      this.panel.reveal(undefined, false);
      return;
    }
    this.ready = false;
    this.rendered = undefined;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    this.panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, 'Compare Configs', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [dist],
      retainContextWhenHidden: true,
    });
    this.panel.webview.html = this.html(this.panel.webview, dist);
    this.panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m));
    this.panel.onDidDispose(() => {
      this.panel = undefined;
      this.ready = false;
    });
  }

  /** Compute the rows (in the worker) and post them. */
  async update(): Promise<void> {
    if (!this.panel) return;
    const gen = ++this.generation;
    const t0 = performance.now();
    let entries: RowEntry[];
    try {
      const uris = this.files ?? (await this.rows.workspaceConfigs());
      entries = await this.rows.rows(uris);
    } catch (e) {
      this.log.error(`compare: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (gen !== this.generation) return; // superseded
    this.entries = entries;
    this.computeMs = performance.now() - t0;
    this.post();
  }

  private post(): void {
    if (!this.panel || !this.ready) return;
    const rows: ViewRow[] = this.entries.map((e) => ({ label: e.label, row: e.row, ...(e.status ? { status: e.status } : {}) }));
    const msg: CompareHostMessage = { type: 'rows', rows, computeMs: this.computeMs ?? 0 };
    this.posted++;
    void this.panel.webview.postMessage(msg);
    this.panel.title = `Compare Configs (${rows.length})`;
    if (this.preselect.length) {
      const sel: CompareHostMessage = { type: 'select', files: this.preselect };
      this.preselect = [];
      void this.panel.webview.postMessage(sel);
    }
  }

  /** Every message from the page is validated (untrusted input); files it names must be rows it was sent. */
  private async onMessage(raw: unknown): Promise<void> {
    const msg = parseCompareWebviewMessage(raw);
    if (!msg) return;
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        this.post();
        break;
      case 'rendered':
        this.rendered = msg;
        this.log.info(`compare: drew ${msg.rows} rows, ${msg.points} points, ${msg.frontier.length} on the frontier in ${msg.drawMs.toFixed(1)} ms (rows computed in ${(this.computeMs ?? 0).toFixed(1)} ms)`);
        break;
      case 'open': {
        const e = this.entries.find((x) => x.row.file === msg.file);
        if (!e) return;
        this.opened.push(e.label);
        await vscode.window.showTextDocument(e.uri, { viewColumn: vscode.ViewColumn.Beside, preview: true });
        break;
      }
      case 'exportCsv': {
        const cols = msg.columns.map((k) => COLUMN_BY_KEY.get(k)!);
        const byFile = new Map(this.entries.map((e) => [e.row.file, e.label]));
        await this.save('compare.csv', { CSV: ['csv'] }, toCsv(this.entries.map((e) => e.row), cols, (r) => byFile.get(r.file) ?? r.file));
        break;
      }
      case 'exportSvg':
        await this.save('compare.svg', { SVG: ['svg'] }, msg.svg);
        break;
    }
  }

  private async save(name: string, filters: Record<string, string[]>, text: string): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({ defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined, filters, title: `Export ${name}` });
    if (!target) return;
    try {
      await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
      void vscode.window.showInformationMessage(`MixVarGENet: saved ${vscode.workspace.asRelativePath(target)}`);
    } catch (e) {
      void vscode.window.showErrorMessage(`MixVarGENet: could not save ${target.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  state(): CompareState {
    return { open: !!this.panel, rows: this.entries.map((e) => e.label), posted: this.posted, computeMs: this.computeMs, rendered: this.rendered, opened: [...this.opened] };
  }

  private html(webview: vscode.Webview, dist: vscode.Uri): string {
    return webviewPage({
      webview,
      title: 'Compare Configs',
      script: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'compare.js')),
      // d3 and the toolkit set element styles.
      inlineStyleAttributes: true,
      style: PAGE_STYLE,
      body: `<header id="bar">
  <span id="title" class="title">Compare configs</span><span id="count" class="muted"></span>
  <span class="spacer"></span>
  <vscode-button id="show-all" appearance="secondary" aria-pressed="false">Show all columns</vscode-button>
  <vscode-button id="export-csv" appearance="secondary">Export CSV…</vscode-button>
  <vscode-button id="export-svg" appearance="secondary">Export SVG…</vscode-button>
</header>
<section id="plot-controls">
  <label for="x-axis">x</label> <vscode-dropdown id="x-axis"></vscode-dropdown>
  <label for="y-axis">y</label> <vscode-dropdown id="y-axis"></vscode-dropdown>
  <vscode-button id="log-scale" appearance="secondary" aria-pressed="false">Log scale</vscode-button>
  <span id="plot-note" class="muted"></span>
</section>
<div id="plot"></div>
<div id="table"></div>`,
    });
  }

  dispose(): void {
    this.panel?.dispose();
    for (const s of this.subs) s.dispose();
  }
}
