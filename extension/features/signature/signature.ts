/** Signature help for `MixVarGENetConfig(`, with the active field and its meaning at this stage. */
import * as vscode from 'vscode';
import type { AnalysisManager } from '../analysis/manager';
import { features } from '../../host/settings';
import { PYTHON_SELECTOR } from '../../host/selector';

export function registerSignatureHelp(manager: AnalysisManager): vscode.Disposable {
  return vscode.languages.registerSignatureHelpProvider(
    PYTHON_SELECTOR,
    {
      async provideSignatureHelp(doc, pos, token) {
        if (!features(doc.uri).signatureHelp || !manager.isConfig(doc)) return undefined;
        const r = await manager.query(doc, 'signature', doc.offsetAt(pos), token);
        if (!r) return undefined;
        const sig = new vscode.SignatureInformation(r.label, r.documentation ? new vscode.MarkdownString(r.documentation) : undefined);
        sig.parameters = r.parameters.map((p) => new vscode.ParameterInformation(p.label, new vscode.MarkdownString(p.documentation)));
        sig.activeParameter = r.activeParameter;
        const help = new vscode.SignatureHelp();
        help.signatures = [sig];
        help.activeSignature = 0;
        help.activeParameter = r.activeParameter;
        return help;
      },
    },
    { triggerCharacters: ['(', ','], retriggerCharacters: ['=', ' '] },
  );
}
