/**
 * Reading and writing the results store file: atomic (write a temporary file next to it, flush, rename), serialised
 * per file within a process and across processes (two windows on one folder, the CLI: a lock file beside the store,
 * see withFileLock), and never losing a file it cannot read (a corrupt store is moved aside, named in the
 * message, before a fresh one is written; a store from a newer version is not written at all). The store is read
 * only as a regular file of bounded size (guardedRead): a committed symlink to /dev/zero is refused, not read.
 * Node's fs only (used by the extension and the CLI); no vscode.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type GuardedRead, readRegularFile, readRegularFileSync } from '../guardedRead';
import { type ActiveJob, addJob, addRun, configKey, emptyStore, latestResults, parseStore, type LatestResults, removeJob, type ResultsStore, type RunRecord, runsFor, serializeStore, STORE_DIR, STORE_FILE } from './results';

export interface LoadResult {
  store: ResultsStore;
  /** Set when the file exists but cannot be used; the store is then empty. */
  error?: string;
  /** The file is from a newer version: do not write over it. */
  readOnly?: boolean;
  /** Runs dropped because they were malformed. */
  dropped?: number;
  exists: boolean;
}

export function storePathFor(root: string): string {
  return path.join(root, STORE_DIR, STORE_FILE);
}

export async function loadStore(file: string): Promise<LoadResult> {
  return fromRead(file, await readRegularFile(file));
}

/** The same, synchronously: for the CLI (never the extension host's thread). */
export function loadStoreSync(file: string): LoadResult {
  return fromRead(file, readRegularFileSync(file));
}

function fromRead(file: string, r: GuardedRead): LoadResult {
  if (r.ok) return fromText(file, r.text);
  if (r.missing) return { store: emptyStore(), exists: false };
  return { store: emptyStore(), exists: true, error: `cannot read ${file}: ${r.reason}`, readOnly: true };
}

function fromText(file: string, text: string): LoadResult {
  const p = parseStore(text);
  if (p.ok) return { store: p.store, exists: true, dropped: p.dropped };
  return { store: emptyStore(), exists: true, error: `${file}: ${p.error}`, readOnly: !!p.newer };
}

/** Write atomically: a temporary file in the same folder, flushed, then renamed over the target. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`);
  let fh: fs.promises.FileHandle | undefined;
  try {
    fh = await fs.promises.open(tmp, 'wx');
    await fh.writeFile(text, 'utf8');
    await fh.sync();
    await fh.close();
    fh = undefined;
    await fs.promises.rename(tmp, file);
  } catch (e) {
    await fh?.close().catch(() => undefined);
    await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}

const queues = new Map<string, Promise<unknown>>();

/** Run `fn` after every earlier update of the same file in this process has finished. */
function serial<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const key = path.resolve(file);
  const prev = queues.get(key) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  const settled = next.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return next;
}

/** How long an update waits for another process's lock before it gives up, and when a lock counts as abandoned. */
export const LOCK_WAIT_MS = 15_000;
export const LOCK_STALE_MS = 30_000;

interface LockInfo {
  pid: number;
  host: string;
  time: number;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock left by a process that is gone (same host), or older than LOCK_STALE_MS (a crash elsewhere). */
async function isStale(lock: string): Promise<boolean> {
  try {
    const st = await fs.promises.lstat(lock);
    if (Date.now() - st.mtimeMs > LOCK_STALE_MS) return true;
    const r = await readRegularFile(lock, 4096);
    if (!r.ok) return false;
    const info = JSON.parse(r.text) as Partial<LockInfo>;
    return info.host === os.hostname() && typeof info.pid === 'number' && info.pid !== process.pid && !processAlive(info.pid);
  } catch {
    return false;
  }
}

/**
 * Run `fn` holding `<file>.lock` (created with O_EXCL: one holder at a time across processes on this file
 * system). Waits with backoff up to LOCK_WAIT_MS; an abandoned lock is taken over. Rejects when the wait ends.
 */
export async function withFileLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const lock = `${file}.lock`;
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const info: LockInfo = { pid: process.pid, host: os.hostname(), time: Date.now() };
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      const fh = await fs.promises.open(lock, 'wx');
      await fh.writeFile(JSON.stringify(info));
      await fh.close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (await isStale(lock)) {
        await fs.promises.rm(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`${path.basename(file)} is locked by another process (${lock}); try again, or delete the lock file if no MixVarGENet window or mvg is running`);
      await new Promise((r) => setTimeout(r, Math.min(100, 2 + attempt * 3) * (0.5 + Math.random())));
    }
  }
  try {
    return await fn();
  } finally {
    await fs.promises.rm(lock, { force: true }).catch(() => undefined);
  }
}

export interface UpdateResult {
  store: ResultsStore;
  /** A corrupt store was moved here before writing a fresh one. */
  backup?: string;
  /** What went wrong with the old file (corrupt), or why nothing was written (newer version, I/O). */
  warning?: string;
  written: boolean;
}

/** Read, change and write the store. Never throws for a bad store file; I/O errors of the write are reported. */
export function updateStore(file: string, change: (s: ResultsStore) => ResultsStore): Promise<UpdateResult> {
  return serial(file, () =>
    withFileLock(file, () => updateLocked(file, change)).catch(
      (e: unknown): UpdateResult => ({ store: emptyStore(), written: false, warning: `the new result was not saved: ${e instanceof Error ? e.message : String(e)}` }),
    ),
  );
}

async function updateLocked(file: string, change: (s: ResultsStore) => ResultsStore): Promise<UpdateResult> {
  {
    const loaded = await loadStore(file);
    if (loaded.readOnly) return { store: loaded.store, written: false, warning: `${loaded.error}; the new result was not saved (the file is left as it is)` };
    let backup: string | undefined;
    let warning: string | undefined;
    if (loaded.error) {
      backup = file.replace(/\.json$/, '') + `.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
      try {
        await fs.promises.rename(file, backup);
      } catch (e) {
        return { store: loaded.store, written: false, warning: `${loaded.error}; could not move it aside (${(e as Error).message}), so nothing was written` };
      }
      warning = `${loaded.error}. It was kept as ${backup} and a new store was started.`;
    }
    const next = change(loaded.store);
    try {
      await writeFileAtomic(file, serializeStore(next));
    } catch (e) {
      return { store: next, backup, written: false, warning: `${warning ? warning + ' ' : ''}Could not write ${file}: ${(e as Error).message}` };
    }
    return { store: next, backup, warning, written: true };
  }
}

export function appendRun(file: string, key: string, run: RunRecord): Promise<UpdateResult> {
  return updateStore(file, (s) => addRun(s, configKey(key), run));
}

/** The nearest folder at or above `dir` holding `.mixvargenet/results.json` (CLI: synchronous). */
export function findStoreRoot(dir: string): string | undefined {
  let d = path.resolve(dir);
  for (;;) {
    if (fs.existsSync(storePathFor(d))) return d;
    const up = path.dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

/** findStoreRoot without blocking the caller's thread (the extension host). */
export async function findStoreRootAsync(dir: string): Promise<string | undefined> {
  let d = path.resolve(dir);
  for (;;) {
    const found = await fs.promises.lstat(storePathFor(d)).then(
      () => true,
      () => false,
    );
    if (found) return d;
    const up = path.dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

export interface ConfigResults {
  file?: string;
  key?: string;
  runs: RunRecord[];
  latest: LatestResults;
  error?: string;
}

/**
 * For other features (e.g. the graph panel): the results of one config file. `root` is the workspace folder that
 * holds `.mixvargenet/` (default: the nearest ancestor that has one). Asynchronous and guarded (never blocks).
 */
export async function resultsForConfig(configPath: string, root?: string): Promise<ConfigResults> {
  const r = root ?? (await findStoreRootAsync(path.dirname(configPath)));
  if (!r) return { runs: [], latest: latestResults([]) };
  const file = storePathFor(r);
  const loaded = await loadStore(file);
  const key = configKey(path.relative(r, path.resolve(configPath)));
  const runs = runsFor(loaded.store, key);
  return { file, key, runs, latest: latestResults(runs), error: loaded.error };
}

/** Remember a submitted Slurm job in the store (so a reloaded window or `mvg` finds it again). */
export function rememberJob(file: string, job: ActiveJob): Promise<UpdateResult> {
  return updateStore(file, (s) => addJob(s, job));
}

/**
 * Record a Slurm job's run and forget the job, in one write. When the job is no longer in the store, someone else
 * (another window, `mvg run`) recorded it already: nothing is added (`recorded` false).
 */
export async function recordJobRun(file: string, key: string, jobId: string, run: RunRecord): Promise<UpdateResult & { recorded: boolean }> {
  let recorded = false;
  const r = await updateStore(file, (s) => {
    if (!(s.jobs ?? []).some((j) => j.jobId === jobId)) return s;
    recorded = true;
    return addRun(removeJob(s, jobId), configKey(key), run);
  });
  return { ...r, recorded: recorded && r.written };
}
