/**
 * "Import Board Results": the output of a run on the board (hrt_model_exec perf, AI Benchmark's fps.sh /
 * latency.sh) or a compile_perf summary, from a file, the clipboard or the command's argument, stored as a run
 * of the config it belongs to.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { recordFromReport } from '../../core/hat';
import { parseLogOrSummary } from '../../core/logs/parse';
import { isObject, type RunOutcome, uriFor } from './args';
import type { ResultStores } from './stores';
import { notificationText } from '../../core/markdown';
import { readRegularFile } from '../../core/guardedRead';

/** The command's argument: the config, and the results as text or a file (tests); without them the user picks. */
interface ImportArgs {
  uri?: string;
  file?: string;
  text?: string;
  silent?: boolean;
}

/** The board output and where it came from (a file, 'clipboard', 'text'); undefined when the user gave up. */
async function boardText(a: ImportArgs, config: vscode.Uri): Promise<{ text?: string; from?: string } | { error: string } | undefined> {
  if (a.text !== undefined) return { text: a.text, from: a.file ?? 'text' };
  if (a.file) {
    const r = await readRegularFile(a.file);
    return r.ok ? { text: r.text, from: a.file } : { error: `cannot read ${a.file}: ${r.reason}` };
  }
  const pick = await vscode.window.showQuickPick(
    [
      { label: 'From a file…', description: 'saved output of hrt_model_exec perf, fps.sh / latency.sh, or a compile_perf summary .json', id: 'file' },
      { label: 'From the clipboard', description: 'pasted board output', id: 'clip' },
    ],
    { title: `MixVarGENet: import board results for ${path.basename(config.fsPath)}` },
  );
  if (!pick) return undefined;
  if (pick.id === 'file') {
    const files = await vscode.window.showOpenDialog({ canSelectMany: false, title: 'Board output (hrt_model_exec perf, AI Benchmark) or compile_perf .json', filters: { 'Logs and JSON': ['log', 'txt', 'json'], 'All files': ['*'] } });
    if (!files?.[0]) return undefined;
    if (files[0].scheme === 'file') {
      const r = await readRegularFile(files[0].fsPath);
      return r.ok ? { text: r.text, from: files[0].fsPath } : { error: `cannot read ${files[0].fsPath}: ${r.reason}` };
    }
    return { text: new TextDecoder().decode(await vscode.workspace.fs.readFile(files[0])), from: files[0].toString() };
  }
  return { text: await vscode.env.clipboard.readText(), from: 'clipboard' };
}

export async function importBoard(arg: unknown, stores: ResultStores): Promise<RunOutcome | undefined> {
  const a: ImportArgs = isObject(arg) ? (arg as ImportArgs) : {};
  const uri = uriFor(arg);
  if (!uri || uri.scheme !== 'file') {
    const error = 'open the config file the board results belong to';
    if (!a.silent) void vscode.window.showInformationMessage(`MixVarGENet: ${error}.`);
    return { ok: false, error };
  }
  const got = await boardText(a, uri);
  if (!got) return undefined;
  if ('error' in got) return { ok: false, error: got.error };
  const report = parseLogOrSummary(got.text ?? '');
  if (!report.board && !report.compile) {
    const error = 'no board results recognised: expected hrt_model_exec perf output ("Frame rate is: … FPS"), AI Benchmark output ("Throughput: …fps") or a compile_perf summary';
    if (!a.silent) void vscode.window.showErrorMessage(notificationText(`MixVarGENet: ${error}.`));
    return { ok: false, error };
  }
  const now = new Date();
  const record = recordFromReport(report, { stage: report.board ? 'board' : 'compile_perf', started: now, ended: now, source: 'import', command: got.from ? [got.from] : undefined });
  const { saved, summary } = await stores.append(stores.slotOf(uri.fsPath), record);
  if (!a.silent) {
    if (saved.warning) void vscode.window.showWarningMessage(notificationText(`MixVarGENet: ${saved.warning}`));
    else void vscode.window.showInformationMessage(notificationText(`MixVarGENet: imported ${record.stage === 'board' ? `board results (${record.board?.source})` : 'compile_perf results'} — ${summary}`));
  }
  return { ok: saved.written, status: record.status, record, summary, storeWarning: saved.warning, error: saved.written ? undefined : saved.warning };
}
