/** The status-bar item on config files: `MixVarGENet · 5 stages · 2.31M params · 1.03 GMAC · J5`. */
import * as vscode from 'vscode';
import { statusText, statusTooltip } from '../../core/ide/summary';
import type { AnalysisManager } from '../analysis/manager';
import type { AnalysisSnapshot } from '../../core/ide/snapshot';
import { features } from '../../host/settings';

export interface StatusState {
  text: string;
  tooltip: string;
  visible: boolean;
  uri?: string;
}

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subs: vscode.Disposable[] = [];
  private state: StatusState = { text: '', tooltip: '', visible: false };

  constructor(private readonly manager: AnalysisManager) {
    this.item = vscode.window.createStatusBarItem('mixvargenet.network', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'MixVarGENet network';
    this.item.command = { title: 'MixVarGENet: Show Network Summary', command: 'mixvargenet.showNetworkSummary' };
    this.subs.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.update()),
      manager.onDidAnalyze((e) => {
        if (vscode.window.visibleTextEditors.some((ed) => ed.document === e.document)) this.update();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mixvargenet.statusBar.enabled')) this.update();
      }),
    );
    this.update();
  }

  /** `mixvargenet._status` (tests): what the item shows, and where the analysis runs. */
  registerStateCommand(): vscode.Disposable {
    return vscode.commands.registerCommand('mixvargenet._status', () => ({ ...this.current, engine: this.manager.engineKind }));
  }

  get current(): StatusState {
    return { ...this.state };
  }

  /**
   * The config the item describes: the active editor's, else — when the focus is on the graph preview, the summary
   * or another panel — the first visible editor's that is a config, so the summary stays while the config is seen.
   */
  private shown(): { doc: vscode.TextDocument; snap: AnalysisSnapshot } | undefined {
    const active = vscode.window.activeTextEditor?.document;
    for (const doc of [active, ...vscode.window.visibleTextEditors.map((e) => e.document)]) {
      if (!doc) continue;
      const snap = this.manager.snapshot(doc);
      if (snap?.relevant) return { doc, snap };
      if (doc === active) return undefined; // the active editor is not a config: say nothing about another one
    }
    return undefined;
  }

  update(): void {
    const active = vscode.window.activeTextEditor?.document;
    void vscode.commands.executeCommand('setContext', 'mixvargenet.activeIsConfig', !!(active && this.manager.snapshot(active)?.relevant));
    const found = this.shown();
    const doc = found?.doc;
    const snap = found?.snap;
    if (!doc || !snap || !features(doc.uri).statusBar) {
      this.item.hide();
      this.state = { text: '', tooltip: '', visible: false };
      return;
    }
    const text = statusText(snap);
    const tooltip = statusTooltip(snap);
    this.item.text = text;
    const md = new vscode.MarkdownString(tooltip);
    this.item.tooltip = md;
    this.item.backgroundColor = snap.counts.error
      ? new vscode.ThemeColor('statusBarItem.errorBackground')
      : snap.counts.warning
        ? new vscode.ThemeColor('statusBarItem.warningBackground')
        : undefined;
    this.item.accessibilityInformation = { label: `${text}. ${snap.counts.error} errors, ${snap.counts.warning} warnings. Show the network summary.` };
    this.item.show();
    this.state = { text, tooltip, visible: true, uri: doc.uri.toString() };
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}
