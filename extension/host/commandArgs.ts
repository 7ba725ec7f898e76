/**
 * What a command was invoked on: a Uri (explorer/editor menus), a URI string (tests, links), an object with a
 * `uri` (our own internal calls), or nothing (the active editor). One reading for every feature's commands.
 */
import * as vscode from 'vscode';

export function uriFromArg(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg) return vscode.Uri.parse(arg);
  if (arg && typeof arg === 'object' && 'uri' in arg) return uriFromArg((arg as { uri: unknown }).uri);
  return undefined;
}

let lastPython: vscode.Uri | undefined;

/**
 * Follows the last Python editor that had focus, so a command run while a webview has it (the graph preview, the
 * Getting Started walkthrough's buttons) is about the config the user was just editing. Registered once at activation.
 */
export function trackConfigEditors(): vscode.Disposable {
  const note = (ed: vscode.TextEditor | undefined) => {
    if (ed?.document.languageId === 'python') lastPython = ed.document.uri;
  };
  note(vscode.window.activeTextEditor);
  return vscode.window.onDidChangeActiveTextEditor(note);
}

/** The active editor's document; with no active text editor (a webview has focus), the last Python editor's, if still open. */
export function currentDocument(): vscode.TextDocument | undefined {
  const active = vscode.window.activeTextEditor?.document;
  if (active || !lastPython) return active;
  const key = lastPython.toString();
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === key && !d.isClosed);
}

/** The open document a command is about: the one named by `arg` if it is open (else none), or the current one. */
export function openDocumentFromArg(arg?: unknown): vscode.TextDocument | undefined {
  const uri = uriFromArg(arg);
  if (!uri) return currentDocument();
  const key = uri.toString();
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
}

/** The document a command is about: the one named by `arg` (opened if needed), else the active editor's. */
export async function documentFromArg(arg?: unknown): Promise<vscode.TextDocument | undefined> {
  const open = openDocumentFromArg(arg);
  if (open) return open;
  const uri = uriFromArg(arg);
  return uri ? vscode.workspace.openTextDocument(uri) : undefined;
}

/**
 * Show Markdown rendered: VS Code's own Markdown preview (the built-in extension activates on the command: asking
 * getCommands() first would miss it while it is not active yet), else — no Markdown extension — as text.
 */
export async function openMarkdown(uri: vscode.Uri): Promise<'preview' | 'text'> {
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
    return 'preview';
  } catch {
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true });
    return 'text';
  }
}
