/** Problems-panel diagnostics from the snapshot's findings: same messages as `mvg lint`. */
import * as vscode from 'vscode';
import type { AnalysisSnapshot, SnapshotFinding, SRange } from '../../core/ide/snapshot';
import type { AnalysisManager } from '../analysis/manager';
import { features } from '../../host/settings';

export const SOURCE = 'mixvargenet';

export function toRange(r: SRange): vscode.Range {
  return new vscode.Range(r.from.line, r.from.character, r.to.line, r.to.character);
}

/** The command URI that opens a rule's documentation (diagnostic code links, hovers, summary). */
export function ruleDocUri(code: string): vscode.Uri {
  return vscode.Uri.parse(`command:mixvargenet.showRuleDoc?${encodeURIComponent(JSON.stringify([code]))}`);
}

const SEVERITY: Record<SnapshotFinding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export function toDiagnostic(uri: vscode.Uri, f: SnapshotFinding): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(f.range), f.message, SEVERITY[f.severity]);
  d.source = SOURCE;
  d.code = { value: f.code, target: ruleDocUri(f.code) };
  if (f.related.length) d.relatedInformation = f.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, toRange(r.range)), r.message));
  if (f.unnecessary) d.tags = [vscode.DiagnosticTag.Unnecessary];
  return d;
}

/** The finding a diagnostic shown for this snapshot came from. */
export function findingFor(snap: AnalysisSnapshot, d: vscode.Diagnostic): SnapshotFinding | undefined {
  if (d.source !== SOURCE) return undefined;
  const code = typeof d.code === 'object' ? String(d.code.value) : String(d.code);
  return snap.findings.find(
    (f) =>
      f.code === code &&
      f.message === d.message &&
      f.range.from.line === d.range.start.line &&
      f.range.from.character === d.range.start.character &&
      f.range.to.line === d.range.end.line &&
      f.range.to.character === d.range.end.character,
  );
}

export function registerDiagnostics(manager: AnalysisManager): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection(SOURCE);
  const apply = (doc: vscode.TextDocument, snap: AnalysisSnapshot | undefined) => {
    if (!snap || !features(doc.uri).diagnostics) collection.delete(doc.uri);
    else collection.set(doc.uri, snap.findings.map((f) => toDiagnostic(doc.uri, f)));
  };
  const subs = [
    collection,
    manager.onDidAnalyze((e) => apply(e.document, e.snapshot)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('mixvargenet.diagnostics.enabled')) return;
      for (const doc of vscode.workspace.textDocuments) apply(doc, manager.snapshot(doc));
    }),
  ];
  return vscode.Disposable.from(...subs);
}
