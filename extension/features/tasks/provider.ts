/**
 * The "hat" task type and the run commands: every stage of MIXVARGENET.md §1 as a task (for the configs open in
 * editors, and any `tasks.json` entry), and the palette / menu commands that run one and resolve with its outcome.
 * A task runs through a CustomExecution whose pseudoterminal shows the live log (a ProcessExecution's output is
 * not visible to extensions); the run itself is `execute`, given by the caller.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { type StageId, STAGES, stageSpec } from '../../core/hat';
import { isObject, type RunArgs, type RunOutcome, UNTRUSTED, uriFor } from './args';
import { HatPty } from './capture';
import type { SetupProblem } from './run';
import { showSetupProblem } from './setup';

export const TASK_TYPE = 'hat';
export const TASK_SOURCE = 'MixVarGENet HAT';

export interface HatTaskDefinition extends vscode.TaskDefinition {
  type: 'hat';
  stage: StageId;
  /** The config file (absolute, or relative to the workspace folder; `${file}` works in tasks.json). Default: the active editor. */
  config?: string;
  /** Follow this already submitted Slurm job instead of starting a run. */
  jobId?: string;
}

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

/** One run of a task, in its pseudoterminal. */
export type Execute = (def: HatTaskDefinition, opts: RunArgs, pty: HatPty, folder?: vscode.WorkspaceFolder) => Promise<RunOutcome>;

/** Whether a run can start (undefined) or why not: checked by the run commands before any terminal opens. */
export type Precheck = (def: HatTaskDefinition, folder?: vscode.WorkspaceFolder) => Promise<SetupProblem | undefined>;

/** How long a run started by a command waits for VS Code to call its CustomExecution before it is ignored. */
const PENDING_MS = 5 * 60_000;

/** VS Code's own `task.saveBeforeRun` ("always" | "never" | "prompt"). */
function saveBeforeRun(scope: vscode.Uri): string {
  return vscode.workspace.getConfiguration('task', scope).get<string>('saveBeforeRun', 'always');
}

/** The config a task names: absolute, or relative to the task's own workspace folder (multi-root), else the first. */
export function configPathOf(def: HatTaskDefinition, folder?: vscode.WorkspaceFolder): string | undefined {
  const c = typeof def.config === 'string' ? def.config.trim() : '';
  if (!c) {
    const d = vscode.window.activeTextEditor?.document;
    return d && d.uri.scheme === 'file' ? d.uri.fsPath : undefined;
  }
  if (path.isAbsolute(c)) return c;
  const base = folder ?? vscode.workspace.workspaceFolders?.[0];
  return base ? path.resolve(base.uri.fsPath, c) : undefined;
}

function pendingKey(stage: string | undefined, config: string | undefined): string | undefined {
  return stage && config ? `${stage}\0${path.resolve(config)}` : undefined;
}

export class HatTaskProvider implements vscode.Disposable {
  private readonly subs: vscode.Disposable[];
  /**
   * Runs started by our commands, waiting for VS Code to call a CustomExecution (by stage + config path).
   * VS Code keeps one execution per task id, and a task the provider returns for the same definition has the same
   * id: when the task service asks the provider for tasks while ours starts (it does, e.g. after saveBeforeRun),
   * the provided task's callback is the one called. So the run's options and its completion travel through here,
   * not through the closure of the task object the command created.
   */
  private readonly pending = new Map<string, { opts: RunArgs; onEnd: (o: RunOutcome) => void; at: number }>();

  constructor(
    private readonly isConfig: (doc: vscode.TextDocument) => boolean,
    private readonly execute: Execute,
    private readonly precheck: Precheck,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subs = [
      vscode.tasks.registerTaskProvider(TASK_TYPE, {
        provideTasks: () => this.provideTasks(),
        resolveTask: (t) => this.resolveTask(t),
      }),
      ...RUN_COMMANDS.map(([cmd, stage]) => vscode.commands.registerCommand(cmd, (arg?: unknown) => this.runCommand(stage, arg))),
      vscode.commands.registerCommand('mixvargenet.hat.runStage', (arg?: unknown) => this.runStageCommand(arg)),
    ];
  }

  private provideTasks(): vscode.Task[] {
    if (!vscode.workspace.isTrusted) return [];
    const docs = new Map<string, vscode.TextDocument>();
    const active = vscode.window.activeTextEditor?.document;
    for (const d of [active, ...vscode.window.visibleTextEditors.map((e) => e.document)]) {
      if (d && d.uri.scheme === 'file' && this.isConfig(d)) docs.set(d.uri.fsPath, d);
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
    const name = `${spec?.title.replace(/^Run /, '') ?? def.stage}${def.config ? ` — ${path.basename(def.config)}` : ''}${def.jobId ? ` (Slurm job ${def.jobId})` : ''}`;
    const exec = new vscode.CustomExecution(async (resolved) => {
      const full = { ...(def as object), ...(resolved as object) } as HatTaskDefinition;
      const folder = typeof scope === 'object' ? scope : undefined;
      // A run our command started (whichever task object VS Code calls back): its options and completion.
      const key = pendingKey(full.stage, configPathOf(full, folder));
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

  async runCommand(stage: StageId, arg?: unknown): Promise<RunOutcome> {
    const args: RunArgs = isObject(arg) ? (arg as RunArgs) : {};
    if (!vscode.workspace.isTrusted) {
      if (!args.silent) void vscode.window.showWarningMessage(UNTRUSTED);
      return { ok: false, error: UNTRUSTED };
    }
    const uri = uriFor(arg);
    if (!uri || uri.scheme !== 'file') {
      const error = 'open a MixVarGENet config file (a local .py file) to run HAT on it';
      if (!args.silent) void vscode.window.showInformationMessage(`MixVarGENet: ${error}.`);
      return { ok: false, error };
    }
    const unsaved = await this.unsavedChanges(uri, args);
    if (unsaved) return unsaved;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    // A setup problem is said here, before a task exists: no terminal opens only to fail.
    const problem = await this.precheck({ type: 'hat', stage, config: uri.fsPath }, folder);
    if (problem) {
      this.log.warn(`hat: ${problem.error}`);
      if (!args.silent) showSetupProblem(problem, uri, () => this.runCommand(stage, uri));
      return { ok: false, error: problem.error };
    }
    return new Promise<RunOutcome>((resolve) => {
      const key = pendingKey(stage, uri.fsPath)!;
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

  /**
   * HAT reads the file on disk. Every task run (ours, "Tasks: Run Task", a rerun) goes through VS Code's
   * `task.saveBeforeRun`: "always" (the default) saves every dirty editor first and "prompt" asks, so only
   * with "never" would an unsaved config silently run its saved version — then we ask. Returns why not to run.
   */
  private async unsavedChanges(uri: vscode.Uri, args: RunArgs): Promise<RunOutcome | undefined> {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!doc?.isDirty || saveBeforeRun(uri) !== 'never') return undefined;
    if (args.silent) return { ok: false, error: 'the config has unsaved changes and task.saveBeforeRun is "never" (HAT reads the file on disk)' };
    const pick = await vscode.window.showWarningMessage(
      `MixVarGENet: ${path.basename(uri.fsPath)} has unsaved changes; HAT reads the file on disk (and task.saveBeforeRun is "never").`,
      'Save and Run',
      'Run the Saved Version',
    );
    if (!pick) return { ok: false, error: 'cancelled' };
    if (pick === 'Save and Run' && !(await doc.save())) return { ok: false, error: 'could not save' };
    return undefined;
  }

  /** Follow an already submitted Slurm job in a task terminal of its own (a window reloaded while it ran). */
  follow(def: HatTaskDefinition, folder: vscode.WorkspaceFolder | undefined, opts: RunArgs): Thenable<vscode.TaskExecution> {
    return vscode.tasks.executeTask(this.makeTask(def, folder ?? vscode.TaskScope.Workspace, opts));
  }

  private async runStageCommand(arg?: unknown): Promise<RunOutcome | undefined> {
    const items = STAGES.map((s) => ({ label: s.title, description: s.description, detail: `python3 ${s.script}${s.hatStage ? ` --stage ${s.hatStage}` : ''}`, stage: s.id }));
    const pick = await vscode.window.showQuickPick(items, { title: 'MixVarGENet: run a HAT stage on this config', matchOnDescription: true });
    return pick ? this.runCommand(pick.stage, arg) : undefined;
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}
