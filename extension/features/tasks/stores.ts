/**
 * The HAT results stores (`.mixvargenet/results.json`) of the workspace roots: loaded once, kept in memory,
 * reloaded when the file changes on disk, and appended to by runs and board imports.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { type ActiveJob, configKey, formatSummary, latestResults, type ResultsStore, type RunRecord, runsFor, STORE_DIR } from '../../core/hat';
import { appendRun, loadStore, recordJobRun, rememberJob, storePathFor, type UpdateResult } from '../../core/hat/store';

export interface StoreEntry {
  store: ResultsStore;
  error?: string;
  readOnly?: boolean;
}

/** Where a config's results are: the folder holding `.mixvargenet/`, the config's key in the store, the store file. */
export interface StoreSlot {
  root: string;
  key: string;
  storeFile: string;
}

export class ResultStores implements vscode.Disposable {
  private readonly stores = new Map<string, StoreEntry>();
  private readonly loading = new Map<string, Promise<StoreEntry>>();
  private readonly warned = new Set<string>();
  private readonly subs: vscode.Disposable[] = [];

  /**
   * @param onReloaded a store was (re)read from disk after it changed there.
   * @param onSaved a run was appended to a store.
   */
  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly onReloaded: () => void,
    private readonly onSaved: () => void,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${STORE_DIR}/results.json`);
    const reload = (u: vscode.Uri) => void this.reload(path.dirname(path.dirname(u.fsPath)));
    this.subs.push(watcher, watcher.onDidChange(reload), watcher.onDidCreate(reload), watcher.onDidDelete(reload));
  }

  /** The folder holding `.mixvargenet/`: the config's workspace folder, else the config's own folder. */
  rootOf(file: string): string {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file));
    return folder && folder.uri.scheme === 'file' ? folder.uri.fsPath : path.dirname(file);
  }

  slotOf(file: string): StoreSlot {
    const root = this.rootOf(file);
    return { root, key: configKey(path.relative(root, file)), storeFile: storePathFor(root) };
  }

  /** The loaded store of a root (undefined until load() has read it). */
  get(root: string): StoreEntry | undefined {
    return this.stores.get(root);
  }

  load(root: string): Promise<StoreEntry> {
    const have = this.stores.get(root);
    if (have) return Promise.resolve(have);
    let p = this.loading.get(root);
    if (!p) {
      p = loadStore(storePathFor(root)).then(
        (l) => {
          const e: StoreEntry = { store: l.store, error: l.error, readOnly: l.readOnly };
          this.stores.set(root, e);
          this.loading.delete(root);
          if (l.error && !this.warned.has(root)) this.warn(root, l.error, l.readOnly);
          return e;
        },
        (err: unknown) => {
          this.loading.delete(root);
          const e: StoreEntry = { store: { version: 1, configs: {} }, error: String(err) };
          return e;
        },
      );
      this.loading.set(root, p);
    }
    return p;
  }

  /**
   * Read a root's store again: when the file watcher says it changed, or now (an agent tool's answer must hold what
   * another window or `mvg run` has just written). The views are told when what they show changed: the runs, or the
   * store's problem.
   */
  async reload(root: string): Promise<StoreEntry> {
    const before = this.stores.get(root);
    this.stores.delete(root);
    const e = await this.load(root);
    const shown = (x: StoreEntry) => JSON.stringify([x.store, x.error ?? null, x.readOnly ?? false]);
    if (!before || shown(before) !== shown(e)) this.onReloaded();
    return e;
  }

  private warn(root: string, error: string, readOnly: boolean | undefined): void {
    this.warned.add(root);
    const rel = vscode.workspace.asRelativePath(storePathFor(root));
    void vscode.window.showWarningMessage(
      readOnly
        ? `MixVarGENet: ${error}. The HAT results in ${rel} are not shown and will not be written over.`
        : `MixVarGENet: cannot use the HAT results file ${rel}: ${error}. It is left as it is; the next run keeps it as results.corrupt-<time>.json and starts a new file.`,
    );
    this.log.warn(`hat: ${error}`);
  }

  /** A config's runs in its loaded store (none until loaded), and its key. */
  entryFor(file: string): { runs: RunRecord[]; config: string } {
    const { root, key } = this.slotOf(file);
    const st = this.stores.get(root);
    return { runs: st ? runsFor(st.store, key) : [], config: key };
  }

  /** Append a run to the store of `slot` and keep the result; `summary` is the config's latest results after it. */
  async append(slot: StoreSlot, record: RunRecord): Promise<{ saved: UpdateResult; summary: string }> {
    const saved = await appendRun(slot.storeFile, slot.key, record);
    this.stores.set(slot.root, { store: saved.store, error: saved.written ? undefined : saved.warning, readOnly: !saved.written });
    this.onSaved();
    return { saved, summary: formatSummary(latestResults(runsFor(saved.store, slot.key)), new Date()) };
  }

  /** Remember a submitted Slurm job in the store of `slot`. */
  async rememberJob(slot: StoreSlot, job: ActiveJob): Promise<UpdateResult> {
    const saved = await rememberJob(slot.storeFile, job);
    if (saved.written) this.stores.set(slot.root, { store: saved.store });
    return saved;
  }

  /** Record a Slurm job's run (once: not when another window or `mvg run` recorded it already). */
  async appendJob(slot: StoreSlot, jobId: string, record: RunRecord): Promise<{ saved: UpdateResult; summary: string }> {
    const saved = await recordJobRun(slot.storeFile, slot.key, jobId, record);
    this.stores.set(slot.root, { store: saved.store, error: saved.written ? undefined : saved.warning, readOnly: !saved.written });
    this.onSaved();
    const warning = saved.written && !saved.recorded ? undefined : saved.warning;
    return { saved: { ...saved, warning }, summary: formatSummary(latestResults(runsFor(saved.store, slot.key)), new Date()) };
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}
