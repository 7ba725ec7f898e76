/**
 * A ConfigDiff as words: the plain-text report (`mvg diff`, and anything that wants the diff as text)
 * and the one-line summaries the editor shows. Numbers: core/format.ts; the table: core/textTable.ts.
 */
import { compact, fmtDelta, plural, thousands } from '../format';
import { type Colours, NO_COLOURS, table } from '../textTable';
import type { ConfigDiff, DiffFinding, FieldValue, NumberDelta, StageDiff } from './diff';

/** A field's value as written in Python: 32, "mixvarge_f2", ["a", "b"], [8, 16], ["a"] * 6 (one op repeated); unknown → "?". */
export function fieldText(v: FieldValue): string {
  if (v === null) return '?';
  if (Array.isArray(v)) {
    if (v.length > 2 && v.every((x) => x === v[0])) return `[${fieldText(v[0])}] * ${v.length}`;
    return `[${v.map(fieldText).join(', ')}]`;
  }
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** "in_channels 32 → 48". */
export function changeText(c: { field: string; old: FieldValue; new: FieldValue }): string {
  return `${c.field} ${fieldText(c.old)} → ${fieldText(c.new)}`;
}

/** A count's change in colour: + green, − red, unchanged or unknown plain. */
function paintDelta(d: number | null, c: Colours, fmt: (n: number | null) => string = fmtDelta): string {
  const s = fmt(d);
  return d === null || d === 0 ? s : d > 0 ? c.green(s) : c.red(s);
}

/** The editor's words for a stage's change: "+120K params · +35M MACs" (null: nothing changed in its cost). */
export function costDeltaText(params: NumberDelta, macs: NumberDelta): string {
  return `${fmtDelta(params.delta)} params · ${fmtDelta(macs.delta)} MACs`;
}

/** "HEAD:configs/m.py", "configs/m.py", or what the side is called when it has no file. */
export function sideName(s: { file: string | null; rev: string | null }, fallback: string): string {
  if (s.rev !== null) return `${s.rev}:${s.file ?? fallback}`;
  return s.file ?? fallback;
}

/**
 * One sentence for a notification or a status-bar tooltip: "vs HEAD: +120K params (+5.2%) · +35M MACs (+3.4%) ·
 * 2 stages changed, 1 added · 1 new finding".
 */
export function diffSummary(d: ConfigDiff): string {
  const pctOf = (n: NumberDelta) => (n.delta === null || !n.old ? '' : ` (${n.delta >= 0 ? '+' : '−'}${Math.abs((100 * n.delta) / n.old).toFixed(1)}%)`);
  const parts = [`${fmtDelta(d.params.delta)} params${pctOf(d.params)}`, `${fmtDelta(d.macs.delta)} MACs${pctOf(d.macs)}`];
  const count = (st: StageDiff['status']) => d.stages.filter((s) => s.status === st).length;
  const stageParts = [
    count('changed') ? `${plural(count('changed'), 'stage')} changed` : '',
    count('added') ? `${count('added')} added` : '',
    count('removed') ? `${count('removed')} removed` : '',
  ].filter(Boolean);
  parts.push(stageParts.length ? stageParts.join(', ') : 'no stage changed');
  if (d.findings.new.length) parts.push(plural(d.findings.new.length, 'new finding'));
  if (d.findings.fixed.length) parts.push(`${d.findings.fixed.length} fixed`);
  return parts.join(' · ');
}

function findingLine(f: DiffFinding): string {
  return `${f.code} ${f.severity} line ${f.line}: ${f.message}`;
}

function total(label: string, n: NumberDelta, c: Colours): string {
  return `${label}: ${thousands(n.old)} → ${thousands(n.new)} (${paintDelta(n.delta, c)})`;
}

/** The plain-text report: the two sides, the totals, a per-stage table and the findings that came and went. */
export function formatDiffText(d: ConfigDiff, c: Colours = NO_COLOURS): string {
  const out: string[] = [];
  out.push(`${c.bold('old')}: ${sideName(d.old, 'old')}`);
  out.push(`${c.bold('new')}: ${sideName(d.new, 'new')}`);
  out.push(total('params', d.params, c));
  out.push(total('MACs', d.macs, c));
  out.push('');
  const stageLabel = (s: StageDiff) => (s.old === s.new || s.new === null ? String(s.old) : s.old === null ? String(s.new) : `${s.old}→${s.new}`);
  const status = (s: StageDiff) => (s.status === 'added' ? c.green('+ added') : s.status === 'removed' ? c.red('− removed') : s.status === 'changed' ? c.yellow('~ changed') : c.dim('  same'));
  // A side the stage is not on shows –; a number unknown on a side it is on shows ?.
  const side = (n: number | null, absent: boolean) => (absent ? '–' : compact(n));
  const rows = d.stages.map((s) => [
    stageLabel(s),
    status(s),
    side(s.params.old, s.status === 'added'),
    side(s.params.new, s.status === 'removed'),
    paintDelta(s.params.delta, c),
    side(s.macs.old, s.status === 'added'),
    side(s.macs.new, s.status === 'removed'),
    paintDelta(s.macs.delta, c),
    s.changes.map(changeText).join('; '),
  ]);
  if (rows.length === 0) out.push('(no stages on either side)');
  else
    out.push(
      table(
        [
          { header: 'stage' },
          { header: 'status' },
          { header: 'params old', align: 'right' },
          { header: 'new', align: 'right' },
          { header: 'Δ', align: 'right' },
          { header: 'MACs old', align: 'right' },
          { header: 'new', align: 'right' },
          { header: 'Δ', align: 'right' },
          { header: 'changes' },
        ],
        rows,
        c,
      ).trimEnd(),
    );
  out.push('');
  if (d.findings.new.length === 0 && d.findings.fixed.length === 0) out.push('findings: none new, none fixed');
  else {
    out.push(`findings: ${d.findings.new.length} new, ${d.findings.fixed.length} fixed`);
    for (const f of d.findings.new) out.push(`  ${c.red('+')} ${findingLine(f)}`);
    for (const f of d.findings.fixed) out.push(`  ${c.green('−')} ${findingLine(f)}`);
  }
  return out.join('\n') + '\n';
}
