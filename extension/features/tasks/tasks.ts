/**
 * HAT tasks from the editor (issue 6): every stage of MIXVARGENET.md §1 as a task of type "hat" and palette /
 * menu commands for the common ones; the run's output parsed live (progress notification with ETA) and at the
 * end (accuracy, FPS, the root cause of a failure); results stored per config in the workspace
 * (`.mixvargenet/results.json`) and shown inline on the config's `task_name` line, with the history in the hover
 * and in a chart. A failure that points into the config becomes a diagnostic on that line ('mixvargenet-hat').
 *
 * Processes: argv arrays without a shell, in their own process group (stopping a run stops the tree), only in a
 * trusted workspace. The task runs through a CustomExecution whose pseudoterminal shows the live log, because the
 * output has to be read (a ProcessExecution's output is not visible to extensions).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { type LogReport, parseLog, parseLogOrSummary } from '../../core/logs/parse';
import {
  buildCommand,
  cannotStartMessage,
  configKey,
  EtaTracker,
  findScriptsDir,
  formatHover,
  formatSummary,
  latestResults,
  LineSplitter,
  locateFailure,
  missingHatModule,
  type PathOps,
  type PythonChoice,
  recordFromReport,
  type ResultsStore,
  type RunRecord,
  runsFor,
  type StageId,
  STAGES,
  stageSpec,
  STORE_DIR,
  summaryLine,
} from '../../core/hat';
import { appendRun, loadStore, storePathFor } from '../../core/hat/store';
import type { AnalysisManager } from '../analysis/manager';
import { HistoryPanel } from './history';
import { startProcess } from './process';
import { HAT_SECTION, hatSettings } from '../../host/settings';
import { resolvePython } from './python';

export const TASK_TYPE = 'hat';
export const TASK_SOURCE = 'MixVarGENet HAT';

export interface HatTaskDefinition extends vscode.TaskDefinition {
  type: 'hat';
  stage: StageId;
  /** The config file (absolute, or relative to the workspace folder; `${file}` works in tasks.json). Default: the active editor. */
  config?: string;
}

export interface RunArgs {
  uri?: string;
  /** No notifications, no terminal reveal (tests). */
  silent?: boolean;
}

export interface RunOutcome {
  ok: boolean;
  status?: RunRecord['status'];
  record?: RunRecord;
  error?: string;
  argv?: string[];
  summary?: string;
  /** The stored record could not be written. */
  storeWarning?: string;
}

interface ActiveRun {
  stage: StageId;
  config: string;
  startedAt: number;
  eta?: string;
  fraction?: number;
  stop(): void;
}

interface StoreEntry {
  store: ResultsStore;
  error?: string;
  readOnly?: boolean;
}

const UNTRUSTED = 'MixVarGENet: HAT tasks run Python from your workspace, so they are only available in a trusted workspace.';

/** The commands of the palette (Run Calibration first) and their stages. */
export const RUN_COMMANDS: [string, StageId][] = [
  ['mixvargenet.hat.runCalibration', 'calibration'],
  ['mixvargenet.hat.runFloatPredict', 'float_predict'],
  ['mixvargenet.hat.runCalibrationPredict', 'calibration_predict'],
  ['mixvargenet.hat.runIntInferPredict', 'int_infer_predict'],
  ['mixvargenet.hat.runCompilePerf', 'compile_perf'],
  ['mixvargenet.hat.runFloatTraining', 'float_train'],
  ['mixvargenet.hat.runAlignBpu', 'align_bpu'],
];

const nodePath: PathOps = {
  isFile: (p) => {
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  },
  join: path.join,
  dirname: path.dirname,
  isAbsolute: path.isAbsolute,
  resolve: path.resolve,
};

/** The pseudoterminal of one run: shows the live log; closing the terminal (or Ctrl+C) stops the run. */
class HatPty implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  onStop?: () => void;
  private closed = false;

  constructor(private readonly start: (pty: HatPty) => void) {}

  open(): void {
    this.start(this);
  }

  close(): void {
    this.onStop?.();
  }

  handleInput(data: string): void {
    if (data === '\x03') {
      this.write('^C\n');
      this.onStop?.();
    }
  }

  write(text: string): void {
    if (!this.closed) this.writeEmitter.fire(text.replace(/\r?\n/g, '\r\n'));
  }

  end(code: number): void {
    if (this.closed) return;
    this.closed = true;
    this.closeEmitter.fire(code);
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return !!x && typeof x === 'object' && !(x instanceof vscode.Uri);
}

/** How long a run started by a command waits for VS Code to call its CustomExecution before it is ignored. */
const PENDING_MS = 5 * 60_000;

/** VS Code's own `task.saveBeforeRun` ("always" | "never" | "prompt"). */
function saveBeforeRun(scope: vscode.Uri): string {
  return vscode.workspace.getConfiguration('task', scope).get<string>('saveBeforeRun', 'always');
}

export class HatTasks implements vscode.Disposable {
  private readonly subs: vscode.Disposable[] = [];
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('mixvargenet-hat');
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor('editorCodeLens.foreground'), margin: '0 0 0 2em', fontStyle: 'italic' },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private readonly stores = new Map<string, StoreEntry>();
  private readonly loading = new Map<string, Promise<StoreEntry>>();
  private readonly warned = new Set<string>();
  private readonly runs = new Map<string, ActiveRun>();
  /**
   * Runs started by our commands, waiting for VS Code to call a CustomExecution (by stage + config path).
   * VS Code keeps one execution per task id, and a task the provider returns for the same definition has the same
   * id: when the task service asks the provider for tasks while ours starts (it does, e.g. after saveBeforeRun),
   * the provided task's callback is the one called. So the run's options and its completion travel through here,
   * not through the closure of the task object the command created.
   */
  private readonly pending = new Map<string, { opts: RunArgs; onEnd: (o: RunOutcome) => void; at: number }>();
  private readonly history: HistoryPanel;
  private refreshTimer?: NodeJS.Timeout;
  private readonly ticker: NodeJS.Timeout;

  constructor(
    context: vscode.ExtensionContext,
    private readonly manager: AnalysisManager,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.history = new HistoryPanel(context.extensionUri, (file) => this.entryFor(file));
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${STORE_DIR}/results.json`);
    const reload = (u: vscode.Uri) => {
      const root = path.dirname(path.dirname(u.fsPath));
      this.stores.delete(root);
      void this.load(root).then(() => this.refreshSoon());
    };
    this.subs.push(
      this.diagnostics,
      this.decoration,
      this.history,
      watcher,
      watcher.onDidChange(reload),
      watcher.onDidCreate(reload),
      watcher.onDidDelete(reload),
      vscode.tasks.registerTaskProvider(TASK_TYPE, {
        provideTasks: () => this.provideTasks(),
        resolveTask: (t) => this.resolveTask(t),
      }),
      ...RUN_COMMANDS.map(([cmd, stage]) => vscode.commands.registerCommand(cmd, (arg?: unknown) => this.runCommand(stage, arg))),
      vscode.commands.registerCommand('mixvargenet.hat.runStage', (arg?: unknown) => this.runStageCommand(arg)),
      vscode.commands.registerCommand('mixvargenet.hat.importBoardResults', (arg?: unknown) => this.importBoard(arg)),
      vscode.commands.registerCommand('mixvargenet.hat.showHistory', (arg?: unknown) => this.showHistory(arg)),
      vscode.commands.registerCommand('mixvargenet.hat._state', (uri?: string) => this.state(uri)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.refreshSoon()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (vscode.window.visibleTextEditors.some((ed) => ed.document === e.document)) this.refreshSoon(300);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${HAT_SECTION}.inlineResults`)) this.refreshSoon();
      }),
    );
    // "2 h ago" ages: redraw once a minute.
    this.ticker = setInterval(() => this.refresh(), 60_000);
    this.refreshSoon();
  }

  // -----------------------------------------------------------------------------------------
  // Which config, which store.
  // -----------------------------------------------------------------------------------------

  private uriFor(arg: unknown): vscode.Uri | undefined {
    if (arg instanceof vscode.Uri) return arg;
    if (typeof arg === 'string') return vscode.Uri.parse(arg);
    if (isObject(arg) && typeof arg.uri === 'string') return vscode.Uri.parse(arg.uri);
    if (isObject(arg) && arg.uri instanceof vscode.Uri) return arg.uri;
    return vscode.window.activeTextEditor?.document.uri;
  }

  /** The folder holding `.mixvargenet/`: the config's workspace folder, else the config's own folder. */
  private rootOf(file: string): string {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file));
    return folder && folder.uri.scheme === 'file' ? folder.uri.fsPath : path.dirname(file);
  }

  private keyOf(file: string): { root: string; key: string; storeFile: string } {
    const root = this.rootOf(file);
    return { root, key: configKey(path.relative(root, file)), storeFile: storePathFor(root) };
  }

  private load(root: string): Promise<StoreEntry> {
    const have = this.stores.get(root);
    if (have) return Promise.resolve(have);
    let p = this.loading.get(root);
    if (!p) {
      p = loadStore(storePathFor(root)).then(
        (l) => {
          const e: StoreEntry = { store: l.store, error: l.error, readOnly: l.readOnly };
          this.stores.set(root, e);
          this.loading.delete(root);
          if (l.error && !this.warned.has(root)) {
            this.warned.add(root);
            const rel = vscode.workspace.asRelativePath(storePathFor(root));
            void vscode.window.showWarningMessage(
              l.readOnly
                ? `MixVarGENet: ${l.error}. The HAT results in ${rel} are not shown and will not be written over.`
                : `MixVarGENet: cannot use the HAT results file ${rel}: ${l.error}. It is left as it is; the next run keeps it as results.corrupt-<time>.json and starts a new file.`,
            );
            this.log.warn(`hat: ${l.error}`);
          }
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

  private entryFor(file: string): { runs: RunRecord[]; config: string } {
    const { root, key } = this.keyOf(file);
    const st = this.stores.get(root);
    return { runs: st ? runsFor(st.store, key) : [], config: key };
  }

  // -----------------------------------------------------------------------------------------
  // Tasks.
  // -----------------------------------------------------------------------------------------

  private provideTasks(): vscode.Task[] {
    if (!vscode.workspace.isTrusted) return [];
    const docs = new Map<string, vscode.TextDocument>();
    const active = vscode.window.activeTextEditor?.document;
    for (const d of [active, ...vscode.window.visibleTextEditors.map((e) => e.document)]) {
      if (d && d.uri.scheme === 'file' && this.manager.isConfig(d)) docs.set(d.uri.fsPath, d);
    }
    const out: vscode.Task[] = [];
    for (const d of docs.values()) {
      const folder = vscode.workspace.getWorkspaceFolder(d.uri);
      for (const s of STAGES) out.push(this.makeTask({ type: 'hat', stage: s.id, config: d.uri.fsPath }, folder ?? vscode.TaskScope.Workspace, {}));
    }
    return out;
  }

  private resolveTask(task: vscode.Task): vscode.Task | undefined {
    const def = task.definition as HatTaskDefinition;
    if (def.type !== TASK_TYPE || !stageSpec(def.stage)) return undefined;
    const scope = task.scope && typeof task.scope === 'object' ? task.scope : vscode.TaskScope.Workspace;
    const t = this.makeTask(def, scope, {});
    t.name = task.name || t.name;
    return t;
  }

  private makeTask(def: HatTaskDefinition, scope: vscode.WorkspaceFolder | vscode.TaskScope, opts: RunArgs): vscode.Task {
    const spec = stageSpec(def.stage);
    const name = `${spec?.title.replace(/^Run /, '') ?? def.stage}${def.config ? ` — ${path.basename(def.config)}` : ''}`;
    const exec = new vscode.CustomExecution(async (resolved) => {
      const full = { ...(def as object), ...(resolved as object) } as HatTaskDefinition;
      const folder = typeof scope === 'object' ? scope : undefined;
      // A run our command started (whichever task object VS Code calls back): its options and completion.
      const key = this.pendingKey(full.stage, this.configPathOf(full, folder));
      const waiting = key !== undefined ? this.pending.get(key) : undefined;
      if (key !== undefined && waiting) this.pending.delete(key);
      const runOpts = waiting && Date.now() - waiting.at < PENDING_MS ? waiting.opts : opts;
      const done = (o: RunOutcome) => waiting?.onEnd(o);
      const pty = new HatPty((p) => {
        void this.execute(full, runOpts, p, folder).then(done, (e: unknown) => {
          const error = `internal error: ${e instanceof Error ? e.message : String(e)}`;
          this.log.error(`hat: ${error}`);
          p.write(`\n${error}\n`);
          p.end(1);
          done({ ok: false, error });
        });
      });
      return pty;
    });
    const task = new vscode.Task(def, scope, name, TASK_SOURCE, exec, []);
    task.detail = spec?.description;
    task.presentationOptions = {
      reveal: opts.silent ? vscode.TaskRevealKind.Never : vscode.TaskRevealKind.Always,
      panel: vscode.TaskPanelKind.Dedicated,
      clear: true,
      showReuseMessage: false,
      echo: false,
    };
    return task;
  }

  private async runCommand(stage: StageId, arg?: unknown): Promise<RunOutcome> {
    const args: RunArgs = isObject(arg) ? (arg as RunArgs) : {};
    if (!vscode.workspace.isTrusted) {
      if (!args.silent) void vscode.window.showWarningMessage(UNTRUSTED);
      return { ok: false, error: UNTRUSTED };
    }
    const uri = this.uriFor(arg);
    if (!uri || uri.scheme !== 'file') {
      const error = 'open a MixVarGENet config file (a local .py file) to run HAT on it';
      if (!args.silent) void vscode.window.showInformationMessage(`MixVarGENet: ${error}.`);
      return { ok: false, error };
    }
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    // HAT reads the file on disk. Every task run (ours, "Tasks: Run Task", a rerun) goes through VS Code's
    // `task.saveBeforeRun`: "always" (the default) saves every dirty editor first and "prompt" asks, so only
    // with "never" would an unsaved config silently run its saved version — then we ask.
    if (doc?.isDirty && saveBeforeRun(uri) === 'never') {
      if (args.silent) return { ok: false, error: 'the config has unsaved changes and task.saveBeforeRun is "never" (HAT reads the file on disk)' };
      const pick = await vscode.window.showWarningMessage(
        `MixVarGENet: ${path.basename(uri.fsPath)} has unsaved changes; HAT reads the file on disk (and task.saveBeforeRun is "never").`,
        'Save and Run',
        'Run the Saved Version',
      );
      if (!pick) return { ok: false, error: 'cancelled' };
      if (pick === 'Save and Run' && !(await doc.save())) return { ok: false, error: 'could not save' };
    }
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return new Promise<RunOutcome>((resolve) => {
      const key = this.pendingKey(stage, uri.fsPath)!;
      // An older run of the same stage and config that never started is superseded.
      this.pending.get(key)?.onEnd({ ok: false, error: 'superseded by a newer run before it started' });
      let settled = false;
      const finish = (o: RunOutcome) => {
        if (settled) return;
        settled = true;
        if (this.pending.get(key)?.onEnd === finish) this.pending.delete(key);
        resolve(o);
      };
      this.pending.set(key, { opts: args, onEnd: finish, at: Date.now() });
      const task = this.makeTask({ type: 'hat', stage, config: uri.fsPath }, folder ?? vscode.TaskScope.Workspace, args);
      vscode.tasks.executeTask(task).then(undefined, (e: unknown) => finish({ ok: false, error: `could not start the task: ${e instanceof Error ? e.message : String(e)}` }));
    });
  }

  private pendingKey(stage: string | undefined, config: string | undefined): string | undefined {
    return stage && config ? `${stage}\0${path.resolve(config)}` : undefined;
  }

  private async runStageCommand(arg?: unknown): Promise<RunOutcome | undefined> {
    const items = STAGES.map((s) => ({ label: s.title, description: s.description, detail: `python3 ${s.script}${s.hatStage ? ` --stage ${s.hatStage}` : ''}`, stage: s.id }));
    const pick = await vscode.window.showQuickPick(items, { title: 'MixVarGENet: run a HAT stage on this config', matchOnDescription: true });
    return pick ? this.runCommand(pick.stage, arg) : undefined;
  }

  // -----------------------------------------------------------------------------------------
  // One run.
  // -----------------------------------------------------------------------------------------

  private fail(pty: HatPty, opts: RunArgs, error: string, setting?: string): RunOutcome {
    pty.write(`\x1b[31m${error}\x1b[0m\n`);
    pty.end(1);
    this.log.warn(`hat: ${error}`);
    if (!opts.silent) {
      const buttons = setting ? ['Open Settings'] : [];
      void vscode.window.showErrorMessage(error.startsWith('MixVarGENet') ? error : `MixVarGENet: ${error}`, ...buttons).then((b) => {
        if (b === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', setting);
      });
    }
    return { ok: false, error };
  }

  /** The config a task names: absolute, or relative to the task's own workspace folder (multi-root), else the first. */
  private configPathOf(def: HatTaskDefinition, folder?: vscode.WorkspaceFolder): string | undefined {
    const c = typeof def.config === 'string' ? def.config.trim() : '';
    if (!c) {
      const d = vscode.window.activeTextEditor?.document;
      return d && d.uri.scheme === 'file' ? d.uri.fsPath : undefined;
    }
    if (path.isAbsolute(c)) return c;
    const base = folder ?? vscode.workspace.workspaceFolders?.[0];
    return base ? path.resolve(base.uri.fsPath, c) : undefined;
  }

  private async execute(def: HatTaskDefinition, opts: RunArgs, pty: HatPty, taskFolder?: vscode.WorkspaceFolder): Promise<RunOutcome> {
    if (!vscode.workspace.isTrusted) return this.fail(pty, opts, UNTRUSTED);
    const spec = stageSpec(def.stage);
    if (!spec) return this.fail(pty, opts, `unknown HAT stage '${String(def.stage)}' (one of ${STAGES.map((s) => s.id).join(', ')})`);
    const config = this.configPathOf(def, taskFolder);
    if (!config) return this.fail(pty, opts, 'no config file: open one, or give "config" in the task definition');
    try {
      if (!(await fs.promises.stat(config)).isFile()) throw new Error('not a file');
    } catch {
      return this.fail(pty, opts, `the config file ${config} does not exist`);
    }
    const scope = vscode.Uri.file(config);
    const settings = hatSettings(scope, spec.id);
    const folder = vscode.workspace.getWorkspaceFolder(scope)?.uri.fsPath;
    const found = findScriptsDir({ config, setting: settings.scriptsDir, workspaceFolder: folder, home: process.env.HOME }, nodePath);
    if (!found.ok) {
      const tried = found.tried.length > 6 ? [...found.tried.slice(0, 3), '…', ...found.tried.slice(-2)] : found.tried;
      return this.fail(pty, opts, `MixVarGENet: ${found.message} (looked for: ${tried.join(', ')})`, `${HAT_SECTION}.scriptsDir`);
    }
    const python: PythonChoice = await resolvePython(scope, settings.python);
    const built = buildCommand({
      stage: spec.id,
      scriptsDir: found.dir,
      python: python.command,
      prefix: settings.commandPrefix,
      config,
      options: settings.stage,
      sep: path.sep as '/' | '\\',
      vars: folder ? { workspaceFolder: folder } : {},
    });
    if (!built.ok) return this.fail(pty, opts, `MixVarGENet: ${built.error}`, `${HAT_SECTION}.stages`);
    if (!settings.commandPrefix.length && !nodePath.isFile(path.join(found.dir, spec.script))) {
      return this.fail(pty, opts, `MixVarGENet: ${spec.script} is not in HAT's scripts folder ${found.dir} (this HAT release may not have the ${spec.label} stage). Check mixvargenet.hat.scriptsDir.`, `${HAT_SECTION}.scriptsDir`);
    }

    const { root, key, storeFile } = this.keyOf(config);
    const runKey = `${config}|${spec.id}`;
    this.runs.get(runKey)?.stop();
    this.diagnostics.delete(scope);
    const started = new Date();
    const stamp = started.toISOString().replace(/[:.]/g, '-');
    const logRel = path.posix.join(STORE_DIR, 'logs', `${path.basename(config, '.py')}-${spec.id}-${stamp}.log`);
    const logFile = path.join(root, ...logRel.split('/'));
    let logStream: fs.WriteStream | undefined;
    try {
      fs.mkdirSync(path.dirname(logFile), { recursive: true });
      logStream = fs.createWriteStream(logFile, { flags: 'w' });
      logStream.on('error', () => (logStream = undefined));
    } catch {
      logStream = undefined;
    }
    // "Run the Saved Version", or task.saveBeforeRun "never"/declined: say which version HAT reads.
    const unsaved = vscode.workspace.textDocuments.some((d) => d.uri.scheme === 'file' && d.uri.fsPath === config && d.isDirty);
    const header =
      `> ${built.display}\n  (cwd ${built.cwd}; python: ${python.source === 'default' ? 'python3 on PATH' : python.source === 'setting' ? 'mixvargenet.hat.python' : "the Python extension's interpreter"}; no shell)\n` +
      (unsaved ? `  note: ${path.basename(config)} has unsaved changes; HAT runs the version saved on disk.\n` : '') +
      '\n';
    pty.write(header);
    logStream?.write(header);
    this.log.info(`hat: ${spec.id} ${vscode.workspace.asRelativePath(config)}: ${built.display}`);

    // Output: the terminal, the log file, a tail kept for the parsers, and the live ETA.
    // The parsers read the end of the output (a 256 KB tail: ~25 ms, the host's thread must not stall) plus the
    // lines that scrolled out of it and matter for the results (validation, checkpoints, banners, FPS).
    const TAIL = 256_000;
    let tail = '';
    const kept: string[] = [];
    const KEEP = /Validation|Save model checkpoint|BEGIN|END|FPS|Frame\s+rate|Throughput/;
    const splitter = new LineSplitter();
    const eta = new EtaTracker(started.getTime());
    let lastReport = 0;
    let reportProgress: ((eta: { text: string; fraction?: number }) => void) | undefined;
    const active: ActiveRun = { stage: spec.id, config, startedAt: started.getTime(), stop: () => proc.stop() };
    const onLines = (lines: string[]) => {
      let changed = false;
      const now = Date.now();
      for (const l of lines) changed = eta.line(l, now) || changed;
      if (changed && now - lastReport > 250) {
        lastReport = now;
        const e = eta.estimate(now);
        if (e) {
          active.eta = e.text;
          active.fraction = e.fraction;
          reportProgress?.(e);
          this.refreshSoon(500);
        }
      }
    };
    const proc = startProcess(built.argv, {
      cwd: built.cwd,
      env: { ...process.env, PYTHONUNBUFFERED: '1', ...built.env },
      onData: (chunk) => {
        pty.write(chunk);
        logStream?.write(chunk);
        tail += chunk;
        if (tail.length > TAIL * 1.5) {
          const cut = tail.indexOf('\n', tail.length - TAIL);
          const at = cut >= 0 ? cut + 1 : tail.length - TAIL;
          for (const l of tail.slice(0, at).split('\n')) if (KEEP.test(l)) kept.push(l);
          if (kept.length > 2000) kept.splice(0, kept.length - 2000);
          tail = tail.slice(at);
        }
        onLines(splitter.push(chunk));
      },
    });
    pty.onStop = () => proc.stop();
    this.runs.set(runKey, active);
    this.refreshSoon();

    const title = `MixVarGENet: ${spec.label === spec.id ? spec.id : spec.title.replace(/^Run /, '')} — ${path.basename(config)}`;
    void vscode.window.withProgress({ location: opts.silent ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      token.onCancellationRequested(() => proc.stop());
      let reported = 0;
      reportProgress = (e) => {
        const pctNow = e.fraction !== undefined ? Math.round(e.fraction * 100) : undefined;
        const increment = pctNow !== undefined && pctNow > reported ? pctNow - reported : undefined;
        if (pctNow !== undefined && pctNow > reported) reported = pctNow;
        progress.report({ message: e.text, increment });
      };
      return proc.done;
    });

    const end = await proc.done;
    onLines(splitter.flush());
    const ended = new Date();
    if (this.runs.get(runKey) === active) this.runs.delete(runKey);
    const cancelled = end.stopped;

    if (end.spawnError) {
      const program = built.argv[0];
      const msg =
        end.spawnError.code === 'ENOENT' || end.spawnError.code === 'EACCES'
          ? cannotStartMessage(program, end.spawnError.code, python, settings.commandPrefix.length > 0)
          : `MixVarGENet: could not start ${program}: ${end.spawnError.message}`;
      logStream?.end(`\n${msg}\n`);
      this.refreshSoon();
      return this.fail(pty, opts, msg, settings.commandPrefix.length ? `${HAT_SECTION}.commandPrefix` : `${HAT_SECTION}.python`);
    }

    const report: LogReport = parseLog(kept.length ? `${kept.join('\n')}\n${tail}` : tail);
    const mod = report.failure ? missingHatModule(report.failure.exception, report.failure.message) : undefined;
    const hint = mod
      ? `${mod === 'hat' ? 'HAT' : mod} is not importable by ${python.command} (${report.failure!.exception}: ${report.failure!.message}). Tried: ${python.tried.join('; ')}. Set mixvargenet.hat.python to the Python of your HAT environment, or mixvargenet.hat.commandPrefix to run inside the OE docker container.`
      : undefined;
    let configText = '';
    try {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === config);
      configText = open ? open.getText() : await fs.promises.readFile(config, 'utf8');
    } catch {
      configText = '';
    }
    const where = report.failure && !cancelled ? locateFailure(report.failure, config, configText, built.cwd, path.resolve) : undefined;
    const record = recordFromReport(report, {
      stage: spec.id,
      started,
      ended,
      exitCode: end.code,
      cancelled,
      command: built.argv,
      cwd: built.cwd,
      log: logStream ? logRel : undefined,
      failureLine: where ? where.line + 1 : undefined,
      failureHint: hint,
    });
    const footer = `\n[${record.status}${end.code !== null ? `, exit code ${end.code}` : end.signal ? `, ${end.signal}` : ''} after ${((ended.getTime() - started.getTime()) / 1000).toFixed(1)} s]\n`;
    pty.write(`\x1b[2m${footer}\x1b[0m`);
    logStream?.end(footer);

    if (where && report.failure) {
      const f = report.failure;
      const line = Math.min(where.line, Math.max(0, configText.split(/\r\n|\r|\n/).length - 1));
      const lineText = configText.split(/\r\n|\r|\n/)[line] ?? '';
      const startCol = Math.max(0, lineText.search(/\S/));
      const d = new vscode.Diagnostic(
        new vscode.Range(line, startCol, line, lineText.length),
        `HAT ${spec.id} failed: ${f.exception}: ${f.message}${f.repeats > 1 ? ` (printed ${f.repeats}× by ${f.ranks.length ? `ranks ${f.ranks.join(', ')}` : 'several ranks'})` : ''}`,
        vscode.DiagnosticSeverity.Error,
      );
      d.source = 'HAT';
      d.code = f.exception;
      const inner = f.frames[f.frames.length - 1];
      if (inner && nodePath.isFile(path.resolve(built.cwd, inner.file))) {
        d.relatedInformation = [new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(path.resolve(built.cwd, inner.file)), new vscode.Position(Math.max(0, inner.line - 1), 0)), `raised here, in ${inner.func}`)];
      }
      this.diagnostics.set(scope, [d]);
    }

    const saved = await appendRun(storeFile, key, record);
    void pruneLogs(path.dirname(logFile), 200);
    this.stores.set(root, { store: saved.store, error: saved.written ? undefined : saved.warning, readOnly: !saved.written });
    if (saved.warning) {
      this.log.warn(`hat: ${saved.warning}`);
      if (!opts.silent) void vscode.window.showWarningMessage(`MixVarGENet: ${saved.warning}`);
    }
    this.refresh();
    this.history.update();
    const summary = formatSummary(latestResults(runsFor(saved.store, key)), new Date());
    pty.end(record.status === 'ok' ? 0 : end.code && end.code > 0 ? end.code : 1);

    const outcome: RunOutcome = { ok: record.status === 'ok', status: record.status, record, argv: built.argv, summary, storeWarning: saved.warning };
    if (record.status === 'failed') {
      const why = hint ?? (record.failure ? `${record.failure.exception}: ${record.failure.message}` : 'it failed');
      outcome.error = why;
      this.log.warn(`hat: ${spec.id} failed: ${why}`);
      if (!opts.silent) {
        void vscode.window.showErrorMessage(`MixVarGENet: ${spec.id} failed — ${why}${where ? ` (config line ${where.line + 1})` : ''}`, ...(logStream ? ['Open Log'] : [])).then((b) => {
          if (b === 'Open Log') void vscode.window.showTextDocument(vscode.Uri.file(logFile));
        });
      }
    } else if (record.status === 'ok') {
      this.log.info(`hat: ${spec.id} done: ${summary}`);
      if (!opts.silent) void vscode.window.showInformationMessage(`MixVarGENet: ${spec.id} finished — ${summary}`);
    } else this.log.info(`hat: ${spec.id} cancelled`);
    return outcome;
  }

  // -----------------------------------------------------------------------------------------
  // Board results.
  // -----------------------------------------------------------------------------------------

  private async importBoard(arg?: unknown): Promise<RunOutcome | undefined> {
    const a = isObject(arg) ? (arg as { uri?: string; file?: string; text?: string; silent?: boolean }) : {};
    const uri = this.uriFor(arg);
    if (!uri || uri.scheme !== 'file') {
      const error = 'open the config file the board results belong to';
      if (!a.silent) void vscode.window.showInformationMessage(`MixVarGENet: ${error}.`);
      return { ok: false, error };
    }
    let text = a.text;
    let from = a.file ?? (a.text !== undefined ? 'text' : undefined);
    if (text === undefined && a.file) {
      try {
        text = await fs.promises.readFile(a.file, 'utf8');
      } catch (e) {
        return { ok: false, error: `cannot read ${a.file}: ${(e as Error).message}` };
      }
    }
    if (text === undefined) {
      const pick = await vscode.window.showQuickPick(
        [
          { label: 'From a file…', description: 'saved output of hrt_model_exec perf, fps.sh / latency.sh, or a compile_perf summary .json', id: 'file' },
          { label: 'From the clipboard', description: 'pasted board output', id: 'clip' },
        ],
        { title: `MixVarGENet: import board results for ${path.basename(uri.fsPath)}` },
      );
      if (!pick) return undefined;
      if (pick.id === 'file') {
        const files = await vscode.window.showOpenDialog({ canSelectMany: false, title: 'Board output (hrt_model_exec perf, AI Benchmark) or compile_perf .json', filters: { 'Logs and JSON': ['log', 'txt', 'json'], 'All files': ['*'] } });
        if (!files?.[0]) return undefined;
        from = files[0].fsPath;
        text = new TextDecoder().decode(await vscode.workspace.fs.readFile(files[0]));
      } else {
        text = await vscode.env.clipboard.readText();
        from = 'clipboard';
      }
    }
    const report = parseLogOrSummary(text ?? '');
    if (!report.board && !report.compile) {
      const error = 'no board results recognised: expected hrt_model_exec perf output ("Frame rate is: … FPS"), AI Benchmark output ("Throughput: …fps") or a compile_perf summary';
      if (!a.silent) void vscode.window.showErrorMessage(`MixVarGENet: ${error}.`);
      return { ok: false, error };
    }
    const now = new Date();
    const record = recordFromReport(report, { stage: report.board ? 'board' : 'compile_perf', started: now, ended: now, source: 'import', command: from ? [from] : undefined });
    const { root, key, storeFile } = this.keyOf(uri.fsPath);
    const saved = await appendRun(storeFile, key, record);
    this.stores.set(root, { store: saved.store, error: saved.written ? undefined : saved.warning, readOnly: !saved.written });
    this.refresh();
    this.history.update();
    const summary = formatSummary(latestResults(runsFor(saved.store, key)), new Date());
    if (!a.silent) {
      if (saved.warning) void vscode.window.showWarningMessage(`MixVarGENet: ${saved.warning}`);
      else void vscode.window.showInformationMessage(`MixVarGENet: imported ${record.stage === 'board' ? `board results (${record.board?.source})` : 'compile_perf results'} — ${summary}`);
    }
    return { ok: saved.written, status: record.status, record, summary, storeWarning: saved.warning, error: saved.written ? undefined : saved.warning };
  }

  // -----------------------------------------------------------------------------------------
  // History view.
  // -----------------------------------------------------------------------------------------

  private async showHistory(arg?: unknown): Promise<{ ok: boolean; runs?: number; error?: string }> {
    const uri = this.uriFor(arg);
    if (!uri || uri.scheme !== 'file') {
      void vscode.window.showInformationMessage('MixVarGENet: open a config file to see its HAT results history.');
      return { ok: false, error: 'no config' };
    }
    await this.load(this.rootOf(uri.fsPath));
    const n = this.history.show(uri.fsPath);
    return { ok: true, runs: n };
  }

  // -----------------------------------------------------------------------------------------
  // Decorations.
  // -----------------------------------------------------------------------------------------

  private refreshSoon(ms = 100): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.refresh();
    }, ms);
  }

  private inlineFor(doc: vscode.TextDocument): { line: number; text: string; hover: string } | undefined {
    if (doc.uri.scheme !== 'file' || doc.languageId !== 'python') return undefined;
    const file = doc.uri.fsPath;
    if (!hatSettings(doc.uri, 'calibration').inlineResults) return undefined;
    const { root, key } = this.keyOf(file);
    const st = this.stores.get(root);
    if (!st) {
      void this.load(root).then(() => this.refreshSoon());
      return undefined;
    }
    const runs = runsFor(st.store, key);
    const running = [...this.runs.values()].filter((r) => r.config === file);
    if (!runs.length && !running.length) return undefined;
    const line = summaryLine(doc.getText()) ?? 0;
    const now = new Date();
    const latest = latestResults(runs);
    let text = formatSummary(latest, now);
    for (const r of running) text += `${text ? ' · ' : ''}${r.stage} running${r.fraction !== undefined ? ` ${Math.round(r.fraction * 100)}%` : ''}${r.eta ? ` (${r.eta})` : '…'}`;
    let hover = formatHover(latest, runs, now);
    hover += `\n\n[Show the history chart](command:mixvargenet.hat.showHistory?${encodeURIComponent(JSON.stringify([{ uri: doc.uri.toString() }]))})`;
    if (st.error) hover += `\n\n_${st.error}_`;
    return { line, text, hover };
  }

  private refresh(): void {
    for (const ed of vscode.window.visibleTextEditors) {
      let info: ReturnType<HatTasks['inlineFor']>;
      try {
        info = this.inlineFor(ed.document);
      } catch (e) {
        this.log.error(`hat: decoration failed: ${e instanceof Error ? e.message : String(e)}`);
        info = undefined;
      }
      if (!info || info.line >= ed.document.lineCount) {
        ed.setDecorations(this.decoration, []);
        continue;
      }
      const end = ed.document.lineAt(info.line).range.end;
      const hover = new vscode.MarkdownString(info.hover);
      hover.isTrusted = { enabledCommands: ['mixvargenet.hat.showHistory'] };
      ed.setDecorations(this.decoration, [{ range: new vscode.Range(end, end), hoverMessage: hover, renderOptions: { after: { contentText: info.text } } }]);
    }
  }

  /** Internal (tests): what the inline decoration, the store and the diagnostics of a config say. */
  private async state(uri?: string): Promise<unknown> {
    const u = uri ? vscode.Uri.parse(uri) : vscode.window.activeTextEditor?.document.uri;
    if (!u || u.scheme !== 'file') return undefined;
    const { root, key, storeFile } = this.keyOf(u.fsPath);
    const st = await this.load(root);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === u.toString());
    const info = doc ? this.inlineFor(doc) : undefined;
    return {
      storeFile,
      key,
      storeError: st.error,
      runs: runsFor(st.store, key).length,
      inline: info,
      running: [...this.runs.values()].filter((r) => r.config === u.fsPath).map((r) => ({ stage: r.stage, eta: r.eta, fraction: r.fraction })),
      diagnostics: this.diagnostics.get(u)?.map((d) => ({ line: d.range.start.line, message: d.message, source: d.source })) ?? [],
      history: this.history.state(),
    };
  }

  dispose(): void {
    clearInterval(this.ticker);
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const r of this.runs.values()) r.stop();
    this.runs.clear();
    for (const s of this.subs) s.dispose();
  }
}

/** Keep the newest `keep` run logs of the extension's own log folder. */
async function pruneLogs(dir: string, keep: number): Promise<void> {
  try {
    const names = (await fs.promises.readdir(dir)).filter((n) => n.endsWith('.log'));
    if (names.length <= keep) return;
    const withTime = await Promise.all(names.map(async (n) => ({ n, t: (await fs.promises.stat(path.join(dir, n))).mtimeMs })));
    withTime.sort((a, b) => b.t - a.t);
    for (const { n } of withTime.slice(keep)) await fs.promises.rm(path.join(dir, n), { force: true });
  } catch {
    /* best effort */
  }
}

export function registerTasks(context: vscode.ExtensionContext, manager: AnalysisManager, log: vscode.LogOutputChannel): vscode.Disposable {
  return new HatTasks(context, manager, log);
}
