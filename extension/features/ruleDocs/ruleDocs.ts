/**
 * Rule documentation in the editor: "MixVarGENet: Open Rule Documentation" (a pick list of every rule),
 * the command behind a diagnostic's code link (showRuleDoc), and the `mixvargenet-doc:` documents they open.
 */
import * as vscode from 'vscode';
import type { AnalysisManager } from '../analysis/manager';
import { ruleMarkdown } from '../../core/rules/docs';
import { openMarkdown } from '../../host/commandArgs';

export const DOC_SCHEME = 'mixvargenet-doc';

export function ruleDocFileUri(code: string): vscode.Uri {
  return vscode.Uri.from({ scheme: DOC_SCHEME, path: `/rules/${code.toUpperCase()}.md` });
}

export function registerRuleDocs(manager: AnalysisManager): vscode.Disposable {
  const rulesByCode = async () => new Map((await manager.rules()).map((r) => [r.code, r]));

  const showRuleDoc = async (codeArg?: unknown): Promise<string | undefined> => {
    const code = typeof codeArg === 'string' ? codeArg.toUpperCase() : undefined;
    if (!code) return vscode.commands.executeCommand('mixvargenet.openRuleDocumentation');
    const r = (await rulesByCode()).get(code);
    if (!r) {
      void vscode.window.showWarningMessage(`MixVarGENet: no rule ${code}.`);
      return undefined;
    }
    await openMarkdown(ruleDocFileUri(code));
    return ruleMarkdown(r);
  };

  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(DOC_SCHEME, {
      provideTextDocumentContent: async (uri) => {
        const m = /\/rules\/(MVG\d+)\.md$/i.exec(uri.path);
        const r = m ? (await rulesByCode()).get(m[1].toUpperCase()) : undefined;
        return r ? ruleMarkdown(r) : `# Unknown rule\n\n${uri.path}`;
      },
    }),
    vscode.commands.registerCommand('mixvargenet.showRuleDoc', showRuleDoc),
    vscode.commands.registerCommand('mixvargenet.openRuleDocumentation', async () => {
      const rules = await manager.rules();
      const icon = { error: '$(error)', warning: '$(warning)', info: '$(info)', hint: '$(lightbulb)' } as Record<string, string>;
      const pick = await vscode.window.showQuickPick(
        rules.map((r) => ({ label: `${icon[r.severity] ?? ''} ${r.code}`, description: r.name, detail: r.title, code: r.code })),
        { title: 'MixVarGENet: Open Rule Documentation', placeHolder: 'Rule code, name or what it catches', matchOnDescription: true, matchOnDetail: true },
      );
      return pick ? showRuleDoc(pick.code) : undefined;
    }),
  );
}
