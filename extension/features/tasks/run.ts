/**
 * One HAT run, from the task's definition to its stored record: the command (argv array, no shell, in its own
 * process group: stopping a run stops the tree; only in a trusted workspace), its output (capture.ts), the
 * record parsed from it, a failure as a diagnostic on the config line it points to, and the notification.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildCommand, findScriptsDir, locateFailure, type PythonChoice, recordFromReport, type StageId, STAGES, type StageSpec, stageSpec } from '../../core/hat';
import { parseLog } from '../../core/logs/parse';
import { HAT_SECTION, type HatSettings, hatSettings } from '../../host/settings';
import { type RunArgs, type RunOutcome, UNTRUSTED } from './args';
import { type HatPty, OutputCapture, pruneLogs, RunLog, showProgress } from './capture';
import { cannotStart, configTextOf, failureDiagnostic, missingModuleHint } from './failure';
import { nodePath } from './paths';
import { type ProcessEnd, startProcess } from './process';
import { configPathOf, type HatTaskDefinition } from './provider';
import { resolvePython } from './python';
import type { ResultStores, StoreSlot } from './stores';
import { notificationText } from '../../core/markdown';
import { showSetupProblem } from './setup';

/** Why a run cannot start, the setting that fixes it, and whether a folder picker can fix it at once. */
export interface SetupProblem {
  /** The whole story: what is wrong, what was tried, the setting that fixes it (the terminal, the log, the outcome). */
  error: string;
  /** One short sentence for the notification (the rest behind its "Details" button). */
  headline?: string;
  setting?: string;
  fix?: 'scriptsDir';
}

/** A run in progress (shown inline with its ETA). */
export interface ActiveRun {
  stage: StageId;
  config: string;
  startedAt: number;
  eta?: string;
  fraction?: number;
  stop(): void;
}

/** A run that can start: its stage, config, settings and command. */
interface Prepared {
  spec: StageSpec;
  config: string;
  scope: vscode.Uri;
  settings: HatSettings;
  python: PythonChoice;
  built: Extract<ReturnType<typeof buildCommand>, { ok: true }>;
}

/** A started run: its process, output and log, until it ends. */
interface Started {
  slot: StoreSlot;
  started: Date;
  log: RunLog;
  capture: OutputCapture;
  end: ProcessEnd;
}

export class HatRuns implements vscode.Disposable {
  private readonly runs = new Map<string, ActiveRun>();
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('mixvargenet-hat');
  private readonly runsChanged = new vscode.EventEmitter<string>();
  /** A run started or ended on a config (its path): the configs view shows "running". */
  readonly onDidChangeRuns = this.runsChanged.event;

  /** `refreshSoon`: redraw the inline results (a run started or ended, or its ETA changed). */
  constructor(
    private readonly stores: ResultStores,
    private readonly log: vscode.LogOutputChannel,
    private readonly refreshSoon: (ms?: number) => void,
  ) {}

  /** The runs in progress on a config. */
  runningOn(config: string): ActiveRun[] {
    return [...this.runs.values()].filter((r) => r.config === config);
  }

  diagnosticsOf(uri: vscode.Uri): readonly vscode.Diagnostic[] | undefined {
    return this.diagnostics.get(uri);
  }

  /** Run a task in its pseudoterminal; resolves when it has ended and its record is stored. */
  async execute(def: HatTaskDefinition, opts: RunArgs, pty: HatPty, taskFolder?: vscode.WorkspaceFolder): Promise<RunOutcome> {
    const prep = await this.prepare(def, opts, pty, taskFolder);
    if ('ok' in prep) return prep;
    const run = await this.run(prep, opts, pty);
    if (run.end.spawnError) {
      const { built, settings, python } = prep;
      const msg = cannotStart(run.end.spawnError, built.argv[0], python, settings.commandPrefix.length > 0);
      run.log.end(`\n${msg}\n`);
      this.refreshSoon();
      return this.fail(pty, opts, msg, settings.commandPrefix.length ? `${HAT_SECTION}.commandPrefix` : `${HAT_SECTION}.python`);
    }
    return this.finish(prep, run, opts, pty);
  }

  /** A setup problem: in the terminal, the log and an error notification (with the way to fix it, if any). */
  private fail(pty: HatPty, opts: RunArgs, error: string, setting?: string, fix?: SetupProblem['fix']): RunOutcome {
    pty.write(`\x1b[31m${error}\x1b[0m\n`);
    pty.end(1);
    this.log.warn(`hat: ${error}`);
    if (!opts.silent) showSetupProblem({ error, setting, fix }, undefined);
    return { ok: false, error };
  }

  /** Check everything a run needs and build its command; a problem ends the run here (in its terminal). */
  private async prepare(def: HatTaskDefinition, opts: RunArgs, pty: HatPty, taskFolder?: vscode.WorkspaceFolder): Promise<Prepared | RunOutcome> {
    const r = await this.check(def, taskFolder);
    return 'problem' in r ? this.fail(pty, opts, r.problem.error, r.problem.setting, r.problem.fix) : r;
  }

  /**
   * What a run needs, checked before anything starts: trust, the stage, the config file, HAT's scripts folder, the
   * Python and the command. The run commands call it before they create a task, so a setup problem is one
   * notification with a way to fix it, and no terminal opens only to fail.
   */
  async check(def: HatTaskDefinition, taskFolder?: vscode.WorkspaceFolder): Promise<Prepared | { problem: SetupProblem }> {
    const problem = (error: string, setting?: string, fix?: SetupProblem['fix'], headline?: string) => ({ problem: { error, setting, fix, headline } });
    if (!vscode.workspace.isTrusted) return problem(UNTRUSTED);
    const spec = stageSpec(def.stage);
    if (!spec) return problem(`unknown HAT stage '${String(def.stage)}' (one of ${STAGES.map((s) => s.id).join(', ')})`);
    const config = configPathOf(def, taskFolder);
    if (!config) return problem('no config file: open one, or give "config" in the task definition');
    try {
      if (!(await fs.promises.stat(config)).isFile()) throw new Error('not a file');
    } catch {
      return problem(`the config file ${config} does not exist`);
    }
    const scope = vscode.Uri.file(config);
    const settings = hatSettings(scope, spec.id);
    const folder = vscode.workspace.getWorkspaceFolder(scope)?.uri.fsPath;
    const found = findScriptsDir({ config, setting: settings.scriptsDir, workspaceFolder: folder, home: process.env.HOME }, nodePath);
    if (!found.ok) {
      const tried = found.tried.length > 6 ? [...found.tried.slice(0, 3), '…', ...found.tried.slice(-2)] : found.tried;
      const headline = settings.scriptsDir ? `the HAT scripts folder set in mixvargenet.hat.scriptsDir has no tools/train.py.` : `HAT's scripts folder was not found for ${path.basename(config)}.`;
      return problem(`MixVarGENet: ${found.message} (looked for: ${tried.join(', ')})`, `${HAT_SECTION}.scriptsDir`, 'scriptsDir', headline);
    }
    const python = await resolvePython(scope, settings.python);
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
    if (!built.ok) return problem(`MixVarGENet: ${built.error}`, `${HAT_SECTION}.stages`);
    if (!settings.commandPrefix.length && !nodePath.isFile(path.join(found.dir, spec.script))) {
      return problem(
        `MixVarGENet: ${spec.script} is not in HAT's scripts folder ${found.dir} (this HAT release may not have the ${spec.label} stage). Check mixvargenet.hat.scriptsDir.`,
        `${HAT_SECTION}.scriptsDir`,
        'scriptsDir',
      );
    }
    return { spec, config, scope, settings, python, built };
  }

  /** The header of the run's output: the command, where and with which Python it runs. */
  private header(prep: Prepared): string {
    const { built, python, config } = prep;
    // "Run the Saved Version", or task.saveBeforeRun "never"/declined: say which version HAT reads.
    const unsaved = vscode.workspace.textDocuments.some((d) => d.uri.scheme === 'file' && d.uri.fsPath === config && d.isDirty);
    return (
      `> ${built.display}\n  (cwd ${built.cwd}; python: ${python.source === 'default' ? 'python3 on PATH' : python.source === 'setting' ? 'mixvargenet.hat.python' : "the Python extension's interpreter"}; no shell)\n` +
      (unsaved ? `  note: ${path.basename(config)} has unsaved changes; HAT runs the version saved on disk.\n` : '') +
      '\n'
    );
  }

  /** Start the process (stopping an earlier run of the same stage and config) and follow its output until it ends. */
  private async run(prep: Prepared, opts: RunArgs, pty: HatPty): Promise<Started> {
    const { spec, config, built } = prep;
    const slot = this.stores.slotOf(config);
    const runKey = `${config}|${spec.id}`;
    this.runs.get(runKey)?.stop();
    this.diagnostics.delete(prep.scope);
    const started = new Date();
    const log = new RunLog(slot.root, config, spec.id, started);
    const header = this.header(prep);
    pty.write(header);
    log.write(header);
    this.log.info(`hat: ${spec.id} ${vscode.workspace.asRelativePath(config)}: ${built.display}`);

    let reportEta: ((e: { text: string; fraction?: number }) => void) | undefined;
    const active: ActiveRun = { stage: spec.id, config, startedAt: started.getTime(), stop: () => proc.stop() };
    const capture = new OutputCapture(started.getTime(), (e) => {
      active.eta = e.text;
      active.fraction = e.fraction;
      reportEta?.(e);
      this.refreshSoon(500);
    });
    const proc = startProcess(built.argv, {
      cwd: built.cwd,
      env: { ...process.env, PYTHONUNBUFFERED: '1', ...built.env },
      onData: (chunk) => {
        pty.write(chunk);
        log.write(chunk);
        capture.push(chunk);
      },
    });
    pty.onStop = () => proc.stop();
    this.runs.set(runKey, active);
    this.runsChanged.fire(config);
    this.refreshSoon();
    const title = `MixVarGENet: ${spec.label === spec.id ? spec.id : spec.title.replace(/^Run /, '')} — ${path.basename(config)}`;
    reportEta = showProgress(title, opts.silent, proc);

    const end = await proc.done;
    capture.flush();
    if (this.runs.get(runKey) === active) this.runs.delete(runKey);
    this.runsChanged.fire(config);
    return { slot, started, log, capture, end };
  }

  /** The run's record (stored), its failure as a diagnostic, the terminal's last line and the notification. */
  private async finish(prep: Prepared, run: Started, opts: RunArgs, pty: HatPty): Promise<RunOutcome> {
    const { spec, config, built, python } = prep;
    const { end, log } = run;
    const ended = new Date();
    const report = parseLog(run.capture.text());
    const hint = missingModuleHint(report, python);
    const configText = await configTextOf(config);
    const where = report.failure && !end.stopped ? locateFailure(report.failure, config, configText, built.cwd, path.resolve) : undefined;
    const record = recordFromReport(report, {
      stage: spec.id,
      started: run.started,
      ended,
      exitCode: end.code,
      cancelled: end.stopped,
      command: built.argv,
      cwd: built.cwd,
      log: log.ok ? log.rel : undefined,
      failureLine: where ? where.line + 1 : undefined,
      failureHint: hint,
    });
    const footer = `\n[${record.status}${end.code !== null ? `, exit code ${end.code}` : end.signal ? `, ${end.signal}` : ''} after ${((ended.getTime() - run.started.getTime()) / 1000).toFixed(1)} s]\n`;
    pty.write(`\x1b[2m${footer}\x1b[0m`);
    log.end(footer);
    if (where && report.failure) this.diagnostics.set(prep.scope, [failureDiagnostic(spec.id, report.failure, where.line, configText, built.cwd)]);

    const { saved, summary } = await this.stores.append(run.slot, record);
    void pruneLogs(path.dirname(log.file), 200);
    if (saved.warning) {
      this.log.warn(`hat: ${saved.warning}`);
      if (!opts.silent) void vscode.window.showWarningMessage(notificationText(`MixVarGENet: ${saved.warning}`));
    }
    pty.end(record.status === 'ok' ? 0 : end.code && end.code > 0 ? end.code : 1);

    const outcome: RunOutcome = { ok: record.status === 'ok', status: record.status, record, argv: built.argv, summary, storeWarning: saved.warning };
    if (record.status === 'failed') {
      const why = hint ?? (record.failure ? `${record.failure.exception}: ${record.failure.message}` : 'it failed');
      outcome.error = why;
      this.log.warn(`hat: ${spec.id} failed: ${why}`);
      if (!opts.silent) {
        void vscode.window.showErrorMessage(notificationText(`MixVarGENet: ${spec.id} failed — ${why}${where ? ` (config line ${where.line + 1})` : ''}`), ...(log.ok ? ['Open Log'] : [])).then((b) => {
          if (b === 'Open Log') void vscode.window.showTextDocument(vscode.Uri.file(log.file));
        });
      }
    } else if (record.status === 'ok') {
      this.log.info(`hat: ${spec.id} done: ${summary}`);
      if (!opts.silent) void vscode.window.showInformationMessage(notificationText(`MixVarGENet: ${spec.id} finished — ${summary}`));
    } else this.log.info(`hat: ${spec.id} cancelled`);
    return outcome;
  }

  dispose(): void {
    for (const r of this.runs.values()) r.stop();
    this.runs.clear();
    this.diagnostics.dispose();
    this.runsChanged.dispose();
  }
}
