/**
 * The rows of the workspace's configs, for the compare view and the configs view: which files are configs, and
 * each one's row — the analysis in the worker (`compareInputs`: never on this thread), the latest HAT results and
 * run status (tasks), the cached CPU latency (perf). Row inputs are kept per file until it changes (on disk or in an
 * editor); `onDidChange` fires (debounced) when any row may have changed: a config edited, created or deleted, a
 * results store written or reloaded, a run started or ended, a latency measured.
 */
import * as vscode from 'vscode';
import { compareRow, type CompareRow, type RowInputs } from '../../core/compare';
import type { CompareInputsResult } from '../../analysis/protocol';
import { CONFIG_MARKER, type AnalysisManager } from '../analysis/manager';
import type { PerfFeature } from '../perf/perf';
import type { HatTasks } from '../tasks/tasks';

export interface RowEntry {
  uri: vscode.Uri;
  /** The path relative to the workspace (as the Explorer shows it). */
  label: string;
  row: CompareRow;
  inputs: RowInputs | null;
  status?: 'running' | 'failed';
  /** Why the file could not be analysed. */
  error?: string;
}

/** Folders never searched for configs. */
export const CONFIG_SEARCH_EXCLUDE = '**/{node_modules,.git,__pycache__,site-packages,.venv,venv,.mixvargenet}/**';
/** At most this many .py files are looked at, and files over this size are not configs. */
const MAX_FILES = 5000;
const MAX_BYTES = 4 * 1024 * 1024;
const MARKER = Buffer.from(CONFIG_MARKER);
/** Row requests in flight at once. */
const ROWS_IN_FLIGHT = 4;

export class ConfigRows implements vscode.Disposable {
  private readonly inputs = new Map<string, Promise<CompareInputsResult>>();
  private configs?: Promise<vscode.Uri[]>;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Some row may have changed (debounced). */
  readonly onDidChange = this.changed.event;
  private timer?: NodeJS.Timeout;
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly manager: AnalysisManager,
    private readonly perf: PerfFeature,
    private readonly tasks: HatTasks,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.py');
    const fileChanged = (u: vscode.Uri) => {
      this.inputs.delete(u.toString());
      // The marker may have appeared or gone.
      this.configs = undefined;
      this.changedSoon();
    };
    this.subs.push(
      this.changed,
      watcher,
      watcher.onDidChange(fileChanged),
      watcher.onDidCreate(fileChanged),
      watcher.onDidDelete(fileChanged),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.languageId !== 'python' || e.contentChanges.length === 0) return;
        this.inputs.delete(e.document.uri.toString());
        this.changedSoon(500);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        // Unsaved edits are gone: the file on disk is the config again.
        if (this.inputs.delete(d.uri.toString())) this.changedSoon();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.configs = undefined;
        this.changedSoon();
      }),
      tasks.onDidChangeResults(() => this.changedSoon()),
      perf.onDidChange(() => this.changedSoon()),
    );
  }

  private changedSoon(ms = 200): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.changed.fire();
    }, ms);
  }

  /** Forget every row's inputs and the list of configs (the refresh action). */
  invalidate(): void {
    this.inputs.clear();
    this.configs = undefined;
    this.changed.fire();
  }

  /** The workspace's config files (.py files that mention MixVarGENetConfig), by label. */
  workspaceConfigs(): Promise<vscode.Uri[]> {
    this.configs ??= this.findConfigs().then((found) => {
      void vscode.commands.executeCommand('setContext', 'mixvargenet.hasConfigs', found.length > 0);
      return found;
    });
    return this.configs;
  }

  private async findConfigs(): Promise<vscode.Uri[]> {
    if (!vscode.workspace.workspaceFolders?.length) return [];
    const files = await vscode.workspace.findFiles('**/*.py', CONFIG_SEARCH_EXCLUDE, MAX_FILES);
    const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
    const isConfig = await Promise.all(
      files.map(async (u) => {
        const doc = open.get(u.toString());
        if (doc) return doc.getText().includes(CONFIG_MARKER);
        try {
          const st = await vscode.workspace.fs.stat(u);
          if (st.size > MAX_BYTES || (st.type & vscode.FileType.File) === 0) return false;
          return Buffer.from(await vscode.workspace.fs.readFile(u)).includes(MARKER);
        } catch {
          return false;
        }
      }),
    );
    return sortByLabel(files.filter((_, i) => isConfig[i]));
  }

  private inputsOf(uri: vscode.Uri): Promise<CompareInputsResult> {
    const key = uri.toString();
    let p = this.inputs.get(key);
    if (!p) {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
      const text = doc ? Promise.resolve(doc.getText()) : uri.scheme === 'file' ? Promise.resolve(undefined) : Promise.resolve(vscode.workspace.fs.readFile(uri)).then((b) => Buffer.from(b).toString('utf8'));
      p = text.then((t) => this.manager.compareInputs(uri, t, vscode.workspace.isTrusted));
      this.inputs.set(key, p);
      // A failed analysis (the worker restarting) is asked again next time.
      void p.then((r) => {
        if (!r.ok && this.inputs.get(key) === p) this.inputs.delete(key);
      });
    }
    return p;
  }

  /** The row of one config. */
  async row(uri: vscode.Uri): Promise<RowEntry> {
    const [inp, res] = await Promise.all([this.inputsOf(uri), this.tasks.resultsOf(uri.fsPath).catch(() => undefined)]);
    const latency = inp.ok && inp.plan ? await this.perf.cachedLatencyMs(uri, inp.plan).catch(() => null) : null;
    const inputs = inp.ok ? inp.inputs : null;
    return {
      uri,
      label: vscode.workspace.asRelativePath(uri),
      row: compareRow(uri.toString(), inputs, res?.latest ?? null, latency),
      inputs,
      status: res?.status,
      error: inp.ok ? undefined : inp.error,
    };
  }

  /**
   * The rows of these configs, in order. At most ROWS_IN_FLIGHT at a time: the worker's queue stays short, so an
   * editor's analysis after a keystroke never waits behind a whole workspace of configs (nor does a request's deadline).
   */
  async rows(uris: readonly vscode.Uri[]): Promise<RowEntry[]> {
    const out: RowEntry[] = new Array(uris.length);
    let next = 0;
    const lane = async () => {
      while (next < uris.length) {
        const i = next++;
        out[i] = await this.row(uris[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(ROWS_IN_FLIGHT, uris.length) }, lane));
    return out;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subs) s.dispose();
  }
}

export function sortByLabel(uris: vscode.Uri[]): vscode.Uri[] {
  return uris
    .map((u) => ({ u, l: vscode.workspace.asRelativePath(u) }))
    .sort((a, b) => (a.l < b.l ? -1 : a.l > b.l ? 1 : 0))
    .map((x) => x.u);
}
