/**
 * First steps: the Getting Started walkthrough (package.json `contributes.walkthroughs`) and the one command of its
 * own, "Open the Example Config": the seed ImageNet config shipped in the .vsix, opened as an untitled Python buffer
 * — nothing is written to the user's workspace; "Save As" puts it where they choose.
 */
import * as vscode from 'vscode';

/** The example the walkthrough opens (shipped: see .vscodeignore). */
export const EXAMPLE_CONFIG = 'examples/configs/mixvargenet_imagenet.py';
export const WALKTHROUGH_ID = 'mixvargenet-studio.mixvargenet-studio#gettingStarted';

export function registerWelcome(context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('mixvargenet.openExample', async () => {
      const uri = vscode.Uri.joinPath(context.extensionUri, EXAMPLE_CONFIG);
      let content: string;
      try {
        content = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      } catch {
        void vscode.window.showErrorMessage(`The example config is missing from the extension (${EXAMPLE_CONFIG}): reinstall MixVarGENet Studio.`);
        return undefined;
      }
      const doc = await vscode.workspace.openTextDocument({ language: 'python', content });
      return vscode.window.showTextDocument(doc);
    }),
    vscode.commands.registerCommand('mixvargenet.openWalkthrough', () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false),
    ),
  );
}
