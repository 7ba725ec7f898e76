/**
 * A HAT run that failed: what to tell the user (a program that could not start, HAT not importable), and the
 * diagnostic on the config line the traceback points to ('mixvargenet-hat').
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { cannotStartMessage, missingHatModule, type PythonChoice, type StageId } from '../../core/hat';
import type { Failure, LogReport } from '../../core/logs/parse';
import type { ProcessEnd } from '../../run/process';
import { nodePath } from '../../run/paths';

/** Why the program (Python, or the command prefix's) could not be started. */
export function cannotStart(spawnError: NonNullable<ProcessEnd['spawnError']>, program: string, python: PythonChoice, prefixUsed: boolean): string {
  return spawnError.code === 'ENOENT' || spawnError.code === 'EACCES'
    ? cannotStartMessage(program, spawnError.code, python, prefixUsed)
    : `MixVarGENet: could not start ${program}: ${spawnError.message}`;
}

/** When the run failed because HAT (or one of its modules) is not importable by this Python: what to set. */
export function missingModuleHint(report: LogReport, python: PythonChoice): string | undefined {
  const f = report.failure;
  const mod = f ? missingHatModule(f.exception, f.message) : undefined;
  if (!f || !mod) return undefined;
  return `${mod === 'hat' ? 'HAT' : mod} is not importable by ${python.command} (${f.exception}: ${f.message}). Tried: ${python.tried.join('; ')}. Set mixvargenet.hat.python to the Python of your HAT environment, or mixvargenet.hat.commandPrefix to run inside the OE docker container.`;
}

/** The config's text as the editor has it (open, maybe unsaved), else on disk; '' when unreadable. */
export async function configTextOf(config: string): Promise<string> {
  try {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === config);
    return open ? open.getText() : await fs.promises.readFile(config, 'utf8');
  } catch {
    return '';
  }
}

/** The error on config line `line` (0-based), with the innermost frame as related information when that file exists. */
export function failureDiagnostic(stage: StageId, f: Failure, line: number, configText: string, cwd: string): vscode.Diagnostic {
  const lines = configText.split(/\r\n|\r|\n/);
  const at = Math.min(line, Math.max(0, lines.length - 1));
  const lineText = lines[at] ?? '';
  const startCol = Math.max(0, lineText.search(/\S/));
  const d = new vscode.Diagnostic(
    new vscode.Range(at, startCol, at, lineText.length),
    `HAT ${stage} failed: ${f.exception}: ${f.message}${f.repeats > 1 ? ` (printed ${f.repeats}× by ${f.ranks.length ? `ranks ${f.ranks.join(', ')}` : 'several ranks'})` : ''}`,
    vscode.DiagnosticSeverity.Error,
  );
  d.source = 'HAT';
  d.code = f.exception;
  const inner = f.frames[f.frames.length - 1];
  if (inner && nodePath.isFile(path.resolve(cwd, inner.file))) {
    d.relatedInformation = [new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(path.resolve(cwd, inner.file)), new vscode.Position(Math.max(0, inner.line - 1), 0)), `raised here, in ${inner.func}`)];
  }
  return d;
}
