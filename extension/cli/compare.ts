/** `mvg compare PATH...`: every config side by side — the rows of the editor's compare view, for CI and reports. */
import * as path from 'node:path';
import { toSnapshot } from '../core/ide/snapshot';
import { cellText, COLUMNS, compareRow, type CompareRow, rowInputs } from '../core/compare';
import { configKey, latestResults, runsFor, type LatestResults, type ResultsStore } from '../core/hat';
import { findStoreRoot, loadStoreSync, storePathFor } from '../core/hat/store';
import { type FlagSpec, flagSet, parseArgs } from './args';
import { collectFiles } from './files';
import { type CliIO, EXIT_OK, EXIT_USAGE, UsageError } from './io';
import { ANALYSIS_FLAGS, analysisSetup } from './options';
import { coloursFor, table } from './format';
import { analyzeFiles, hasConfig } from './lint';

export const COMPARE_FLAGS: FlagSpec[] = [{ name: 'json' }, ...ANALYSIS_FLAGS, { name: 'help', short: 'h' }];

export const COMPARE_HELP = `Usage: mvg compare FILE|DIR... [--json] [--ops OPS.json] [--target J5|any]

Every config side by side, one row each: params, MACs, activation bytes, the latest float / calibration /
int accuracy (%) and J5 FPS and latency (compile_perf or an imported board run, whichever is later) from
the HAT results store (.mixvargenet/results.json of the nearest folder above each config), and the
findings count. Directories are searched recursively for *.py; files without MixVarGENetConfig are
skipped with a note. Unknown numbers are empty (text) or null (JSON); latencyMs (CPU latency measured
in the editor) is null here: the CLI does not read the editor's measurement cache.

Options:
  --json   [{file, params, macs, activationBytes, latencyMs, accuracy: {float, calibration,
           int_infer}, fps, j5LatencyMs, perfSource, findings: {errors, warnings, hints}}]

Exit codes: 0 compared (also with lint errors in a config), 2 bad usage or an unreadable path.
`;

/** The latest results of a config: its store is found once per folder and read once. */
function resultsLookup(): (abs: string) => { latest: LatestResults | null; problem?: string } {
  const stores = new Map<string, { store: ResultsStore; error?: string } | null>();
  const roots = new Map<string, string | undefined>();
  return (abs) => {
    const dir = path.dirname(abs);
    if (!roots.has(dir)) roots.set(dir, findStoreRoot(dir));
    const root = roots.get(dir);
    if (!root) return { latest: null };
    if (!stores.has(root)) {
      const l = loadStoreSync(storePathFor(root));
      stores.set(root, { store: l.store, error: l.error });
    }
    const st = stores.get(root)!;
    const latest = latestResults(runsFor(st.store, configKey(path.relative(root, abs))));
    return { latest, problem: st.error };
  };
}

export function compareCommand(args: string[], io: CliIO): number {
  const p = parseArgs(args, COMPARE_FLAGS, 'compare');
  if (flagSet(p, 'help')) {
    io.stdout(COMPARE_HELP);
    return EXIT_OK;
  }
  if (p.positionals.length === 0) throw new UsageError('no configs to compare', 'compare');
  const setup = analysisSetup(p, io.cwd, 'compare');
  for (const w of setup.opsWarnings) io.stderr(`mvg: warning: ${w} (skipped)\n`);
  const collected = collectFiles(p.positionals, io.cwd);
  const problems = [...collected.problems];
  const notes = collected.emptyDirs.map((d) => `${d}: no .py files found`);
  const results = resultsLookup();
  const storeProblems = new Set<string>();
  const rows: CompareRow[] = [];
  for (const { file, analysis } of analyzeFiles(collected.files, setup.options, problems)) {
    if (!hasConfig(analysis)) {
      notes.push(`${file.display}: no MixVarGENetConfig found; skipped`);
      continue;
    }
    const inputs = rowInputs(toSnapshot(analysis, { uri: file.display, version: 0 }));
    const r = results(file.abs);
    if (r.problem) storeProblems.add(r.problem);
    rows.push(compareRow(file.display, inputs, r.latest, null));
  }
  for (const n of notes) io.stderr(`mvg: note: ${n}\n`);
  for (const s of storeProblems) io.stderr(`mvg: warning: ${s} (its results are not shown)\n`);
  if (flagSet(p, 'json')) io.stdout(JSON.stringify(rows, null, 2) + '\n');
  else if (rows.length) {
    const c = coloursFor(io);
    io.stdout(
      table(
        [{ header: 'config' }, ...COLUMNS.map((col) => ({ header: col.label, align: 'right' as const }))],
        rows.map((r) => [r.file, ...COLUMNS.map((col) => cellText(col, r))]),
        c,
      ),
    );
  } else if (!problems.length) io.stdout('no configs found\n');
  for (const pr of problems) io.stderr(`mvg: ${pr}\n`);
  return problems.length ? EXIT_USAGE : EXIT_OK;
}
