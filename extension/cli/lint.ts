/** `mvg lint FILE...`: findings as compiler-style text, JSON or SARIF 2.1.0. */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyze, type Analysis, type AnalyzeOptions } from '../core/analyze';
import { RULES, RULE_BY_CODE } from '../core/rules/index';
import type { Finding, Severity } from '../core/rules/types';
import { type FlagSpec, flagSet, flagString, parseArgs } from './args';
import { collectFiles, type InputFile, readText } from './files';
import { type CliIO, EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, InputError, UsageError } from './io';
import { toLoc, type Loc } from './locate';
import { ANALYSIS_FLAGS, analysisSetup } from './options';
import { type Colours, coloursFor } from './format';
import { plural } from '../core/format';
import { VERSION, INFORMATION_URI } from './version';

export const LINT_FLAGS: FlagSpec[] = [{ name: 'format', value: true }, ...ANALYSIS_FLAGS, { name: 'help', short: 'h' }];

export const LINT_FORMATS = ['text', 'json', 'sarif'] as const;
export type LintFormat = (typeof LINT_FORMATS)[number];

/** One file's outcome. `analysis` is undefined when the file holds no MixVarGENetConfig. */
export interface FileResult {
  file: InputFile;
  text: string;
  analysis?: Analysis;
  findings: Finding[];
}

export interface JsonLocation extends Loc {
  file: string;
}

export interface JsonFinding extends JsonLocation {
  severity: Severity;
  code: string;
  /** The rule's kebab-case name. */
  rule: string;
  message: string;
  stage?: number;
  related?: (JsonLocation & { message: string })[];
  fixes?: { title: string; preferred: boolean; edits: (Loc & { newText: string })[] }[];
}

/** Does the file configure MixVarGENet at all? Files that do not are noted, not checked. */
export function hasConfig(a: Analysis): boolean {
  return a.extracted.mentionsConfig || a.extracted.backbone !== undefined;
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function lintCommand(args: string[], io: CliIO): number {
  const p = parseArgs(args, LINT_FLAGS, 'lint');
  if (flagSet(p, 'help')) {
    io.stdout(LINT_HELP);
    return EXIT_OK;
  }
  const fmt = flagString(p, 'format') ?? 'text';
  if (!(LINT_FORMATS as readonly string[]).includes(fmt)) throw new UsageError(`--format must be text, json or sarif, not '${fmt}'`, 'lint');
  const format = fmt as LintFormat;
  if (p.positionals.length === 0) throw new UsageError('no files to lint', 'lint');
  const setup = analysisSetup(p, io.cwd, 'lint');
  for (const w of setup.opsWarnings) io.stderr(`mvg: warning: ${w} (skipped)\n`);

  const collected = collectFiles(p.positionals, io.cwd);
  const problems = [...collected.problems];
  const notes: string[] = collected.emptyDirs.map((d) => `${d}: no .py files found; nothing to check`);
  const results: FileResult[] = [];
  const ruleErrors: { file: string; code: string; error: string }[] = [];
  for (const { file, text, analysis } of analyzeFiles(collected.files, setup.options, problems)) {
    for (const r of analysis.ruleErrors) ruleErrors.push({ file: file.display, ...r });
    if (!hasConfig(analysis)) {
      notes.push(`${file.display}: no MixVarGENetConfig found; nothing to check`);
      results.push({ file, text, findings: [] });
      continue;
    }
    results.push({ file, text, analysis, findings: analysis.findings });
  }

  const c = coloursFor(io);
  if (format === 'text') {
    // Nothing read at all (every path unreadable): the error lines say it all.
    if (results.length > 0 || problems.length === 0) io.stdout(formatText(results, notes, c));
  }
  else {
    for (const n of notes) io.stderr(`mvg: note: ${n}\n`);
    if (format === 'json') io.stdout(JSON.stringify(toJson(results), null, 2) + '\n');
    else io.stdout(JSON.stringify(toSarif(results, io.cwd, { problems, ruleErrors }), null, 2) + '\n');
  }
  for (const pr of problems) io.stderr(`mvg: ${pr}\n`);
  const debug = io.env.MVG_DEBUG === '1';
  for (const r of ruleErrors) {
    const msg = debug ? r.error : r.error.split('\n')[0];
    io.stderr(`mvg: internal error in rule ${r.code} while checking ${r.file}: ${msg}\n`);
  }
  if (problems.length > 0) return EXIT_USAGE;
  if (ruleErrors.length > 0) return EXIT_INTERNAL;
  return results.some((r) => r.findings.some((f) => f.severity === 'error')) ? EXIT_FINDINGS : EXIT_OK;
}

// ---------------------------------------------------------------- text

const SEVERITY_COLOUR: Record<Severity, keyof Colours> = { error: 'red', warning: 'yellow', info: 'blue', hint: 'cyan' };

/** Each readable file analysed, in order (one at a time); an unreadable one adds its message to `problems`. */
export function* analyzeFiles(files: readonly InputFile[], options: AnalyzeOptions, problems: string[]): Generator<{ file: InputFile; text: string; analysis: Analysis }> {
  for (const file of files) {
    let text: string;
    try {
      text = stripBom(readText(file));
    } catch (e) {
      if (e instanceof InputError) {
        problems.push(e.message);
        continue;
      }
      throw e;
    }
    yield { file, text, analysis: analyze(text, options) };
  }
}

export function countSeverities(findings: Finding[]): Record<Severity, number> {
  const n: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const f of findings) n[f.severity]++;
  return n;
}

/** "2 errors, 1 warning, 0 hints" (infos only when there are any). */
export function summarize(findings: Finding[]): string {
  return summarizeCounts(countSeverities(findings));
}

export function summarizeCounts(n: Record<Severity, number>): string {
  const parts = [plural(n.error, 'error'), plural(n.warning, 'warning')];
  if (n.info > 0) parts.push(plural(n.info, 'info', 'infos'));
  parts.push(plural(n.hint, 'hint'));
  return parts.join(', ');
}

export function formatText(results: FileResult[], notes: string[], c: Colours): string {
  const out: string[] = [];
  for (const r of results) {
    const a = r.analysis;
    if (!a) continue;
    for (const f of r.findings) {
      const l = toLoc(a.lines, f.range);
      const sev = c.bold(c[SEVERITY_COLOUR[f.severity]](f.severity));
      out.push(`${c.bold(`${r.file.display}:${l.line}:${l.column}:`)} ${sev} ${c.dim(f.code)} ${f.message}`);
      out.push(...snippet(a, f, c));
      for (const rel of f.related ?? []) {
        const rl = toLoc(a.lines, rel.range);
        out.push(`    ${r.file.display}:${rl.line}:${rl.column}: ${c.dim('note:')} ${rel.message}`);
      }
      const fix = f.fixes?.find((x) => x.preferred) ?? f.fixes?.[0];
      if (fix) out.push(`    ${c.green('fix:')} ${fix.title}`);
    }
  }
  for (const n of notes) out.push(`${c.dim('note:')} ${n}`);
  const all = results.flatMap((r) => r.findings);
  out.push(`${summarize(all)} in ${plural(results.length, 'file')}`);
  return out.join('\n') + '\n';
}

/** The offending source line with a caret under the range (long lines are cut around it). */
function snippet(a: Analysis, f: Finding, c: Colours): string[] {
  const s = a.lines.positionAt(f.range.start);
  const e = a.lines.positionAt(f.range.end);
  const lineStart = a.lines.lineStart(s.line);
  const nextStart = s.line + 1 < a.lines.lineCount ? a.lines.lineStart(s.line + 1) : a.text.length;
  let src = a.text.slice(lineStart, nextStart).replace(/[\r\n]+$/, '').replace(/\t/g, ' ');
  if (src.trim() === '') return [];
  let col = s.character;
  let width = Math.max(1, (e.line === s.line ? e.character : src.length) - s.character);
  const MAX = 100;
  if (src.length > MAX) {
    const from = Math.max(0, Math.min(col - 30, src.length - MAX));
    const piece = src.slice(from, from + MAX);
    src = (from > 0 ? '…' : '') + piece + (from + MAX < src.length ? '…' : '');
    col = col - from + (from > 0 ? 1 : 0);
    width = Math.min(width, MAX - (col - (from > 0 ? 1 : 0)));
  }
  const num = String(s.line + 1);
  const gutter = ' '.repeat(num.length);
  return [`  ${c.dim(`${num} |`)} ${src}`, `  ${c.dim(`${gutter} |`)} ${' '.repeat(col)}${c[SEVERITY_COLOUR[f.severity]]('^' + '~'.repeat(Math.max(0, width - 1)))}`];
}

// ---------------------------------------------------------------- JSON

export function toJson(results: FileResult[]): JsonFinding[] {
  const out: JsonFinding[] = [];
  for (const r of results) {
    const a = r.analysis;
    if (!a) continue;
    for (const f of r.findings) {
      const j: JsonFinding = {
        file: r.file.display,
        ...toLoc(a.lines, f.range),
        severity: f.severity,
        code: f.code,
        rule: RULE_BY_CODE.get(f.code)?.name ?? f.code,
        message: f.message,
      };
      if (f.stage !== undefined) j.stage = f.stage;
      if (f.related?.length) j.related = f.related.map((rel) => ({ file: r.file.display, ...toLoc(a.lines, rel.range), message: rel.message }));
      if (f.fixes?.length)
        j.fixes = f.fixes.map((fx) => ({
          title: fx.title,
          preferred: !!fx.preferred,
          edits: fx.edits.map((ed) => ({ ...toLoc(a.lines, ed.range), newText: ed.newText })),
        }));
      out.push(j);
    }
  }
  return out;
}

// ---------------------------------------------------------------- SARIF

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** Markdown to plain text, enough for SARIF's mandatory `text` forms. */
export function plainText(md: string): string {
  return md
    .replace(/```[a-z]*\n?/g, '')
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]+\)/g, '$1')
    .trim();
}

/** A SARIF artifact URI: relative to the working directory (uriBaseId %SRCROOT%) when under it. */
export function artifactLocation(abs: string, cwd: string): { uri: string; uriBaseId?: string } {
  const rel = path.relative(cwd, abs);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) {
    return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  }
  return { uri: pathToFileURL(abs).href };
}

function region(l: Loc) {
  return { startLine: l.line, startColumn: l.column, endLine: l.endLine, endColumn: l.endColumn };
}

export function toSarif(
  results: FileResult[],
  cwd: string,
  extra: { problems?: string[]; ruleErrors?: { file: string; code: string; error: string }[] } = {},
): object {
  const ruleIndex = new Map(RULES.map((r, i) => [r.code, i]));
  const sarifResults: object[] = [];
  for (const r of results) {
    const a = r.analysis;
    if (!a) continue;
    const artifact = artifactLocation(r.file.abs, cwd);
    for (const f of r.findings) {
      const res: Record<string, unknown> = {
        ruleId: f.code,
        level: SARIF_LEVEL[f.severity],
        message: { text: f.message },
        locations: [{ physicalLocation: { artifactLocation: artifact, region: region(toLoc(a.lines, f.range)) } }],
      };
      const idx = ruleIndex.get(f.code);
      if (idx !== undefined) res.ruleIndex = idx;
      if (f.related?.length)
        res.relatedLocations = f.related.map((rel, i) => ({
          id: i + 1,
          message: { text: rel.message },
          physicalLocation: { artifactLocation: artifact, region: region(toLoc(a.lines, rel.range)) },
        }));
      if (f.fixes?.length)
        res.fixes = f.fixes.map((fx) => ({
          description: { text: fx.title },
          artifactChanges: [
            {
              artifactLocation: artifact,
              replacements: fx.edits.map((ed) => ({ deletedRegion: region(toLoc(a.lines, ed.range)), insertedContent: { text: ed.newText } })),
            },
          ],
        }));
      if (f.stage !== undefined) res.properties = { stage: f.stage };
      sarifResults.push(res);
    }
  }
  const notifications = [
    ...(extra.problems ?? []).map((p) => ({ level: 'error', message: { text: p } })),
    ...(extra.ruleErrors ?? []).map((e) => ({
      level: 'error',
      message: { text: `rule ${e.code} failed on ${e.file}: ${e.error.split('\n')[0]}` },
      associatedRule: { id: e.code },
    })),
  ];
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: 'mvg',
            fullName: 'MixVarGENet Studio config linter',
            version: VERSION,
            semanticVersion: VERSION,
            ...(INFORMATION_URI ? { informationUri: INFORMATION_URI } : {}),
            rules: RULES.map((rule) => ({
              id: rule.code,
              name: rule.name,
              shortDescription: { text: rule.title },
              fullDescription: { text: plainText(rule.doc), markdown: rule.doc },
              help: { text: plainText(rule.doc), markdown: rule.doc },
              defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
              properties: { category: rule.category, severity: rule.severity },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(cwd.endsWith(path.sep) ? cwd : cwd + path.sep).href } },
        invocations: [{ executionSuccessful: notifications.length === 0, toolExecutionNotifications: notifications }],
        columnKind: 'utf16CodeUnits',
        results: sarifResults,
      },
    ],
  };
}

export const LINT_HELP = `Usage: mvg lint FILE|DIR... [options]

Check MixVarGENet configs for what crashes HAT (errors), silently changes the
network (warnings) and misses the J5 design guidance (hints). Directories are
searched recursively for *.py files.

Options:
  --format text|json|sarif  output format (default text)
  --ops FILE                extra op table (JSON shaped like schemas/ops.json)
  --target J5|any           target when the file sets no march (default J5)
  --no-hints                leave out the J5 design hints
  --disable CODE,...        skip rules, by code or name (repeatable)
  -h, --help                show this help

Exit codes: 0 no errors (warnings and hints allowed), 1 errors found,
2 bad usage or unreadable input, 3 internal error.
`;
