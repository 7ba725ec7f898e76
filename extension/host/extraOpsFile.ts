/** Reading the extra ops file that `mixvargenet.extraOpsFile` names (see extraOpsUri in settings.ts). */
import * as vscode from 'vscode';

export interface ExtraOps {
  uri: vscode.Uri;
  json: unknown;
}

/** Read and parse the extra ops file; the error (unreadable, bad JSON) is returned, never thrown. */
export async function readExtraOps(uri: vscode.Uri): Promise<{ ops?: ExtraOps; error?: string }> {
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    const text = new TextDecoder('utf-8').decode(bytes);
    try {
      return { ops: { uri, json: JSON.parse(text) } };
    } catch (e) {
      return { error: `${vscode.workspace.asRelativePath(uri)}: not valid JSON (${e instanceof Error ? e.message : String(e)})` };
    }
  } catch (e) {
    return { error: `${vscode.workspace.asRelativePath(uri)}: cannot be read (${e instanceof Error ? e.message : String(e)})` };
  }
}
