/** `mixvargenet_lint`: the findings of a config — code, severity, range, message, related places and fixes. */
import type { SnapshotFinding } from '../../core/ide/snapshot';
import { plural } from '../../core/format';
import { type AgentTool, analysedConfig, type FileInput, json, label, lineCol, result } from './shared';

export interface LintInput extends FileInput {
  /** Only findings of this code (e.g. MVG002) or rule name. */
  code?: string;
}

/** A finding as the model gets it: 1-based lines and columns, every fix with its edits. */
export function findingJson(f: SnapshotFinding): unknown {
  return {
    code: f.code,
    rule: f.rule,
    severity: f.severity,
    ...lineCol(f.range),
    message: f.message,
    ...(f.stage !== undefined ? { stage: f.stage } : {}),
    related: f.related.map((r) => ({ ...lineCol(r.range), message: r.message })),
    fixes: f.fixes.map((x, i) => ({ index: i, title: x.title, preferred: x.preferred, edits: x.edits.map((e) => ({ ...lineCol(e.range), newText: e.newText })) })),
  };
}

export function matchesCode(f: SnapshotFinding, code: string | undefined): boolean {
  if (!code) return true;
  const c = code.trim().toUpperCase();
  return f.code.toUpperCase() === c || f.rule.toUpperCase() === c;
}

export const lintTool: AgentTool<LintInput> = {
  name: 'mixvargenet_lint',
  async prepare(input) {
    return { invocationMessage: `Linting ${input.file ?? 'the active config'}` };
  },
  async invoke(input, { manager }) {
    const { doc, snap } = await analysedConfig(input, manager);
    const file = label(doc.uri);
    const found = snap.findings.filter((f) => matchesCode(f, input.code));
    const c = snap.counts;
    const counts = `${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${c.info} info, ${plural(c.hint, 'hint')}`;
    const head = input.code ? `${file}: ${plural(found.length, `${input.code.trim()} finding`)} (all findings: ${counts}).` : `${file}: ${counts}.`;
    if (!found.length) return result(`${head} Nothing to report${input.code ? ` for ${input.code.trim()}` : ''}.`);
    return result(
      `${head} Errors crash HAT, warnings build a different network than the config seems to say, hints are J5 design guidance. Lines and columns are 1-based; "fixes" are the edits a quick fix makes (mixvargenet_fix applies one).`,
      json(found.map(findingJson)),
    );
  },
};
