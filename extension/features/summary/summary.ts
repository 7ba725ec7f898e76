/**
 * "MixVarGENet: Show Network Summary": everything known about the config's network — stages, shapes, params, MACs,
 * findings, the CPU latency last measured (per stage) and the latest HAT results — as a Markdown document under its
 * own scheme, rendered in VS Code's Markdown preview and kept up to date while it is open.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { networkSummaryMarkdown } from '../../core/ide/summary';
import type { AnalysisManager } from '../analysis/manager';
import { documentFromArg, openMarkdown } from '../../host/commandArgs';
import { ruleDocFileUri } from '../ruleDocs/ruleDocs';
import type { PerfFeature } from '../perf/perf';
import { resultsForConfig } from '../../core/hat/store';
import { formatSummary } from '../../core/hat/format';
import { escapeMarkdown } from '../../core/markdown';
import { mdTable } from '../../core/ide/table';
import { msFigure } from '../../core/format';
import type { Int8Figures, PerfResult } from '../../ort/measure';

export const SUMMARY_SCHEME = 'mixvargenet-summary';

export function summaryUri(source: vscode.Uri): vscode.Uri {
  const base = path.posix.basename(source.path) || 'config';
  return vscode.Uri.from({ scheme: SUMMARY_SCHEME, path: `/${base} — network.md`, query: source.toString() });
}

/** The CPU latency last measured for this document (per part), or how to get it. */
function latencyMarkdown(perf: PerfFeature | undefined, source: vscode.Uri, version: number | undefined): string {
  const m = perf?.measured(source.toString());
  if (!m) return '## Latency on this CPU\n\nNot measured yet: run "MixVarGENet: Measure Latency" (trusted workspaces).';
  const r = m.result;
  const out = [
    '## Latency on this CPU',
    '',
    `**${msFigure(r.latencyMs.median)} ms** median · p90 ${msFigure(r.latencyMs.p90)} ms · min ${msFigure(r.latencyMs.min)} ms · **${r.fps.toFixed(1)} FPS** — onnxruntime-node ${r.ortVersion}, ${r.threads} thread(s), batch ${r.batch}${m.version !== version ? ' _(measured on an earlier version of the file)_' : ''}`,
    ...(r.batches ?? []).filter((b) => b.batch !== r.batch).map((b) => `- batch ${b.batch}: ${msFigure(b.latencyMs.median)} ms median, ${b.fps.toFixed(1)} FPS`),
    '',
  ];
  const rows: string[][] = [];
  if (r.stem) rows.push(['stem', `${msFigure(r.stem.latencyMs)} ms`, `${(100 * r.stem.share).toFixed(1)}%`]);
  for (const s of r.stages) rows.push([`stage ${s.index}`, `${msFigure(s.latencyMs)} ms`, `${(100 * s.share).toFixed(1)}%`]);
  if (r.head) rows.push(['head', `${msFigure(r.head.latencyMs)} ms`, `${(100 * r.head.share).toFixed(1)}%`]);
  if (rows.length) out.push(mdTable(['part', 'time', 'share'], rows, ['l', 'r', 'r']), '');
  const q = r.precisions?.int8;
  if (q) out.push(...int8Markdown(r, q));
  out.push(q ? '_BatchNorm folded, seeded random weights: a relative CPU guide, not J5 latency._' : '_Float network, BatchNorm folded, seeded random weights: a relative CPU guide, not J5 latency._');
  return out.join('\n');
}

/** int8: the times per part beside fp32, what ran in int8, and each stage's quantization error. */
function int8Markdown(r: PerfResult, q: Int8Figures): string[] {
  const f = r.precisions?.fp32;
  const c = q.calibration;
  const ms = (p: { latencyMs: number } | null | undefined) => (p ? `${msFigure(p.latencyMs)} ms` : '—');
  const rows: string[][] = [];
  const err = (i: number) => q.error.stages.find((e) => e.index === i);
  const db = (e: { sqnrDb: number | null } | null | undefined) => (e && e.sqnrDb !== null ? `${e.sqnrDb.toFixed(1)} dB` : '—');
  const cos = (e: { cosine: number | null } | null | undefined) => (e && e.cosine !== null ? e.cosine.toFixed(4) : '—');
  rows.push(['stem', ms(f?.stem), ms(q.stem), '', '']);
  for (const s of q.stages) rows.push([`stage ${s.index}`, ms(f?.stages.find((x) => x.index === s.index)), ms(s), db(err(s.index)), cos(err(s.index))]);
  if (q.head) rows.push(['head (output)', ms(f?.head), ms(q.head), db(q.error.output), cos(q.error.output)]);
  return [
    '### int8 (QDQ)',
    '',
    `**${msFigure(q.latencyMs.median)} ms** median int8${f ? ` against ${msFigure(f.latencyMs.median)} ms fp32 (**${(q.latencyMs.median / f.latencyMs.median).toFixed(2)}×**, runs interleaved)` : ''} · **${q.quantizedConvs}/${q.totalConvs} convs in int8**, ${q.quantizedAdds}/${q.totalAdds} adds${q.fp32Convs.length ? ` · in fp32: ${q.fp32Convs.map((x) => `\`${x}\``).join(', ')}` : ''} · calibrated on ${c.samples} ${c.source === 'files' ? 'of your inputs' : 'seeded random inputs'} (${c.method}) · CPU: ${r.isa?.join(', ') || 'ISA unknown'}`,
    '',
    mdTable(['part', 'fp32', 'int8', 'SQNR', 'cosine'], rows, ['l', 'r', 'r', 'r', 'r']),
    '',
    `_SQNR and cosine similarity: each stage's int8 output against fp32 on ${q.error.samples} inputs — ${q.error.note}._`,
    '',
  ];
}

/** The latest HAT results of the config (accuracy, FPS), from the workspace's results store. */
async function hatMarkdown(source: vscode.Uri): Promise<string> {
  if (source.scheme !== 'file') return '';
  const r = await resultsForConfig(source.fsPath);
  const line = r.runs.length ? formatSummary(r.latest, new Date()) : '';
  return line ? `## HAT results\n\n${escapeMarkdown(line)} — "MixVarGENet: Show HAT Results History" for every run.` : '';
}

export function registerSummary(manager: AnalysisManager, perf?: PerfFeature): vscode.Disposable {
  const summaryChanged = new vscode.EventEmitter<vscode.Uri>();
  const openSummaries = new Set<string>();

  const summaryFor = async (source: vscode.Uri): Promise<string> => {
    const snap = manager.snapshot(source);
    const label = vscode.workspace.asRelativePath(source);
    if (!snap) return `# MixVarGENet network — ${label}\n\nNo analysis yet: open the file (a Python file with MixVarGENetConfig).`;
    const parts = [networkSummaryMarkdown(snap, label, (code) => ruleDocFileUri(code).toString())];
    if (snap.stages.length) parts.push(latencyMarkdown(perf, source, snap.version), await hatMarkdown(source).catch(() => ''));
    return parts.filter(Boolean).join('\n\n');
  };

  return vscode.Disposable.from(
    summaryChanged,
    vscode.workspace.registerTextDocumentContentProvider(SUMMARY_SCHEME, {
      onDidChange: summaryChanged.event,
      provideTextDocumentContent: (uri) => {
        openSummaries.add(uri.toString());
        return summaryFor(vscode.Uri.parse(uri.query));
      },
    }),
    manager.onDidAnalyze((e) => {
      const su = summaryUri(e.document.uri);
      if (openSummaries.has(su.toString())) summaryChanged.fire(su);
    }),
    ...(perf
      ? [
          perf.onDidChange((uri) => {
            const su = summaryUri(vscode.Uri.parse(uri));
            if (openSummaries.has(su.toString())) summaryChanged.fire(su);
          }),
        ]
      : []),
    vscode.workspace.onDidCloseTextDocument((d) => openSummaries.delete(d.uri.toString())),
    vscode.commands.registerCommand('mixvargenet.showNetworkSummary', async (arg?: unknown) => {
      const doc = await documentFromArg(arg);
      if (!doc || !manager.isConfig(doc)) {
        void vscode.window.showInformationMessage('MixVarGENet: open a config file with MixVarGENetConfig stages first.');
        return undefined;
      }
      if (!manager.current(doc)) await manager.analyzeNow(doc);
      const uri = summaryUri(doc.uri);
      openSummaries.add(uri.toString());
      summaryChanged.fire(uri);
      const shown = await openMarkdown(uri);
      return { uri: uri.toString(), markdown: await summaryFor(doc.uri), shown };
    }),
  );
}
