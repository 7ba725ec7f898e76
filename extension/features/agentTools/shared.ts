/**
 * What every language-model tool shares: the tool's shape, the config it is asked about (an open document, or a
 * file of the workspace read the guarded way), its analysis (from the analysis worker, never on this thread), the
 * trust check, and the result parts (compact text, JSON where it helps). A tool's failure is an Error whose message
 * says what is wrong in one sentence (no such file, not a MixVarGENet config, not trusted): VS Code hands it to the
 * model as the tool's answer.
 */
import * as vscode from 'vscode';
import type { AnalysisSnapshot, SRange } from '../../core/ide/snapshot';
import { readRegularFile } from '../../core/guardedRead';
import { currentDocument } from '../../host/commandArgs';
import { CONFIG_MARKER, type AnalysisManager } from '../analysis/manager';
import type { PerfFeature } from '../perf/perf';
import type { ConfigRows } from '../compare/rows';
import type { HatTasks } from '../tasks/tasks';
import type { AgentToolName } from './names';

export interface ToolDeps {
  manager: AnalysisManager;
  perf: PerfFeature;
  hat: HatTasks;
  /** The compare view's rows (mixvargenet_compare). */
  rows: ConfigRows;
}

/** Every tool's input has the config it is about (all but explain_rule). */
export interface FileInput {
  file?: string;
}

export interface AgentTool<I> {
  name: AgentToolName;
  /** The progress message and, for a tool that changes something, the confirmation naming exactly what. */
  prepare?(input: I, deps: ToolDeps, token: vscode.CancellationToken): Promise<vscode.PreparedToolInvocation | undefined>;
  invoke(input: I, deps: ToolDeps, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult>;
}

export function result(...parts: (string | undefined)[]): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult(parts.filter((p): p is string => !!p).map((p) => new vscode.LanguageModelTextPart(p)));
}

/** Compact JSON (one line: the model reads it, no person does). */
export function json(value: unknown): string {
  return JSON.stringify(value);
}

export const UNTRUSTED_TOOL = 'not trusted: this workspace is in Restricted Mode, and this tool runs a process on this machine; trust the workspace first (Manage Workspace Trust)';

export function requireTrust(): void {
  if (!vscode.workspace.isTrusted) throw new Error(UNTRUSTED_TOOL);
}

/** 1-based line and column of a range, as `mvg lint --format json` gives them. */
export function lineCol(r: SRange): { line: number; column: number; endLine: number; endColumn: number } {
  return { line: r.from.line + 1, column: r.from.character + 1, endLine: r.to.line + 1, endColumn: r.to.character + 1 };
}

/** The workspace-relative label of a document (its path when outside every folder). */
export function label(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
}

/** The URI a `file` input names: an open document's URI, a workspace-relative path, an absolute path or a URI. */
async function uriOf(file: string): Promise<vscode.Uri> {
  const f = file.trim();
  if (/^[a-z][\w+.-]+:/i.test(f) && !/^[a-z]:[\\/]/i.test(f)) return vscode.Uri.parse(f, true);
  if (f.startsWith('/') || /^[a-z]:[\\/]/i.test(f)) return vscode.Uri.file(f);
  const folders = vscode.workspace.workspaceFolders ?? [];
  for (const folder of folders) {
    const u = vscode.Uri.joinPath(folder.uri, f);
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === u.toString())) return u;
    const exists = await vscode.workspace.fs.stat(u).then(
      () => true,
      () => false,
    );
    if (exists) return u;
  }
  // Multi-root: "<folder name>/<path>".
  const [head, ...rest] = f.split(/[\\/]/);
  const named = folders.find((w) => w.name === head);
  if (named && rest.length) return vscode.Uri.joinPath(named.uri, ...rest);
  if (!folders.length) throw new Error(`no such file: ${f} (no workspace folder is open; give an absolute path)`);
  return vscode.Uri.joinPath(folders[0].uri, f);
}

/**
 * The document the input names (else the active editor's): open already, or a file of the workspace — a regular
 * file (not a symlink, FIFO or device) of at most 16 MiB with MixVarGENetConfig in it — opened for the analysis.
 * Nothing outside the workspace folders is read (Restricted Mode reads only the workspace's own files).
 */
export async function configDocument(input: FileInput, manager: AnalysisManager): Promise<vscode.TextDocument> {
  const given = typeof input.file === 'string' && input.file.trim() ? input.file : undefined;
  let doc: vscode.TextDocument | undefined;
  if (!given) {
    doc = currentDocument();
    if (!doc) throw new Error('no file given and no editor is active: give "file", a path relative to the workspace folder');
  } else {
    const uri = await uriOf(given);
    doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!doc) {
      if (uri.scheme !== 'file') throw new Error(`no such file: ${given} (not open, and not a file on disk)`);
      if (!vscode.workspace.getWorkspaceFolder(uri)) throw new Error(`${given} is outside the workspace: only the workspace's own files are read`);
      const read = await readRegularFile(uri.fsPath);
      if (!read.ok) throw new Error(read.missing ? `no such file: ${given}` : `cannot read ${given}: it ${read.reason}`);
      if (!read.text.includes(CONFIG_MARKER)) throw new Error(`not a MixVarGENet config: ${given} has no ${CONFIG_MARKER}`);
      doc = await vscode.workspace.openTextDocument(uri);
    }
  }
  const name = label(doc.uri);
  if (!manager.isCandidate(doc)) throw new Error(`not a MixVarGENet config: ${name} is not a Python file`);
  if (!manager.isConfig(doc)) throw new Error(`not a MixVarGENet config: ${name} has no ${CONFIG_MARKER}`);
  return doc;
}

/** The analysis of the document's current version (made in the analysis worker). */
export async function analysed(doc: vscode.TextDocument, manager: AnalysisManager): Promise<AnalysisSnapshot> {
  const stopped = manager.isStopped(doc);
  if (stopped) throw new Error(`the analysis of ${label(doc.uri)} was stopped: ${stopped.reason}`);
  const snap = manager.current(doc) ?? (await manager.analyzeNow(doc));
  if (!snap) throw new Error(`not a MixVarGENet config: ${label(doc.uri)} could not be analysed`);
  return snap;
}

/** The config and its analysis; a file without net_config stages is refused. */
export async function analysedConfig(input: FileInput, manager: AnalysisManager): Promise<{ doc: vscode.TextDocument; snap: AnalysisSnapshot }> {
  const doc = await configDocument(input, manager);
  const snap = await analysed(doc, manager);
  if (!snap.relevant) throw new Error(`not a MixVarGENet config: ${label(doc.uri)}`);
  return { doc, snap };
}

/** A number input, or undefined; anything else is an error naming the field. */
export function optionalInt(input: object, key: string, min: number, max: number): number | undefined {
  const v = (input as Record<string, unknown>)[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new Error(`"${key}" must be a whole number from ${min} to ${max}`);
  return v;
}

/** A string input, trimmed, or undefined; anything else (or an empty string) is an error naming the field. */
export function optionalString(input: object, key: string): string | undefined {
  const v = (input as Record<string, unknown>)[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || !v.trim()) throw new Error(`"${key}" must be a non-empty string`);
  return v.trim();
}
