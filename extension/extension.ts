/**
 * MixVarGENet Studio: the editor side. Activated on Python files; does nothing visible (and almost
 * no work) for files without MixVarGENetConfig. The analysis core runs in a worker thread
 * (dist/analysisWorker.js); the features below draw from its snapshots and queries.
 */
import * as vscode from 'vscode';
import { AnalysisManager, workerPathFor } from './features/analysis/manager';
import { ANALYSIS_KEYS, SECTION } from './host/settings';
import { ExtraOpsLoader } from './features/config/extraOps';
import { registerDiagnostics } from './features/diagnostics/diagnostics';
import { registerCodeActions } from './features/codeActions/codeActions';
import { registerCompletion } from './features/completion/completion';
import { registerHover } from './features/hover/hover';
import { registerSignatureHelp } from './features/signature/signature';
import { StatusBar } from './features/status/statusBar';
import { registerInlayHints } from './features/inlayHints/inlayHints';
import { registerAnalysisCommands } from './features/analysis/commands';
import { registerBenchCommand } from './features/analysis/bench';
import { registerFixAllCommand } from './features/codeActions/codeActions';
import { registerRuleDocs } from './features/ruleDocs/ruleDocs';
import { registerSummary } from './features/summary/summary';
import { registerPerf } from './features/perf/perf';
import { registerGraph } from './features/graph/panel';
import { registerTasks } from './features/tasks/tasks';
import { registerCompare } from './features/compare/compare';
import { registerAgentTools } from './features/agentTools';
import { registerDiff } from './features/diff/diff';
import { registerWelcome } from './features/welcome/welcome';
import { trackConfigEditors } from './host/commandArgs';
import type { DocLike, MixVarGENetApi } from './api';

function findDoc(d: DocLike): vscode.TextDocument | undefined {
  const key = d.uri.toString();
  return vscode.workspace.textDocuments.find((x) => x.uri.toString() === key);
}

export function activate(context: vscode.ExtensionContext): MixVarGENetApi {
  const log = vscode.window.createOutputChannel('MixVarGENet', { log: true });
  const workerPath = workerPathFor(context);
  const manager = new AnalysisManager(workerPath, log, process.env.MIXVARGENET_IN_PROCESS === '1');
  const extraOps = new ExtraOpsLoader(manager, log);
  const status = new StatusBar(manager);
  const perf = registerPerf(manager, log, context);
  const tasks = registerTasks(context, manager, log);
  const diff = registerDiff(manager, perf);
  const compare = registerCompare(context, manager, perf, tasks, log);
  context.subscriptions.push(
    log,
    manager,
    extraOps,
    status,
    registerDiagnostics(manager),
    registerCodeActions(manager),
    registerCompletion(manager),
    registerHover(manager),
    registerSignatureHelp(manager),
    registerInlayHints(manager, perf),
    registerAnalysisCommands(manager),
    registerBenchCommand(manager, workerPath),
    registerFixAllCommand(manager),
    registerRuleDocs(manager),
    registerSummary(manager, perf),
    status.registerStateCommand(),
    perf,
    registerGraph(context, manager, perf, log, diff),
    tasks,
    diff,
    compare,
    registerAgentTools({ manager, perf, hat: tasks, rows: compare.rows }, log),
    registerWelcome(context),
    trackConfigEditors(),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (ANALYSIS_KEYS.some((k) => e.affectsConfiguration(k))) manager.reanalyzeAll();
      if (e.affectsConfiguration(`${SECTION}.statusBar.enabled`)) status.update();
    }),
  );
  const ready = extraOps.reload().then(
    () => log.info(`MixVarGENet Studio active (analysis: ${manager.engineKind}).`),
    (e) => log.error(`Start-up failed: ${e instanceof Error ? e.message : String(e)}`),
  );

  return {
    ready,
    snapshot: (uri) => manager.snapshot(typeof uri === 'string' ? uri : uri.toString()),
    whenAnalyzed: (d, minVersion, timeoutMs) => {
      const doc = findDoc(d);
      return doc ? manager.whenAnalyzed(doc, minVersion ?? d.version, timeoutMs) : Promise.resolve(undefined);
    },
    analyzeNow: (d) => {
      const doc = findDoc(d);
      return doc ? manager.analyzeNow(doc) : Promise.resolve(undefined);
    },
    statusBar: () => status.current,
    engineKind: () => manager.engineKind,
    opNames: () => extraOps.lastOps,
    reloadExtraOps: () => extraOps.reload(),
  };
}

export function deactivate(): void {}
