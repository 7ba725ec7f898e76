/** `mvg rules [CODE]`: the rule list, one rule's documentation, or the docs/rules/ Markdown pages (core/rules/docs.ts). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES, ruleByName } from '../core/rules/index';
import type { Rule } from '../core/rules/types';
import { categoryText, ruleMarkdown, rulesIndexMarkdown } from '../core/rules/docs';
import { nearest } from '../core/rules/support/spelling';
import { type FlagSpec, flagSet, flagString, parseArgs } from './args';
import { reason } from './files';
import { type CliIO, EXIT_OK, InputError, UsageError } from './io';
import { type Colours, coloursFor, table } from './format';

export const RULES_FLAGS: FlagSpec[] = [{ name: 'json' }, { name: 'markdown', value: true }, { name: 'help', short: 'h' }];

function findRule(codeOrName: string): Rule {
  const rule = ruleByName(codeOrName);
  if (rule) return rule;
  const guess = nearest(codeOrName, RULES.flatMap((r) => [r.code, r.name]));
  throw new InputError(`no rule '${codeOrName}'${guess ? ` (did you mean '${guess}'?)` : ''}; 'mvg rules' lists them`);
}

function ruleJson(r: Rule) {
  return { code: r.code, name: r.name, severity: r.severity, category: r.category, title: r.title, doc: r.doc };
}

export function formatRuleList(c: Colours): string {
  return table(
    [{ header: 'code' }, { header: 'severity' }, { header: 'name' }, { header: 'title' }],
    RULES.map((r) => [r.code, r.severity, r.name, r.title]),
    c,
  );
}

export function formatRuleDoc(r: Rule, c: Colours): string {
  return `${c.bold(`${r.code} ${r.name}`)} (${r.severity}; ${r.category}: ${categoryText(r.category)})\n${c.bold(r.title)}\n\n${r.doc.trim()}\n`;
}

/** Write docs/rules/<CODE>.md per rule and README.md; returns the files written. */
export function writeRuleDocs(dir: string): string[] {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new InputError(`cannot create ${dir}: ${reason(e)}`);
  }
  const written: string[] = [];
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    try {
      fs.writeFileSync(file, text);
    } catch (e) {
      throw new InputError(`cannot write ${file}: ${reason(e)}`);
    }
    written.push(file);
  };
  for (const r of RULES) write(`${r.code}.md`, ruleMarkdown(r, { file: true }));
  write('README.md', rulesIndexMarkdown(RULES));
  return written;
}

export function rulesCommand(args: string[], io: CliIO): number {
  const p = parseArgs(args, RULES_FLAGS, 'rules');
  if (flagSet(p, 'help')) {
    io.stdout(RULES_HELP);
    return EXIT_OK;
  }
  if (p.positionals.length > 1) throw new UsageError(`rules takes at most one rule code, got ${p.positionals.length}`, 'rules');
  const md = flagString(p, 'markdown');
  const c = coloursFor(io);
  if (md !== undefined) {
    if (p.positionals.length || flagSet(p, 'json')) throw new UsageError('--markdown DIR writes every rule; it takes no rule code and no --json', 'rules');
    const dir = path.resolve(io.cwd, md);
    const written = writeRuleDocs(dir);
    io.stdout(`wrote ${written.length} files to ${md}\n`);
    return EXIT_OK;
  }
  if (p.positionals.length === 1) {
    const rule = findRule(p.positionals[0]);
    io.stdout(flagSet(p, 'json') ? JSON.stringify(ruleJson(rule), null, 2) + '\n' : formatRuleDoc(rule, c));
    return EXIT_OK;
  }
  io.stdout(flagSet(p, 'json') ? JSON.stringify(RULES.map(ruleJson), null, 2) + '\n' : formatRuleList(c));
  return EXIT_OK;
}

export const RULES_HELP = `Usage: mvg rules [CODE|NAME] [options]

List the lint rules, or print one rule's documentation.

Options:
  --json           print JSON ([{code, name, severity, category, title, doc}])
  --markdown DIR   write DIR/<CODE>.md per rule and DIR/README.md (the index)
  -h, --help       show this help
`;
