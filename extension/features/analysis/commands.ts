/** The analysis feature's own command: "MixVarGENet: Restart Analysis" (a fresh worker, every config re-analysed). */
import * as vscode from 'vscode';
import type { AnalysisManager } from './manager';

export function registerAnalysisCommands(manager: AnalysisManager): vscode.Disposable {
  return vscode.commands.registerCommand('mixvargenet.restartAnalysis', async () => {
    const kind = await manager.restart();
    void vscode.window.setStatusBarMessage(`MixVarGENet: analysis restarted (${kind})`, 3000);
    return kind;
  });
}
