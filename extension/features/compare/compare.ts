/**
 * Comparing configs (issue 14 B/C): "MixVarGENet: Compare Configs" (panel.ts) and the configs view in the Explorer
 * (configsView.ts), both drawing from ConfigRows (rows.ts): the analysis in the worker, the HAT results and run
 * status from the tasks feature, the cached CPU latency from the perf feature.
 */
import * as vscode from 'vscode';
import type { AnalysisManager } from '../analysis/manager';
import type { PerfFeature } from '../perf/perf';
import type { HatTasks } from '../tasks/tasks';
import { ConfigsView } from './configsView';
import { ComparePanel } from './panel';
import { ConfigRows } from './rows';

/** The feature, with its rows (the agent tools' mixvargenet_compare answers from the same rows). */
export interface CompareFeature extends vscode.Disposable {
  readonly rows: ConfigRows;
}

export function registerCompare(context: vscode.ExtensionContext, manager: AnalysisManager, perf: PerfFeature, tasks: HatTasks, log: vscode.LogOutputChannel): CompareFeature {
  const rows = new ConfigRows(manager, perf, tasks);
  const panel = new ComparePanel(context.extensionUri, rows, log);
  const view = new ConfigsView(rows);
  return Object.assign(vscode.Disposable.from(view, panel, rows), { rows });
}
