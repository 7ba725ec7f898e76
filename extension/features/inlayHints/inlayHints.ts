/**
 * Each stage's numbers — what it outputs and costs (`→ 96×14×14 · 320K params · 62.7 MMAC`) — as an inlay hint right
 * after its code (before a trailing comment), or as a CodeLens line above the stage that also carries its measured CPU
 * time (host/stageNumbers.ts decides which: `mixvargenet.inlayHints.position`, `auto` by default).
 */
import * as vscode from 'vscode';
import { compact, fmtMacs, fmtShape } from '../../core/format';
import { stageSummaryMarkdown } from '../../core/ide/summary';
import { codeEnd } from '../../core/text';
import type { AnalysisManager } from '../analysis/manager';
import { features } from '../../host/settings';
import { PYTHON_SELECTOR } from '../../host/selector';
import { onDidChangeStageNumbersPlacement, stageNumbersPlacement } from '../../host/stageNumbers';
import { type PerfFeature, stageTimeText } from '../perf/perf';

/** The numbers of one stage: `→ 96×14×14 · 320K params · 62.7 MMAC`. */
function stageLabel(st: { outShape: readonly number[] | null; params: number | null; macs: number | null }): string {
  return `→ ${fmtShape(st.outShape)} · ${st.params !== null ? compact(st.params) : '?'} params · ${st.macs !== null ? fmtMacs(st.macs) : '?'}`;
}

export function registerInlayHints(manager: AnalysisManager, perf?: PerfFeature): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const lensesChanged = new vscode.EventEmitter<void>();
  const lenses: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: lensesChanged.event,
    provideCodeLenses(doc) {
      if (!features(doc.uri).inlayHints || stageNumbersPlacement(doc) !== 'above') return [];
      const snap = manager.current(doc);
      if (!snap) return [];
      const measured = perf?.measured(doc.uri.toString());
      return snap.stages
        .filter((st) => st.outShape || st.params !== null)
        .map((st) => {
          const line = (st.callRange ?? st.range).from.line;
          const t = measured ? stageTimeText(measured.result, st.index) : '';
          const time = t ? ` ${t}` : '';
          const title = `stage ${st.index} ${stageLabel(st)}${time}`;
          return new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { title, command: 'mixvargenet.showNetworkSummary', arguments: [doc.uri], tooltip: 'MixVarGENet: Show Network Summary' });
        });
    },
  };
  const provider: vscode.InlayHintsProvider = {
    onDidChangeInlayHints: changed.event,
    provideInlayHints(doc, range) {
      if (!features(doc.uri).inlayHints || stageNumbersPlacement(doc) !== 'endOfLine') return undefined;
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
        const label = stageLabel(st);
        const hint = new vscode.InlayHint(pos, label);
        hint.paddingLeft = true;
        const md = new vscode.MarkdownString(stageSummaryMarkdown(snap, st));
        hint.tooltip = md;
        hints.push(hint);
      }
      return hints;
    },
  };
  const refresh = () => {
    changed.fire();
    lensesChanged.fire();
  };
  return vscode.Disposable.from(
    changed,
    lensesChanged,
    vscode.languages.registerInlayHintsProvider(PYTHON_SELECTOR, provider),
    vscode.languages.registerCodeLensProvider(PYTHON_SELECTOR, lenses),
    onDidChangeStageNumbersPlacement(refresh),
    ...(perf ? [perf.onDidChange(() => lensesChanged.fire())] : []),
    manager.onDidAnalyze(() => refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('mixvargenet.inlayHints.enabled')) refresh();
    }),
  );
}
