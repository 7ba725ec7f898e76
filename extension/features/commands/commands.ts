/**
 * Commands under "MixVarGENet:": Show Network Summary, Open Rule Documentation, Fix All in File,
 * Restart Analysis; the rule-doc command behind diagnostic code links; and two internal commands
 * for tests and `npm run bench` (_status, _benchKeystroke).
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { networkSummaryMarkdown } from '../../core/ide/summary';
import type { AnalysisManager } from '../analysis/manager';
import { InProcessEngine } from '../../analysis/engine';
import { fixAllEdit } from '../codeActions/codeActions';
import { docOptions } from '../config/settings';
import type { StatusBar } from '../status/statusBar';
import type { RuleInfo } from '../../analysis/protocol';

export const SUMMARY_SCHEME = 'mixvargenet-summary';
export const DOC_SCHEME = 'mixvargenet-doc';

export function summaryUri(source: vscode.Uri): vscode.Uri {
  const base = path.posix.basename(source.path) || 'config';
  return vscode.Uri.from({ scheme: SUMMARY_SCHEME, path: `/${base} — network.md`, query: source.toString() });
}

export function ruleDocFileUri(code: string): vscode.Uri {
  return vscode.Uri.from({ scheme: DOC_SCHEME, path: `/rules/${code.toUpperCase()}.md` });
}

export function ruleMarkdown(r: RuleInfo): string {
  const sev = { error: 'Error', warning: 'Warning', info: 'Information', hint: 'Hint' }[r.severity] ?? r.severity;
  const cat =
    { syntax: 'the file does not parse', crash: 'HAT crashes when it builds or runs the model', silent: 'HAT silently builds a different network', guidance: 'J5 design guidance' }[
      r.category
    ] ?? r.category;
  return [
    `# ${r.code} · ${r.name}`,
    '',
    `**${r.title}**`,
    '',
    `Severity: **${sev}** · Category: ${r.category} (${cat})`,
    '',
    r.doc,
    '',
    '---',
    '',
    `Turn it off with \`"mixvargenet.disabledRules": ["${r.code}"]\` in settings, or \`mvg lint --disable ${r.code}\` on the command line.`,
  ].join('\n');
}

async function openMarkdown(uri: vscode.Uri): Promise<void> {
  const cmds = await vscode.commands.getCommands(true);
  if (cmds.includes('markdown.showPreview')) {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
    return;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: true });
}

function toUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg) return vscode.Uri.parse(arg);
  if (arg && typeof arg === 'object' && 'uri' in arg) return toUri((arg as { uri: unknown }).uri);
  return undefined;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
}

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)] : NaN;
}

const round = (x: number) => Math.round(x * 100) / 100;

export interface BenchResult {
  iterations: number;
  engine: string;
  debounceMs: number;
  /** Keystroke (applyEdit) to diagnostics set, debounce included: what a user waits for. */
  editToDiagnosticsMs: { median: number; p95: number };
  /** From applyEdit to the extension host's change event (a round trip through the workbench). */
  editToChangeEventMs: { median: number; p95: number };
  /** From the debounce firing to diagnostics set: request, worker, reply, apply. */
  pipelineMs: { median: number; p95: number };
  /** Worker round trip (post, analyse, snapshot, reply). */
  roundTripMs: { median: number; p95: number };
  /** The analysis in the worker, and its parts. */
  analyzeMs: { median: number; p95: number };
  parseMs: number;
  evaluateMs: number;
  modelMs: number;
  rulesMs: number;
  snapshotMs: number;
  /** Extension-host thread time per update (getText+post, and applying the snapshot). */
  hostBlockingMs: { median: number; max: number };
  /** The same analysis run in the extension host's own thread (what the worker saves it). */
  inProcessAnalyzeMs: { median: number; max: number };
  chars: number;
  params: number | null;
  macs: number | null;
}

export function registerCommands(
  context: vscode.ExtensionContext,
  manager: AnalysisManager,
  status: StatusBar,
  workerPath: string,
): vscode.Disposable {
  const summaryChanged = new vscode.EventEmitter<vscode.Uri>();
  const openSummaries = new Set<string>();

  const summaryFor = (source: vscode.Uri): string => {
    const snap = manager.snapshot(source);
    const label = vscode.workspace.asRelativePath(source);
    if (!snap) return `# MixVarGENet network — ${label}\n\nNo analysis yet: open the file (a Python file with MixVarGENetConfig).`;
    return networkSummaryMarkdown(snap, label, (code) => ruleDocFileUri(code).toString());
  };

  const rulesByCode = async () => new Map((await manager.rules()).map((r) => [r.code, r]));

  const showRuleDoc = async (codeArg?: unknown): Promise<string | undefined> => {
    const code = typeof codeArg === 'string' ? codeArg.toUpperCase() : undefined;
    if (!code) return vscode.commands.executeCommand('mixvargenet.openRuleDocumentation');
    const r = (await rulesByCode()).get(code);
    if (!r) {
      void vscode.window.showWarningMessage(`MixVarGENet: no rule ${code}.`);
      return undefined;
    }
    await openMarkdown(ruleDocFileUri(code));
    return ruleMarkdown(r);
  };

  const activeConfig = async (arg?: unknown): Promise<vscode.TextDocument | undefined> => {
    const uri = toUri(arg) ?? vscode.window.activeTextEditor?.document.uri;
    if (!uri) return undefined;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) ?? (await vscode.workspace.openTextDocument(uri));
    return doc;
  };

  const disposables: vscode.Disposable[] = [
    summaryChanged,
    vscode.workspace.registerTextDocumentContentProvider(SUMMARY_SCHEME, {
      onDidChange: summaryChanged.event,
      provideTextDocumentContent: (uri) => {
        openSummaries.add(uri.toString());
        return summaryFor(vscode.Uri.parse(uri.query));
      },
    }),
    vscode.workspace.registerTextDocumentContentProvider(DOC_SCHEME, {
      provideTextDocumentContent: async (uri) => {
        const m = /\/rules\/(MVG\d+)\.md$/i.exec(uri.path);
        const r = m ? (await rulesByCode()).get(m[1].toUpperCase()) : undefined;
        return r ? ruleMarkdown(r) : `# Unknown rule\n\n${uri.path}`;
      },
    }),
    manager.onDidAnalyze((e) => {
      const su = summaryUri(e.document.uri);
      if (openSummaries.has(su.toString())) summaryChanged.fire(su);
    }),
    vscode.workspace.onDidCloseTextDocument((d) => openSummaries.delete(d.uri.toString())),

    vscode.commands.registerCommand('mixvargenet.showNetworkSummary', async (arg?: unknown) => {
      const doc = await activeConfig(arg);
      if (!doc || !manager.isConfig(doc)) {
        void vscode.window.showInformationMessage('MixVarGENet: open a config file with MixVarGENetConfig stages first.');
        return undefined;
      }
      if (!manager.current(doc)) await manager.analyzeNow(doc);
      const uri = summaryUri(doc.uri);
      openSummaries.add(uri.toString());
      summaryChanged.fire(uri);
      await openMarkdown(uri);
      return { uri: uri.toString(), markdown: summaryFor(doc.uri) };
    }),

    vscode.commands.registerCommand('mixvargenet.showRuleDoc', showRuleDoc),

    vscode.commands.registerCommand('mixvargenet.openRuleDocumentation', async () => {
      const rules = await manager.rules();
      const icon = { error: '$(error)', warning: '$(warning)', info: '$(info)', hint: '$(lightbulb)' } as Record<string, string>;
      const pick = await vscode.window.showQuickPick(
        rules.map((r) => ({ label: `${icon[r.severity] ?? ''} ${r.code}`, description: r.name, detail: r.title, code: r.code })),
        { title: 'MixVarGENet: Open Rule Documentation', placeHolder: 'Rule code, name or what it catches', matchOnDescription: true, matchOnDetail: true },
      );
      return pick ? showRuleDoc(pick.code) : undefined;
    }),

    vscode.commands.registerCommand('mixvargenet.fixAll', async (arg?: unknown) => {
      const doc = await activeConfig(arg);
      if (!doc || !manager.isConfig(doc)) return 0;
      const snap = manager.current(doc) ?? (await manager.analyzeNow(doc));
      if (!snap || snap.version !== doc.version) return 0;
      const { edit, applied } = fixAllEdit(doc.uri, snap);
      if (!applied) {
        void vscode.window.setStatusBarMessage('MixVarGENet: nothing to fix automatically', 3000);
        return 0;
      }
      await vscode.workspace.applyEdit(edit);
      return applied;
    }),

    vscode.commands.registerCommand('mixvargenet.restartAnalysis', async () => {
      const kind = await manager.restart();
      void vscode.window.setStatusBarMessage(`MixVarGENet: analysis restarted (${kind})`, 3000);
      return kind;
    }),

    vscode.commands.registerCommand('mixvargenet._status', () => ({ ...status.current, engine: manager.engineKind })),

    vscode.commands.registerCommand('mixvargenet._benchKeystroke', async (opts?: { iterations?: number; warmup?: number; uri?: string; text?: string }) => {
      const iterations = Math.max(1, Math.min(500, opts?.iterations ?? 30));
      const warmup = Math.max(0, Math.min(50, opts?.warmup ?? 5));
      let doc: vscode.TextDocument;
      if (opts?.uri) doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(opts.uri));
      else {
        let text = opts?.text;
        if (!text) {
          const found = await vscode.workspace.findFiles('**/mixvargenet_imagenet.py', '**/node_modules/**', 1);
          if (!found.length) throw new Error('No seed config (mixvargenet_imagenet.py) in the workspace; pass {uri} or {text}.');
          text = new TextDecoder().decode(await vscode.workspace.fs.readFile(found[0]));
        }
        doc = await vscode.workspace.openTextDocument({ language: 'python', content: text });
        if (doc.getText() !== text) throw new Error('the scratch document does not hold the seed text');
      }
      await manager.analyzeNow(doc);
      // A keystroke on the first line (a comment in the seed): type a character, then delete it.
      const line0 = doc.lineAt(0).range.end;
      const samples: { edit: number; change: number; pipeline: number; rt: number; analyze: number; host: number; parse: number; evaluate: number; model: number; rules: number; snapshot: number }[] = [];
      let last: ReturnType<AnalysisManager['snapshot']>;
      for (let i = 0; i < warmup + iterations; i++) {
        const edit = new vscode.WorkspaceEdit();
        if (i % 2 === 0) edit.insert(doc.uri, line0, 'x');
        else edit.delete(doc.uri, new vscode.Range(line0, line0.translate(0, 1)));
        const target = doc.version + 1;
        const waiting = manager.whenAnalyzed(doc, target);
        const t0 = performance.now();
        await vscode.workspace.applyEdit(edit);
        last = await waiting;
        const t = manager.lastTiming;
        if (!last || !t || t.version < target) throw new Error('no analysis result for the edit');
        if (i < warmup) continue;
        const changed = manager.lastChange.get(doc.uri.toString());
        samples.push({
          edit: t.appliedAt - t0,
          change: changed && changed.version === target ? changed.at - t0 : NaN,
          pipeline: t.appliedAt - t.requestedAt,
          rt: t.roundTripMs,
          analyze: last.timings.analyzeMs,
          host: t.hostSendMs + t.applyMs,
          parse: last.timings.parseMs,
          evaluate: last.timings.evaluateMs,
          model: last.timings.modelMs,
          rules: last.timings.rulesMs,
          snapshot: last.timings.snapshotMs,
        });
      }
      // The same analysis in this thread, for comparison.
      const inproc = new InProcessEngine(workerPath);
      const text = doc.getText();
      const ip: number[] = [];
      for (let i = 0; i < warmup + iterations; i++) {
        const r = await inproc.request({ type: 'analyze', uri: `bench:${i}`, version: i, text, options: docOptions(doc.uri) });
        if (i >= warmup) ip.push(r.serviceMs);
      }
      inproc.dispose();
      const col = (k: keyof (typeof samples)[number]) => samples.map((s) => s[k]);
      const result: BenchResult = {
        iterations,
        engine: manager.engineKind,
        debounceMs: vscode.workspace.getConfiguration('mixvargenet').get<number>('analysis.debounceMs', 250),
        editToDiagnosticsMs: { median: round(median(col('edit'))), p95: round(p95(col('edit'))) },
        editToChangeEventMs: { median: round(median(col('change'))), p95: round(p95(col('change'))) },
        pipelineMs: { median: round(median(col('pipeline'))), p95: round(p95(col('pipeline'))) },
        roundTripMs: { median: round(median(col('rt'))), p95: round(p95(col('rt'))) },
        analyzeMs: { median: round(median(col('analyze'))), p95: round(p95(col('analyze'))) },
        parseMs: round(median(col('parse'))),
        evaluateMs: round(median(col('evaluate'))),
        modelMs: round(median(col('model'))),
        rulesMs: round(median(col('rules'))),
        snapshotMs: round(median(col('snapshot'))),
        hostBlockingMs: { median: round(median(col('host'))), max: round(Math.max(...col('host'))) },
        inProcessAnalyzeMs: { median: round(median(ip)), max: round(Math.max(...ip)) },
        chars: text.length,
        params: last?.params ?? null,
        macs: last?.macs ?? null,
      };
      return result;
    }),
  ];
  void context;
  return vscode.Disposable.from(...disposables);
}
