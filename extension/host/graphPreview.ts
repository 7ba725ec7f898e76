/**
 * What identifies a config's graph preview: its webview type and its tab title. The panel (features/graph) makes
 * previews with them; the stage-numbers placement (host/stageNumbers.ts) finds a preview among the tabs by them.
 */
import * as vscode from 'vscode';

export const GRAPH_VIEW_TYPE = 'mixvargenet.graph';

/** The file name of a document URI (the URI itself when it has no path). */
export function fileNameOf(uri: string): string {
  try {
    const p = vscode.Uri.parse(uri).path;
    return p.slice(p.lastIndexOf('/') + 1) || uri;
  } catch {
    return uri;
  }
}

/** The preview's title: `Graph: mixvargenet_imagenet.py`. */
export function graphPreviewTitle(uri: string): string {
  return `Graph: ${fileNameOf(uri)}`;
}
