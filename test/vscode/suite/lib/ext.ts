// Helpers for the extension-host tests: the extension's API, the example workspace, waiting, settings.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { MixVarGENetApi } from '../../../../extension/api';

export const EXTENSION_ID = 'mixvargenet-studio.mixvargenet-studio';
export const SOURCE = 'mixvargenet';

export async function api(): Promise<MixVarGENetApi> {
  const ext = vscode.extensions.getExtension<MixVarGENetApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is installed`);
  const a = ext.isActive ? ext.exports : await ext.activate();
  await a.ready;
  return a;
}

export function wsUri(rel: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open (the copy of examples/)');
  return vscode.Uri.joinPath(folder.uri, ...rel.split('/'));
}

export async function readWs(rel: string): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(wsUri(rel)));
}

const scratch: vscode.Uri[] = [];
let scratchCount = 0;

/**
 * Open a workspace file, or a scratch copy with `content` (a new, uniquely named file under scratch/,
 * deleted by closeAll: unlike untitled documents, a fresh name can never alias a closing document).
 */
export async function open(relOrContent: string | { content: string }): Promise<{ doc: vscode.TextDocument; editor: vscode.TextEditor }> {
  let uri: vscode.Uri;
  if (typeof relOrContent === 'string') uri = wsUri(relOrContent);
  else {
    uri = wsUri(`scratch/t${Date.now().toString(36)}_${++scratchCount}.py`);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(relOrContent.content, 'utf8'));
    scratch.push(uri);
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  if (typeof relOrContent !== 'string') assert.equal(doc.getText(), relOrContent.content, 'the scratch document holds the content');
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  return { doc, editor };
}

/** Revert and close every editor, and delete the scratch files. */
export async function closeAll(): Promise<void> {
  for (let i = 0; i < 20 && vscode.window.activeTextEditor; i++) {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  for (const uri of scratch.splice(0)) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
}

export async function until<T>(fn: () => T | undefined | null | false | Promise<T | undefined | null | false>, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as T;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

export function codeOf(d: vscode.Diagnostic): string {
  const c = d.code;
  return c === undefined ? '' : typeof c === 'object' ? String(c.value) : String(c);
}

/** Wait until our diagnostics of `uri` satisfy `pred`. */
export function diagnostics(uri: vscode.Uri, pred: (d: vscode.Diagnostic[]) => boolean, what: string, ms = 15_000): Promise<vscode.Diagnostic[]> {
  return until(() => {
    const d = ours(uri);
    return pred(d) ? d : undefined;
  }, `${what}: ${uri.path.split('/').pop()}`, ms).catch((e) => {
    throw new Error(`${(e as Error).message}\n  have: ${ours(uri).map((d) => `${codeOf(d)}@${d.range.start.line + 1} ${d.message.slice(0, 80)}`).join('\n        ')}`);
  });
}

/** Position of the `|` in `marker` (the nth occurrence of the marker without it). */
export function pos(doc: vscode.TextDocument, marker: string, nth = 0): vscode.Position {
  const bar = marker.indexOf('|');
  const plain = marker.replace('|', '');
  const text = doc.getText();
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = text.indexOf(plain, i + 1);
    assert.ok(i >= 0, `marker ${JSON.stringify(marker)} in ${doc.uri.path}`);
  }
  return doc.positionAt(i + (bar >= 0 ? bar : 0));
}

/** Set workspace settings for the duration of `fn`, then restore them. */
export async function withSettings(values: Record<string, unknown>, fn: () => Promise<void>): Promise<void> {
  const cfg = () => vscode.workspace.getConfiguration('mixvargenet');
  const old: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    old[k] = cfg().inspect(k)?.workspaceValue;
    await cfg().update(k, v, vscode.ConfigurationTarget.Workspace);
  }
  try {
    await fn();
  } finally {
    for (const k of Object.keys(values)) await cfg().update(k, old[k], vscode.ConfigurationTarget.Workspace);
  }
}

export function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

export async function completions(doc: vscode.TextDocument, at: vscode.Position, trigger?: string): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, at, trigger);
  return list?.items ?? [];
}

export async function hoverText(doc: vscode.TextDocument, at: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at)) ?? [];
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n---\n');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
