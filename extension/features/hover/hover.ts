/** Hover provider: markdown computed by the core (extension/core/ide/hover.ts) in the analysis engine. */
import * as vscode from 'vscode';
import type { AnalysisManager } from '../analysis/manager';
import { features } from '../../host/settings';
import { PYTHON_SELECTOR } from '../../host/selector';

export function registerHover(manager: AnalysisManager): vscode.Disposable {
  return vscode.languages.registerHoverProvider(
    PYTHON_SELECTOR,
    {
      async provideHover(doc, pos, token) {
        if (!features(doc.uri).hover || !manager.isConfig(doc)) return undefined;
        const r = await manager.query(doc, 'hover', doc.offsetAt(pos), token);
        if (!r) return undefined;
        let text = r.markdown;
        if (r.kind === 'config' || r.kind === 'net_config' || r.kind === 'op') {
          const arg = encodeURIComponent(JSON.stringify([doc.uri.toString()]));
          text += `\n\n[$(list-tree) Network summary](command:mixvargenet.showNetworkSummary?${arg} "MixVarGENet: Show Network Summary")`;
        }
        const md = new vscode.MarkdownString(text, true);
        md.isTrusted = { enabledCommands: ['mixvargenet.showRuleDoc', 'mixvargenet.showNetworkSummary'] };
        return new vscode.Hover(md, new vscode.Range(doc.positionAt(r.range.start), doc.positionAt(r.range.end)));
      },
    },
  );
}
