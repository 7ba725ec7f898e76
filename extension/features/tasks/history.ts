/**
 * The HAT results history of one config in a webview: a d3 chart of accuracy and FPS over runs, and a table.
 * The page (dist/history.js) only renders what it is sent; CSP with a nonce, no remote resources. Messages both ways
 * are the typed, validated ones of core/hat/historyView.ts.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { webviewPage } from '../../host/webviewHtml';
import type { RunRecord } from '../../core/hat';
import { parseHistoryWebviewMessage, type HistoryHostMessage, type HistoryRendered } from '../../core/hat/historyView';

export interface HistoryState {
  open: boolean;
  config?: string;
  posted: number;
  /** What the page reported after drawing (points of each series). */
  rendered?: HistoryRendered;
}

export class HistoryPanel implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private file?: string;
  private ready = false;
  private posted = 0;
  private rendered?: HistoryState['rendered'];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly source: (file: string) => { runs: RunRecord[]; config: string },
  ) {}

  /** Open (or reveal) the panel for a config; returns the number of runs it shows. */
  show(file: string): number {
    this.file = file;
    if (!this.panel) {
      this.ready = false;
      this.rendered = undefined;
      const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
      this.panel = vscode.window.createWebviewPanel('mixvargenet.hatHistory', 'HAT results', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
        enableScripts: true,
        localResourceRoots: [dist],
        retainContextWhenHidden: false,
      });
      this.panel.webview.html = this.html(this.panel.webview, dist);
      this.panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m));
      this.panel.onDidDispose(() => {
        this.panel = undefined;
        this.ready = false;
      });
    } else this.panel.reveal(vscode.ViewColumn.Beside, true);
    this.panel.title = `HAT results: ${path.basename(file)}`;
    return this.post();
  }

  update(): void {
    if (this.panel) this.post();
  }

  state(): HistoryState {
    return { open: !!this.panel, config: this.file, posted: this.posted, rendered: this.rendered };
  }

  /** Every message from the page is validated (it is untrusted input); an invalid one is ignored. */
  private onMessage(raw: unknown): void {
    const msg = parseHistoryWebviewMessage(raw);
    if (!msg) return;
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        this.post();
        break;
      case 'rendered':
        this.rendered = { accuracyPoints: msg.accuracyPoints, fpsPoints: msg.fpsPoints, rows: msg.rows };
        break;
    }
  }

  private post(): number {
    if (!this.panel || !this.file) return 0;
    const { runs, config } = this.source(this.file);
    if (this.ready) {
      this.posted++;
      const msg: HistoryHostMessage = { type: 'data', config, now: new Date().toISOString(), runs };
      void this.panel.webview.postMessage(msg);
    }
    return runs.length;
  }

  private html(webview: vscode.Webview, dist: vscode.Uri): string {
    return webviewPage({
      webview,
      title: 'HAT results',
      script: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'history.js')),
      style: `
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 1em 1em; }
  h2 { font-weight: 600; font-size: 1.1em; }
  .legend span { margin-right: 1.2em; white-space: nowrap; }
  .swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; border-radius: 2px; }
  svg text { fill: var(--vscode-foreground); font-size: 11px; }
  svg .axis path, svg .axis line { stroke: var(--vscode-editorWidget-border, #888); }
  svg .grid line { stroke: var(--vscode-editorIndentGuide-background1, #8883); }
  table { border-collapse: collapse; margin-top: 1em; width: 100%; }
  th, td { text-align: left; padding: 2px 8px; border-bottom: 1px solid var(--vscode-editorWidget-border, #8884); }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  .failed { color: var(--vscode-errorForeground); }
  .empty { opacity: 0.7; }
`,
      body: `<h2 id="title">HAT results</h2>
<div id="legend" class="legend"></div>
<div id="chart"></div>
<div id="table"></div>`,
    });
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
