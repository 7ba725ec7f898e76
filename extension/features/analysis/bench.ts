/**
 * `mixvargenet._benchKeystroke` (internal, for `npm run bench`): keystroke → diagnostics through the real
 * pipeline (debounce, worker, apply), with the same analysis run in this thread for comparison.
 */
import * as vscode from 'vscode';
import type { AnalysisManager } from './manager';
import { InProcessEngine } from '../../analysis/engine';
import { debounceMs, docOptions } from '../../host/settings';

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

export function registerBenchCommand(manager: AnalysisManager, workerPath: string): vscode.Disposable {
  return vscode.commands.registerCommand('mixvargenet._benchKeystroke', async (opts?: { iterations?: number; warmup?: number; uri?: string; text?: string }) => {
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
        debounceMs: debounceMs(),
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
    });
}
