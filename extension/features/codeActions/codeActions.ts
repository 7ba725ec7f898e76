/**
 * Quick fixes from the findings' fixes (one WorkspaceEdit each, so one undo), "Fix all MVGnnn in
 * file" where a rule has several, and `source.fixAll.mixvargenet` for editor.codeActionsOnSave.
 */
import * as vscode from 'vscode';
import type { AnalysisSnapshot, SnapshotFinding, SnapshotFix } from '../../core/ide/snapshot';
import type { AnalysisManager } from '../analysis/manager';
import { features } from '../../host/settings';
import { PYTHON_SELECTOR } from '../../host/selector';
import { findingFor, toRange, SOURCE } from '../diagnostics/diagnostics';
import { documentFromArg } from '../../host/commandArgs';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('mixvargenet');

function editOf(uri: vscode.Uri, fixes: SnapshotFix[]): { edit: vscode.WorkspaceEdit; applied: number } {
  const edit = new vscode.WorkspaceEdit();
  const taken: { start: number; end: number }[] = [];
  let applied = 0;
  for (const fix of fixes) {
    const overlaps = fix.edits.some((e) => taken.some((t) => e.range.start < t.end && t.start < e.range.end || (e.range.start === t.start && e.range.end === t.end)));
    if (overlaps) continue;
    for (const e of fix.edits) {
      edit.replace(uri, toRange(e.range), e.newText);
      taken.push({ start: e.range.start, end: e.range.end });
    }
    applied++;
  }
  return { edit, applied };
}

/** The fix "fix all" applies for a finding: its preferred one, or its only one. */
export function autoFix(f: SnapshotFinding): SnapshotFix | undefined {
  return f.fixes.find((x) => x.preferred) ?? (f.fixes.length === 1 ? f.fixes[0] : undefined);
}

export function fixAllEdit(uri: vscode.Uri, snap: AnalysisSnapshot, code?: string): { edit: vscode.WorkspaceEdit; applied: number } {
  const fixes = snap.findings.filter((f) => !code || f.code === code).map(autoFix).filter((x): x is SnapshotFix => !!x);
  return editOf(uri, fixes);
}

export class MixVarGENetCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  constructor(private readonly manager: AnalysisManager) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] | undefined {
    if (!features(doc.uri).codeActions) return undefined;
    const snap = this.manager.current(doc);
    if (!snap) return undefined;
    const out: vscode.CodeAction[] = [];
    if (context.only && FIX_ALL_KIND.intersects(context.only) && !vscode.CodeActionKind.QuickFix.contains(context.only)) {
      const { edit, applied } = fixAllEdit(doc.uri, snap);
      if (applied > 0) {
        const a = new vscode.CodeAction(`Fix all MixVarGENet problems (${applied})`, FIX_ALL_KIND);
        a.edit = edit;
        out.push(a);
      }
      return out;
    }
    const codesSeen = new Set<string>();
    // One action per distinct edit: a fix that cures two diagnostics (MVG002 and MVG003 both offer
    // "Set stage 3 out_channels to 96") is offered once, for both.
    const bySignature = new Map<string, vscode.CodeAction>();
    for (const d of context.diagnostics) {
      if (d.source !== SOURCE) continue;
      const f = findingFor(snap, d);
      if (!f) continue;
      // The core ranks each finding's fixes (rules/rankFixes.ts): the preferred one first, then in
      // order of what they leave behind. VS Code keeps that order after its preferred-first sort.
      for (const fix of [...f.fixes].sort((x, y) => Number(y.preferred) - Number(x.preferred))) {
        const sig = JSON.stringify(fix.edits.map((e) => [e.range.start, e.range.end, e.newText]));
        const same = bySignature.get(sig);
        if (same) {
          same.diagnostics = [...(same.diagnostics ?? []), d];
          same.isPreferred = same.isPreferred || fix.preferred;
          continue;
        }
        const a = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        a.diagnostics = [d];
        a.isPreferred = fix.preferred;
        a.edit = editOf(doc.uri, [fix]).edit;
        bySignature.set(sig, a);
        out.push(a);
      }
      // Fix all of this kind, where there are several.
      if (!codesSeen.has(f.code)) {
        codesSeen.add(f.code);
        const same = snap.findings.filter((x) => x.code === f.code && autoFix(x));
        if (same.length >= 2) {
          const { edit, applied } = fixAllEdit(doc.uri, snap, f.code);
          const a = new vscode.CodeAction(`Fix all ${f.code} (${f.rule}) in file (${applied})`, vscode.CodeActionKind.QuickFix);
          a.edit = edit;
          a.diagnostics = same.map((x) => context.diagnostics.find((y) => findingFor(snap, y) === x)).filter((y): y is vscode.Diagnostic => !!y);
          out.push(a);
        }
      }
    }
    return out;
  }
}

export function registerCodeActions(manager: AnalysisManager): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(PYTHON_SELECTOR, new MixVarGENetCodeActions(manager), MixVarGENetCodeActions.metadata);
}

/** "MixVarGENet: Fix All in File": every finding's automatic fix as one edit (one undo); returns how many were applied. */
export function registerFixAllCommand(manager: AnalysisManager): vscode.Disposable {
  return vscode.commands.registerCommand('mixvargenet.fixAll', async (arg?: unknown) => {
    const doc = await documentFromArg(arg);
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
  });
}
