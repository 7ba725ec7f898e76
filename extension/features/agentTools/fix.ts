/**
 * `mixvargenet_fix`: the quick fixes of a config's findings, as edits with the lines before and after; with
 * `apply: true`, one of them applied as a WorkspaceEdit — after a confirmation naming the edit, undoable (Ctrl+Z) like
 * any quick fix, the file left unsaved for the user to see and save. Never written to disk by the tool.
 */
import * as vscode from 'vscode';
import type { AnalysisSnapshot, SnapshotFinding, SnapshotFix } from '../../core/ide/snapshot';
import { plural } from '../../core/format';
import { markdownCode } from '../../core/markdown';
import { findingJson, matchesCode } from './lint';
import { type AgentTool, analysedConfig, type FileInput, json, label, optionalInt, result, type ToolDeps } from './shared';

export interface FixInput extends FileInput {
  /** The finding's code (MVG002) or rule name. */
  code?: string;
  /** A 1-based line the finding's range touches. */
  line?: number;
  /** Which of the finding's fixes (its `index`); default the preferred one. */
  fix?: number;
  apply?: boolean;
}

const rangeOf = (r: SnapshotFix['edits'][number]['range']) => new vscode.Range(r.from.line, r.from.character, r.to.line, r.to.character);

/** The lines an edit set touches, before and after it (what the confirmation and the answer show). */
function preview(doc: vscode.TextDocument, fix: SnapshotFix): { line: number; before: string; after: string } {
  const first = Math.min(...fix.edits.map((e) => e.range.from.line));
  const last = Math.max(...fix.edits.map((e) => e.range.to.line));
  const start = doc.offsetAt(new vscode.Position(first, 0));
  const end = doc.offsetAt(doc.lineAt(last).range.end);
  const before = doc.getText().slice(start, end);
  let after = before;
  for (const e of [...fix.edits].sort((a, b) => b.range.start - a.range.start)) after = after.slice(0, e.range.start - start) + e.newText + after.slice(e.range.end - start);
  return { line: first + 1, before, after };
}

function candidates(snap: AnalysisSnapshot, input: FixInput): SnapshotFinding[] {
  const line = optionalInt(input, 'line', 1, 10_000_000);
  return snap.findings.filter((f) => f.fixes.length && matchesCode(f, input.code) && (line === undefined || (f.range.from.line + 1 <= line && line <= f.range.to.line + 1)));
}

interface Chosen {
  doc: vscode.TextDocument;
  snap: AnalysisSnapshot;
  finding: SnapshotFinding;
  fix: SnapshotFix;
  fixIndex: number;
}

/** The one fix `apply` would make, or why there is none (an Error saying what to give). */
async function choose(input: FixInput, deps: ToolDeps): Promise<Chosen> {
  const { doc, snap } = await analysedConfig(input, deps.manager);
  const found = candidates(snap, input);
  const file = label(doc.uri);
  if (!found.length) throw new Error(`no finding with a fix in ${file}${input.code ? ` for ${input.code}` : ''}${input.line !== undefined ? ` at line ${input.line}` : ''}`);
  if (found.length > 1) {
    throw new Error(`${found.length} findings with fixes match in ${file} (${found.map((f) => `${f.code} line ${f.range.from.line + 1}`).join(', ')}): give "code" and "line" to choose one`);
  }
  const finding = found[0];
  const asked = optionalInt(input, 'fix', 0, finding.fixes.length - 1);
  const fixIndex = asked ?? Math.max(0, finding.fixes.findIndex((x) => x.preferred));
  return { doc, snap, finding, fix: finding.fixes[fixIndex], fixIndex };
}

export const fixTool: AgentTool<FixInput> = {
  name: 'mixvargenet_fix',
  async prepare(input, deps) {
    if (input.apply !== true) return { invocationMessage: `Finding the quick fixes of ${input.file ?? 'the active config'}` };
    let c: Chosen;
    try {
      c = await choose(input, deps);
    } catch {
      return undefined; // invoke() says why; nothing to confirm
    }
    const p = preview(c.doc, c.fix);
    return {
      invocationMessage: `Applying "${c.fix.title}" to ${label(c.doc.uri)}`,
      confirmationMessages: {
        title: `Apply "${c.fix.title}" to ${label(c.doc.uri)}?`,
        message: new vscode.MarkdownString(
          `${c.finding.code} at line ${c.finding.range.from.line + 1}. Line ${p.line} becomes:\n\n${markdownCode(p.after.trim())}\n\n(was ${markdownCode(p.before.trim())}). One edit, undoable; the file is left unsaved.`,
        ),
      },
    };
  },
  async invoke(input, deps) {
    if (input.apply === true) {
      const c = await choose(input, deps);
      const file = label(c.doc.uri);
      if (c.doc.version !== c.snap.version) throw new Error(`${file} changed while the fix was being chosen: ask again`);
      const p = preview(c.doc, c.fix);
      const edit = new vscode.WorkspaceEdit();
      const meta = { label: `MixVarGENet: ${c.fix.title}`, needsConfirmation: false };
      for (const e of c.fix.edits) edit.replace(c.doc.uri, rangeOf(e.range), e.newText, meta);
      if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`VS Code did not apply the edit to ${file}`);
      // Where the user sees it (and can undo it): the changed line, in an editor, without taking the focus from the chat.
      const at = rangeOf(c.fix.edits[0].range).start;
      await vscode.window.showTextDocument(c.doc, { preserveFocus: true, preview: false, selection: new vscode.Range(at, at) });
      const after = await deps.manager.whenAnalyzed(c.doc, c.doc.version);
      const gone = after ? !after.findings.some((f) => f.code === c.finding.code && f.message === c.finding.message) : undefined;
      const counts = after ? `${plural(after.counts.error, 'error')}, ${plural(after.counts.warning, 'warning')}` : 'not analysed yet';
      return result(
        `Applied "${c.fix.title}" to ${file} (${c.finding.code}, line ${p.line}; unsaved, undoable with Undo). Line ${p.line} is now: ${p.after.trim()}. The file now has ${counts}${gone === undefined ? '' : gone ? `; the ${c.finding.code} finding is gone` : `; ${c.finding.code} is still reported`}.`,
      );
    }
    const { doc, snap } = await analysedConfig(input, deps.manager);
    const file = label(doc.uri);
    const found = candidates(snap, input);
    if (!found.length) return result(`No finding with a fix in ${file}${input.code ? ` for ${input.code}` : ''}${input.line !== undefined ? ` at line ${input.line}` : ''} (${plural(snap.findings.length, 'finding')} in all).`);
    const out = found.map((f) => {
      const j = findingJson(f) as { fixes: object[] };
      return { ...j, fixes: f.fixes.map((x, i) => ({ ...j.fixes[i], ...preview(doc, x) })) };
    });
    return result(
      `${file}: ${plural(found.length, 'finding')} with fixes. Nothing was changed: call mixvargenet_fix again with "apply": true and the finding's "code" and "line" (and "fix", an index, for a fix other than the preferred one) to apply one as an undoable edit. Lines are 1-based; "before"/"after" are the lines the fix changes.`,
      json(out),
    );
  },
};
