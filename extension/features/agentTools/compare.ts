/**
 * `mixvargenet_compare`: every config of the workspace (or the ones named) side by side — the rows of "MixVarGENet:
 * Compare Configs" (params, MACs, activations, measured CPU latency, latest HAT accuracy, J5 FPS/latency, findings) —
 * with the Pareto frontier on two columns (default: accuracy against J5 FPS where results exist, as the view's scatter).
 */
import { COLUMN_BY_KEY, COLUMNS, cellText, defaultAxes, differingColumns, isColumnKey, paretoFrontier, type ColumnKey } from '../../core/compare';
import { mdTable } from '../../core/ide/table';
import type { RowEntry } from '../compare/rows';
import { type AgentTool, configDocument, json, label, result } from './shared';

export interface CompareInput {
  /** The configs; default every config of the workspace. */
  files?: string[];
  x?: string;
  y?: string;
}

/** At most this many configs in one answer. */
export const MAX_COMPARED = 200;

function axis(input: object, key: 'x' | 'y'): ColumnKey | undefined {
  const v = (input as Record<string, unknown>)[key];
  if (v === undefined || v === null) return undefined;
  if (!isColumnKey(v)) throw new Error(`"${key}" must be one of ${COLUMNS.map((c) => c.key).join(', ')}`);
  return v;
}

export const compareTool: AgentTool<CompareInput> = {
  name: 'mixvargenet_compare',
  async prepare(input) {
    const n = Array.isArray(input.files) ? input.files.length : 0;
    return { invocationMessage: n ? `Comparing ${n} MixVarGENet config${n > 1 ? 's' : ''}` : 'Comparing the MixVarGENet configs of the workspace' };
  },
  async invoke(input, { manager, hat, rows: configRows }, token) {
    const given = (input as Record<string, unknown>).files;
    if (given !== undefined && (!Array.isArray(given) || given.some((f) => typeof f !== 'string' || !f.trim()))) throw new Error('"files" must be a list of config paths');
    const xIn = axis(input, 'x');
    const yIn = axis(input, 'y');
    let uris;
    if (Array.isArray(given) && given.length) {
      if (given.length > MAX_COMPARED) throw new Error(`at most ${MAX_COMPARED} configs at once (${given.length} given)`);
      // Each one checked as every tool checks its file: in the workspace (or open), a regular file, a config.
      uris = [];
      for (const f of given as string[]) uris.push((await configDocument({ file: f }, manager)).uri);
    } else {
      uris = await configRows.workspaceConfigs();
      if (!uris.length) throw new Error('no MixVarGENet configs in this workspace (no .py file mentions MixVarGENetConfig)');
    }
    const truncated = uris.length > MAX_COMPARED ? uris.length : 0;
    if (truncated) uris = uris.slice(0, MAX_COMPARED);
    // The stored results as they are now on disk (another window or `mvg run` may have just added some).
    await hat.reloadResults(uris.filter((u) => u.scheme === 'file').map((u) => u.fsPath));
    const entries: RowEntry[] = await configRows.rows(uris);
    if (token.isCancellationRequested) throw new Error('cancelled');
    const rows = entries.map((e) => e.row);
    const axes = defaultAxes(rows);
    const x = COLUMN_BY_KEY.get(xIn ?? axes.x)!;
    const y = COLUMN_BY_KEY.get(yIn ?? axes.y)!;
    const frontier = new Set(paretoFrontier(rows.map((r) => ({ x: x.value(r), y: y.value(r) })), x.better, y.better));
    const shown = differingColumns(rows);
    const table = mdTable(
      ['config', ...shown.map((c) => c.label), 'Pareto'],
      entries.map((e, i) => [e.label, ...shown.map((c) => cellText(c, e.row)), frontier.has(i) ? '◆' : '']),
      ['l', ...shown.map((): 'r' => 'r'), 'c'],
    );
    const onFrontier = entries.filter((_, i) => frontier.has(i)).map((e) => e.label);
    const known = rows.filter((r) => x.value(r) !== null && y.value(r) !== null).length;
    const same = COLUMNS.filter((c) => !shown.includes(c));
    const lines = [
      `${entries.length} config${entries.length === 1 ? '' : 's'} compared${truncated ? ` (the first ${MAX_COMPARED} of ${truncated})` : ''}.`,
      `Pareto frontier of ${y.label} (${y.better === 'max' ? 'higher' : 'lower'} is better) against ${x.label} (${x.better === 'max' ? 'higher' : 'lower'} is better), over the ${known} config${known === 1 ? '' : 's'} with both: ${onFrontier.length ? onFrontier.join(', ') : 'none'}.`,
      same.length && entries.length > 1 ? `The same in every config (not in the table): ${same.map((c) => `${c.label} ${cellText(c, rows[0]) || 'unknown'}`).join(', ')}.` : '',
      'Accuracy is in percent; J5 FPS and latency come from compile_perf or an imported board run; CPU latency only where "Measure Latency" measured the network; an empty cell is unknown.',
    ];
    const errors = entries.filter((e) => e.error).map((e) => `${e.label}: ${e.error}`);
    return result(
      lines.filter(Boolean).join(' '),
      table,
      `As JSON (null: unknown):\n${json({ axes: { x: x.key, y: y.key }, frontier: onFrontier, rows: entries.map((e, i) => ({ ...e.row, file: e.label, status: e.status ?? null, onFrontier: frontier.has(i) })) })}`,
      errors.length ? `Not analysed: ${errors.join('; ')}` : undefined,
    );
  },
};
