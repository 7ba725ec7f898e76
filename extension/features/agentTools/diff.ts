/**
 * `mixvargenet_diff`: what an edit did to the network — the config (as in its editor, unsaved edits included) against
 * a git revision of the same file (default HEAD: "what did I change?") or against another config. The same diff as
 * "MixVarGENet: Compare with HEAD" and `mvg diff`: totals, stages matched by index (same / changed with the fields /
 * added / removed) with params and MACs on both sides, the findings new and fixed.
 */
import * as vscode from 'vscode';
import { diffAnalyses, diffSummary, formatDiffText } from '../../core/diff';
import { GitShowError } from '../../git/show';
import { readAtRevision } from '../diff/revision';
import { type AgentTool, analysed, analysedConfig, configDocument, type FileInput, json, label, optionalString, result } from './shared';

export interface DiffInput extends FileInput {
  /** A git revision of the same file: HEAD (default), HEAD~2, a branch, a tag, a commit. */
  rev?: string;
  /** Instead of a revision: another config, the old side. */
  against?: string;
}

/** In Restricted Mode git does not run: a revision cannot be read, another config of the workspace can. */
export const UNTRUSTED_REV =
  'not trusted: comparing with a git revision runs git, which runs only in a trusted workspace; give "against" (another config of the workspace) instead, or trust the workspace (Manage Workspace Trust)';

export const diffTool: AgentTool<DiffInput> = {
  name: 'mixvargenet_diff',
  async prepare(input) {
    const base = typeof input.against === 'string' && input.against ? input.against : typeof input.rev === 'string' && input.rev ? input.rev : 'HEAD';
    return { invocationMessage: `Comparing ${input.file ?? 'the active config'} with ${base}` };
  },
  async invoke(input, { manager }, token) {
    const rev = optionalString(input, 'rev');
    const against = optionalString(input, 'against');
    if (rev && against) throw new Error('give either "rev" (a git revision of the same file) or "against" (another config), not both');
    const { doc, snap } = await analysedConfig(input, manager);
    const file = label(doc.uri);
    let oldText: string;
    let old: { file: string; rev: string | null; label: string };
    if (against) {
      const other = await configDocument({ file: against }, manager);
      if (other.uri.toString() === doc.uri.toString()) throw new Error(`"against" names ${file} itself: give another config, or "rev" for an earlier version of it`);
      const otherFile = label(other.uri);
      // The other config's own analysis reports its problems (a stopped analysis, no stages) in its name.
      await analysed(other, manager);
      oldText = other.getText();
      old = { file: otherFile, rev: null, label: otherFile };
    } else {
      const r = rev ?? 'HEAD';
      if (!vscode.workspace.isTrusted) throw new Error(UNTRUSTED_REV);
      try {
        oldText = (await readAtRevision(doc.uri, r)).text;
      } catch (e) {
        throw new Error(e instanceof GitShowError ? `cannot compare ${file} with ${r}: ${e.message}` : `git could not read ${file} at ${r}: ${e instanceof Error ? e.message : String(e)}`);
      }
      old = { file, rev: r, label: r };
    }
    if (token.isCancellationRequested) throw new Error('cancelled');
    const oldSnap = await manager.analyzeText(`mixvargenet-agent-base:${doc.uri.toString()}#${old.label}`, oldText, doc.uri);
    const d = diffAnalyses(oldSnap, snap, { old: { file: old.file, rev: old.rev }, new: { file, rev: null } });
    const unsaved = doc.isDirty ? ' (the new side is the editor\'s text, with its unsaved edits)' : '';
    return result(
      `${file} vs ${old.label}: ${diffSummary(d)}.${unsaved} Stages are matched by index; params and MACs are exact counts per image (null: unknown).`,
      formatDiffText(d),
      `The diff as JSON:\n${json(d)}`,
    );
  },
};
