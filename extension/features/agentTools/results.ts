/** `mixvargenet_results`: the HAT results stored for a config (latest per kind, then the runs, newest first). */
import * as vscode from 'vscode';
import type { RunRecord } from '../../core/hat';
import { formatSummary, historyLine } from '../../core/hat/format';
import { type AgentTool, configDocument, type FileInput, json, label, optionalInt, result } from './shared';

export interface ResultsInput extends FileInput {
  /** How many runs of the history (newest first); default 10. */
  history?: number;
}

/** A run without what the model has no use for (its id, the cwd, the parser's notes). */
function runJson(r: RunRecord): unknown {
  const { id: _id, cwd: _cwd, notes: _notes, ...rest } = r;
  return rest;
}

export const resultsTool: AgentTool<ResultsInput> = {
  name: 'mixvargenet_results',
  async prepare(input) {
    return { invocationMessage: `Reading the HAT results of ${input.file ?? 'the active config'}` };
  },
  async invoke(input, { manager, hat }) {
    const max = optionalInt(input, 'history', 0, 500) ?? 10;
    const doc = await configDocument(input, manager);
    const file = label(doc.uri);
    if (doc.uri.scheme !== 'file') throw new Error(`${file} is not a file on disk: HAT results are stored per config file`);
    const r = await hat.results(doc.uri.fsPath);
    const note = r.error ? `Note: ${r.error}` : undefined;
    if (!r.runs.length) {
      return result(`No HAT results are stored for ${file} (${label(vscode.Uri.file(r.storeFile))}): they are recorded when HAT stages run from the editor (mixvargenet_run_stage, "MixVarGENet: Run …") or board results are imported.`, note);
    }
    const now = new Date();
    const newest = [...r.runs].reverse().slice(0, max);
    return result(
      `${file}: latest ${formatSummary(r.latest, now)}; ${r.runs.length} run(s) stored in ${label(vscode.Uri.file(r.storeFile))}. Accuracy is a fraction (0.7132 = 71.32%).`,
      newest.length ? `History, newest first:\n${newest.map((x) => `- ${historyLine(x, now)}`).join('\n')}` : undefined,
      json({ latest: Object.fromEntries(Object.entries(r.latest).filter(([k, v]) => k !== 'count' && v).map(([k, v]) => [k, runJson(v as RunRecord)])), runs: newest.map(runJson) }),
      note,
    );
  },
};
