/**
 * Where each stage's numbers (output shape, params, MACs, measured CPU time) are drawn:
 * - `endOfLine`: right after the stage's code (an inlay hint and the latency decoration), before a trailing comment;
 * - `above`: a line of its own above the stage (a CodeLens), which no editor width can push out of sight.
 * `auto` (the default) is `endOfLine`, and `above` while the config's graph preview is open beside it — the
 * editor is then half as wide, and the end of a stage's line is off screen.
 */
import * as vscode from 'vscode';
import { GRAPH_VIEW_TYPE, graphPreviewTitle } from './graphPreview';
import { stageNumbersSetting } from './settings';

/** Whether a graph preview of this document is showing in an editor group (its tab is the group's active one). */
function previewShown(doc: vscode.TextDocument): boolean {
  const title = graphPreviewTitle(doc.uri.toString());
  return vscode.window.tabGroups.all.some((g) => {
    const t = g.activeTab;
    return !!t && t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(GRAPH_VIEW_TYPE) && t.label === title;
  });
}

export function stageNumbersPlacement(doc: vscode.TextDocument): 'endOfLine' | 'above' {
  const s = stageNumbersSetting(doc.uri);
  if (s !== 'auto') return s;
  return previewShown(doc) ? 'above' : 'endOfLine';
}

/** Fires when the placement may have changed: the setting, or a graph preview shown or hidden. */
export function onDidChangeStageNumbersPlacement(listener: () => void): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.window.tabGroups.onDidChangeTabs(() => listener()),
    vscode.window.tabGroups.onDidChangeTabGroups(() => listener()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('mixvargenet.inlayHints.position')) listener();
    }),
  );
}
