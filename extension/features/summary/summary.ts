/**
 * "MixVarGENet: Show Network Summary": the config's network (stages, shapes, params, MACs, findings) as a
 * Markdown document under its own scheme, kept up to date while it is open.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { networkSummaryMarkdown } from '../../core/ide/summary';
import type { AnalysisManager } from '../analysis/manager';
import { documentFromArg, openMarkdown } from '../../host/commandArgs';
import { ruleDocFileUri } from '../ruleDocs/ruleDocs';

export const SUMMARY_SCHEME = 'mixvargenet-summary';

export function summaryUri(source: vscode.Uri): vscode.Uri {
  const base = path.posix.basename(source.path) || 'config';
  return vscode.Uri.from({ scheme: SUMMARY_SCHEME, path: `/${base} — network.md`, query: source.toString() });
}

export function registerSummary(manager: AnalysisManager): vscode.Disposable {
  const summaryChanged = new vscode.EventEmitter<vscode.Uri>();
  const openSummaries = new Set<string>();

  const summaryFor = (source: vscode.Uri): string => {
    const snap = manager.snapshot(source);
    const label = vscode.workspace.asRelativePath(source);
    if (!snap) return `# MixVarGENet network — ${label}\n\nNo analysis yet: open the file (a Python file with MixVarGENetConfig).`;
    return networkSummaryMarkdown(snap, label, (code) => ruleDocFileUri(code).toString());
  };

  return vscode.Disposable.from(
    summaryChanged,
    vscode.workspace.registerTextDocumentContentProvider(SUMMARY_SCHEME, {
      onDidChange: summaryChanged.event,
      provideTextDocumentContent: (uri) => {
        openSummaries.add(uri.toString());
        return summaryFor(vscode.Uri.parse(uri.query));
      },
    }),
    manager.onDidAnalyze((e) => {
      const su = summaryUri(e.document.uri);
      if (openSummaries.has(su.toString())) summaryChanged.fire(su);
    }),
    vscode.workspace.onDidCloseTextDocument((d) => openSummaries.delete(d.uri.toString())),
    vscode.commands.registerCommand('mixvargenet.showNetworkSummary', async (arg?: unknown) => {
      const doc = await documentFromArg(arg);
      if (!doc || !manager.isConfig(doc)) {
        void vscode.window.showInformationMessage('MixVarGENet: open a config file with MixVarGENetConfig stages first.');
        return undefined;
      }
      if (!manager.current(doc)) await manager.analyzeNow(doc);
      const uri = summaryUri(doc.uri);
      openSummaries.add(uri.toString());
      summaryChanged.fire(uri);
      await openMarkdown(uri);
      return { uri: uri.toString(), markdown: summaryFor(doc.uri) };
    }),
  );
}
