/** The `mixvargenet.*` settings, and the extra ops file they name (watched and reloaded). */
import * as vscode from 'vscode';
import type { DocOptions } from '../../analysis/protocol';

export const SECTION = 'mixvargenet';

export interface FeatureToggles {
  diagnostics: boolean;
  codeActions: boolean;
  completion: boolean;
  hover: boolean;
  signatureHelp: boolean;
  statusBar: boolean;
  inlayHints: boolean;
}

export function docOptions(scope?: vscode.Uri): DocOptions {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const target = c.get<string>('target', 'J5') === 'any' ? 'any' : 'J5';
  const disabled = c.get<unknown>('disabledRules', []);
  return {
    target,
    hints: c.get<boolean>('hints', true),
    disabled: Array.isArray(disabled) ? disabled.filter((d): d is string => typeof d === 'string').map((d) => d.trim()).filter(Boolean) : [],
  };
}

export function features(scope?: vscode.Uri): FeatureToggles {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  return {
    diagnostics: c.get<boolean>('diagnostics.enabled', true),
    codeActions: c.get<boolean>('codeActions.enabled', true),
    completion: c.get<boolean>('completion.enabled', true),
    hover: c.get<boolean>('hover.enabled', true),
    signatureHelp: c.get<boolean>('signatureHelp.enabled', true),
    statusBar: c.get<boolean>('statusBar.enabled', true),
    inlayHints: c.get<boolean>('inlayHints.enabled', true),
  };
}

export function debounceMs(): number {
  const v = vscode.workspace.getConfiguration(SECTION).get<number>('analysis.debounceMs', 250);
  return typeof v === 'number' && v >= 0 && v <= 5000 ? v : 250;
}

/** Settings whose change needs a re-analysis of every document. */
export const ANALYSIS_KEYS = ['target', 'hints', 'disabledRules'].map((k) => `${SECTION}.${k}`);

/** Resolve `mixvargenet.extraOpsFile` (absolute, `~/`, `${workspaceFolder}/`, or relative to the first workspace folder). */
export function extraOpsUri(): vscode.Uri | undefined {
  const raw = vscode.workspace.getConfiguration(SECTION).get<string>('extraOpsFile', '')?.trim();
  if (!raw) return undefined;
  const folders = vscode.workspace.workspaceFolders ?? [];
  let p = raw;
  const m = /^\$\{workspaceFolder(?::([^}]+))?\}[\\/]?(.*)$/.exec(p);
  if (m) {
    const folder = m[1] ? folders.find((f) => f.name === m[1]) : folders[0];
    if (!folder) return undefined;
    return vscode.Uri.joinPath(folder.uri, m[2]);
  }
  if (p.startsWith('~/') && process.env.HOME) p = process.env.HOME + p.slice(1);
  if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)) return vscode.Uri.file(p);
  if (!folders.length) return undefined;
  return vscode.Uri.joinPath(folders[0].uri, p);
}

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

/** Python documents the features serve: files, untitled buffers, notebook cells, remote and virtual files (not git/diff views). */
export const PYTHON_SELECTOR: { language: string; scheme: string }[] = ['file', 'untitled', 'vscode-notebook-cell', 'vscode-remote', 'vscode-vfs', 'vscode-userdata'].map((scheme) => ({
  language: 'python',
  scheme,
}));
