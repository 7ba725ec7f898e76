/** `mvg results FILE`: the HAT results the editor stored for a config (or every config of a results.json). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatHistoryTable, formatSummary, latestResults, type RunRecord, runsFor, configKey, STORE_DIR, STORE_FILE } from '../core/hat';
import { findStoreRoot, loadStoreSync, storePathFor } from '../core/hat/store';
import { type FlagSpec, flagSet, flagString, parseArgs } from './args';
import { type CliIO, EXIT_OK, InputError, UsageError } from './io';

export const RESULTS_FLAGS: FlagSpec[] = [{ name: 'json' }, { name: 'store', value: true }, { name: 'help', short: 'h' }];

export const RESULTS_HELP = `Usage: mvg results FILE [--json] [--store RESULTS.json]

Prints the HAT results that "MixVarGENet: Run Calibration" and the other HAT tasks stored for a config:
the latest float / calibration / int accuracy and compile_perf / board FPS, then every run (time, stage,
status, key numbers). FILE is a config .py (its results are looked up in ${STORE_DIR}/${STORE_FILE} of the
nearest folder above it that has one) or a ${STORE_FILE} itself (every config in it).

Options:
  --store FILE  the results file to read (default: found from FILE)
  --json        {file, configs: [{config, latest, runs}]}

Exit codes: 0 read (also when nothing is recorded), 2 bad usage, a missing file or an unreadable results file.
`;

interface ConfigOut {
  config: string;
  summary: string;
  latest: ReturnType<typeof latestResults>;
  runs: RunRecord[];
}

export function resultsCommand(args: string[], io: CliIO): number {
  const p = parseArgs(args, RESULTS_FLAGS, 'results');
  if (flagSet(p, 'help')) {
    io.stdout(RESULTS_HELP);
    return EXIT_OK;
  }
  if (p.positionals.length !== 1) throw new UsageError(p.positionals.length ? 'give one file' : 'no file given', 'results');
  const target = path.resolve(io.cwd, p.positionals[0]);
  if (!fs.existsSync(target)) throw new InputError(`cannot read ${p.positionals[0]}: no such file`);
  const storeArg = flagString(p, 'store');
  const isStore = /\.json$/i.test(target) && !storeArg;
  let storeFile: string | undefined;
  let key: string | undefined;
  if (isStore) storeFile = target;
  else if (storeArg) {
    storeFile = path.resolve(io.cwd, storeArg);
    const root = path.dirname(path.dirname(storeFile));
    key = configKey(path.relative(root, target));
  } else {
    const root = findStoreRoot(path.dirname(target));
    if (root) {
      storeFile = storePathFor(root);
      key = configKey(path.relative(root, target));
    }
  }
  const now = new Date();
  const json = flagSet(p, 'json');
  if (!storeFile) {
    if (json) io.stdout(JSON.stringify({ file: null, configs: [] }, null, 2) + '\n');
    else io.stdout(`${p.positionals[0]}: no HAT results recorded (no ${STORE_DIR}/${STORE_FILE} in any folder above it)\n`);
    return EXIT_OK;
  }
  if (!fs.existsSync(storeFile)) throw new InputError(`cannot read ${storeFile}: no such file`);
  const loaded = loadStoreSync(storeFile);
  if (loaded.error) throw new InputError(loaded.error);
  const keys = key !== undefined ? [key] : Object.keys(loaded.store.configs).sort();
  const out: ConfigOut[] = keys.map((k) => {
    const runs = runsFor(loaded.store, k);
    const latest = latestResults(runs);
    return { config: k, summary: formatSummary(latest, now), latest, runs };
  });
  if (json) {
    io.stdout(JSON.stringify({ file: storeFile, configs: out }, null, 2) + '\n');
    return EXIT_OK;
  }
  io.stdout(`${path.relative(io.cwd, storeFile) || storeFile}${loaded.dropped ? ` (${loaded.dropped} malformed run(s) skipped)` : ''}\n`);
  if (!out.length) io.stdout('  no configs recorded\n');
  for (const c of out) {
    if (!c.runs.length) {
      io.stdout(`${c.config}: no HAT results recorded\n`);
      continue;
    }
    io.stdout(`${c.config}: ${c.summary}\n`);
    io.stdout(formatHistoryTable(c.runs, now));
  }
  return EXIT_OK;
}

