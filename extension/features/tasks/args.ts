/** What the HAT commands take and return, and the config a command's argument names. */
import * as vscode from 'vscode';
import type { RunRecord } from '../../core/hat';
import { currentDocument, uriFromArg } from '../../host/commandArgs';

export interface RunArgs {
  uri?: string;
  /** No notifications, no terminal reveal (tests). */
  silent?: boolean;
}

export interface RunOutcome {
  ok: boolean;
  status?: RunRecord['status'];
  record?: RunRecord;
  error?: string;
  argv?: string[];
  summary?: string;
  /** The stored record could not be written. */
  storeWarning?: string;
  /** The Slurm job of the run. */
  jobId?: string;
}

export const UNTRUSTED = 'MixVarGENet: HAT tasks run Python from your workspace, so they are only available in a trusted workspace.';

export function isObject(x: unknown): x is Record<string, unknown> {
  return !!x && typeof x === 'object' && !(x instanceof vscode.Uri);
}

/** The config a command argument names (a Uri, a URI string, `{ uri }`), else the active editor's document. */
export function uriFor(arg: unknown): vscode.Uri | undefined {
  return uriFromArg(arg) ?? currentDocument()?.uri;
}
