/** Inlay hints after each stage of net_config, before any trailing comment: what it outputs and costs (`→ 96×14×14 · 320K params · 62.7 MMAC`). */
import * as vscode from 'vscode';
import { compact, fmtMacs, fmtShape } from '../../core/format';
import { stageSummaryMarkdown } from '../../core/ide/summary';
import { codeEnd } from '../../core/text';
import type { AnalysisManager } from '../analysis/manager';
import { features } from '../../host/settings';
import { PYTHON_SELECTOR } from '../../host/selector';

export function registerInlayHints(manager: AnalysisManager): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.InlayHintsProvider = {
    onDidChangeInlayHints: changed.event,
    provideInlayHints(doc, range) {
      if (!features(doc.uri).inlayHints) return undefined;
      const snap = manager.current(doc);
      if (!snap) return undefined;
      const endLines = snap.stages.map((s) => s.range.to.line);
      const hints: vscode.InlayHint[] = [];
      for (const st of snap.stages) {
        if (!st.outShape && st.params === null) continue;
        const line = st.range.to.line;
        if (line < range.start.line || line > range.end.line || line >= doc.lineCount) continue;
        // At the end of the stage's last line, unless another stage ends on that line too.
        const shared = endLines.filter((l) => l === line).length > 1;
        // Before a trailing comment (`# stride 8`, often padded far right), where the hint stays on screen.
        const pos = shared ? new vscode.Position(st.range.to.line, st.range.to.character) : new vscode.Position(line, codeEnd(doc.lineAt(line).text));
        const label = `→ ${fmtShape(st.outShape)} · ${st.params !== null ? compact(st.params) : '?'} params · ${st.macs !== null ? fmtMacs(st.macs) : '?'}`;
        const hint = new vscode.InlayHint(pos, label);
        hint.paddingLeft = true;
        const md = new vscode.MarkdownString(stageSummaryMarkdown(snap, st));
        hint.tooltip = md;
        hints.push(hint);
      }
      return hints;
    },
  };
  return vscode.Disposable.from(
    changed,
    vscode.languages.registerInlayHintsProvider(PYTHON_SELECTOR, provider),
    manager.onDidAnalyze(() => changed.fire()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('mixvargenet.inlayHints.enabled')) changed.fire();
    }),
  );
}
