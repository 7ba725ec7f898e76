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

export function registerCompare(context: vscode.ExtensionContext, manager: AnalysisManager, perf: PerfFeature, tasks: HatTasks, log: vscode.LogOutputChannel): vscode.Disposable {
  const rows = new ConfigRows(manager, perf, tasks);
  const panel = new ComparePanel(context.extensionUri, rows, log);
  const view = new ConfigsView(rows);
  return vscode.Disposable.from(view, panel, rows);
}
