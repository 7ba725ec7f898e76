/** `mvg diff OLD.py NEW.py` / `mvg diff FILE --rev REV`: what an edit did to the network, stage by stage. */
import * as path from 'node:path';
import { diffConfigs, formatDiffText } from '../core/diff/index';
import { GitShowError, gitShowSync } from '../git/show';
import { type FlagSpec, flagSet, flagString, parseArgs } from './args';
import { readText } from './files';
import { type CliIO, EXIT_OK, InputError, UsageError } from './io';
import { ANALYSIS_FLAGS, analysisSetup } from './options';
import { coloursFor, prettyJson } from './format';
import { stripBom } from './lint';

export const DIFF_FLAGS: FlagSpec[] = [{ name: 'rev', value: true }, { name: 'json' }, ...ANALYSIS_FLAGS, { name: 'help', short: 'h' }];

export const DIFF_HELP = `Usage: mvg diff OLD.py NEW.py [--json]
       mvg diff FILE --rev REV [--json]

What an edit did to the network: the totals (params, MACs), every stage (matched by index) as same,
changed (with the MixVarGENetConfig fields that changed), added or removed with its params and MACs
deltas, and the lint findings that are new or fixed. With --rev, the old side is FILE as it is at the
git revision REV (HEAD, a branch, a tag, a commit; read with git, which must be installed) and the
new side FILE on disk.

Options:
  --rev REV         compare FILE on disk with FILE at git revision REV
  --json            {old: {file, rev, params, macs}, new: {…}, params: {old, new, delta}, macs: {…},
                     stages: [{old, new, status, params, macs, changes: [{field, old, new}]}],
                     findings: {new: […], fixed: […]}}; null where a number is unknown
  --ops FILE, --target J5|any, --no-hints, --disable CODE,...   as for 'mvg lint' (both sides)

Exit codes: 0 compared (whatever changed), 2 bad usage, an unreadable file, or a revision that does not
hold the file (not a repository, unknown revision, untracked file).
`;

export function diffCommand(args: string[], io: CliIO): number {
  const p = parseArgs(args, DIFF_FLAGS, 'diff');
  if (flagSet(p, 'help')) {
    io.stdout(DIFF_HELP);
    return EXIT_OK;
  }
  const rev = flagString(p, 'rev');
  const files = p.positionals;
  if (rev !== undefined ? files.length !== 1 : files.length !== 2)
    throw new UsageError(rev !== undefined ? `--rev compares one file with its revision: give one FILE (got ${files.length})` : `give two files, OLD and NEW, or one FILE with --rev REV (got ${files.length})`, 'diff');
  const setup = analysisSetup(p, io.cwd, 'diff');
  for (const w of setup.opsWarnings) io.stderr(`mvg: warning: ${w}\n`);
  const input = (display: string) => ({ display, abs: path.resolve(io.cwd, display) });
  let oldText: string;
  let newText: string;
  let oldSource: { file: string; rev: string | null };
  const newFile = files[files.length - 1];
  if (rev !== undefined) {
    newText = readText(input(newFile));
    try {
      oldText = gitShowSync(path.resolve(io.cwd, newFile), rev).text;
    } catch (e) {
      if (e instanceof GitShowError) throw new InputError(`cannot read ${newFile} at ${rev}: ${e.message}`);
      throw e;
    }
    oldSource = { file: newFile, rev };
  } else {
    oldText = readText(input(files[0]));
    newText = readText(input(newFile));
    oldSource = { file: files[0], rev: null };
  }
  const d = diffConfigs(stripBom(oldText), stripBom(newText), { ...setup.options, old: oldSource, new: { file: newFile, rev: null } });
  if (flagSet(p, 'json')) io.stdout(prettyJson(d) + '\n');
  else io.stdout(formatDiffText(d, coloursFor(io)));
  return EXIT_OK;
}
