/**
 * One HAT run, from the task's definition to its stored record: the command (argv array, no shell, in its own
 * process group: stopping a run stops the tree; only in a trusted workspace), its output (capture.ts), the
 * record parsed from it, a failure as a diagnostic on the config line it points to, and the notification.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildCommand, type BuildInput, type Eta, findScriptsDir, type JobInfo, locateFailure, type PythonChoice, recordFromReport, type StageId, STAGES, type StageSpec, stageSpec } from '../../core/hat';
import { parseLog } from '../../core/logs/parse';
import { HAT_SECTION, type HatSettings, hatSettings } from '../../host/settings';
import { type RunArgs, type RunOutcome, UNTRUSTED } from './args';
import { type HatPty, showProgress } from './capture';
import { OutputCapture, pruneLogs, RunLog } from '../../run/output';
import { activeJobEntry, type FollowedJob, followJob, jobFolder, jobName, jobOutcome, onPath, prepareJob, submitJob, thisProcess } from '../../run/slurm';
import { cannotStart, configTextOf, failureDiagnostic, missingModuleHint } from './failure';
import { nodePath } from '../../run/paths';
import { type ProcessEnd, startProcess } from '../../run/process';
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
  /** A Slurm job: its id and state (`PENDING (Resources)`, `RUNNING on node1, node2`). */
  jobId?: string;
  jobState?: string;
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
  /** What the command was built from (a Slurm job plans its own from it). */
  input: Omit<BuildInput, 'stage'>;
}

/** A started run: its process (or Slurm job), output and log, until it ends. */
interface Started {
  slot: StoreSlot;
  started: Date;
  log: RunLog;
  capture: OutputCapture;
  end: ProcessEnd;
  /** A Slurm job's id and last state. */
  job?: { jobId: string; info?: JobInfo };
}

/** What a run's record and messages need to know about it, whether it was started here or found again. */
interface RunInfo {
  spec: StageSpec;
  config: string;
  scope: vscode.Uri;
  argv: string[];
  cwd: string;
  python?: PythonChoice;
}

export class HatRuns implements vscode.Disposable {
  private readonly runs = new Map<string, ActiveRun>();
  /** Slurm jobs followed by this window (detached, not cancelled, when the window closes). */
  private readonly jobs = new Map<string, FollowedJob>();
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

  /** Stop following every Slurm job (they run on; what a window reload does). Returns their ids. */
  detachAll(): string[] {
    const ids = [...this.jobs.keys()];
    for (const j of this.jobs.values()) j.detach();
    return ids;
  }

  /** Whether this window follows a Slurm job. */
  isFollowing(jobId: string): boolean {
    return this.jobs.has(jobId);
  }

  /** Run a task in its pseudoterminal; resolves when it has ended and its record is stored. */
  async execute(def: HatTaskDefinition, opts: RunArgs, pty: HatPty, taskFolder?: vscode.WorkspaceFolder): Promise<RunOutcome> {
    if (typeof def.jobId === 'string' && def.jobId) return this.attach(def, opts, pty, taskFolder);
    const prep = await this.prepare(def, opts, pty, taskFolder);
    if ('ok' in prep) return prep;
    if (prep.settings.launcher === 'slurm') return this.submit(prep, opts, pty);
    const run = await this.run(prep, opts, pty);
    if (run.end.spawnError) {
      const { built, settings, python } = prep;
      const msg = cannotStart(run.end.spawnError, built.argv[0], python, settings.commandPrefix.length > 0);
      run.log.end(`\n${msg}\n`);
      this.refreshSoon();
      return this.fail(pty, opts, msg, settings.commandPrefix.length ? `${HAT_SECTION}.commandPrefix` : `${HAT_SECTION}.python`);
    }
    return this.finish({ ...prep, argv: prep.built.argv, cwd: prep.built.cwd }, run, opts, pty);
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
    const input: Omit<BuildInput, 'stage'> = {
      scriptsDir: found.dir,
      python: python.command,
      prefix: settings.commandPrefix,
      config,
      options: settings.stage,
      sep: path.sep as '/' | '\\',
      vars: folder ? { workspaceFolder: folder } : {},
    };
    const built = buildCommand({ stage: spec.id, ...input });
    if (!built.ok) return problem(`MixVarGENet: ${built.error}`, `${HAT_SECTION}.stages`);
    if (settings.launcher === 'slurm' && !onPath('sbatch')) {
      return problem(
        `MixVarGENet: sbatch was not found on PATH (${process.env.PATH ?? ''}), and mixvargenet.hat.launcher is "slurm". VS Code's extension host must run where the Slurm client works: on the cluster's login node (connect with Remote-SSH), or any host with sbatch, squeue, scontrol and scancel. Or set mixvargenet.hat.launcher to "local".`,
        `${HAT_SECTION}.launcher`,
        undefined,
        'the Slurm launcher needs sbatch on PATH where VS Code runs (the login node, through Remote-SSH).',
      );
    }
    if (!settings.commandPrefix.length && !nodePath.isFile(path.join(found.dir, spec.script))) {
      return problem(
        `MixVarGENet: ${spec.script} is not in HAT's scripts folder ${found.dir} (this HAT release may not have the ${spec.label} stage). Check mixvargenet.hat.scriptsDir.`,
        `${HAT_SECTION}.scriptsDir`,
        'scriptsDir',
      );
    }
    return { spec, config, scope, settings, python, built, input };
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

  /**
   * A run's live output: into its terminal, its log and the capture for the parsers, whose ETA updates the run (the
   * inline text) and its progress notification (`progress.report`, set once the notification exists).
   */
  private liveOutput(active: ActiveRun, pty: HatPty, log: RunLog): { capture: OutputCapture; onData(chunk: string): void; progress: { report?: (e: Eta) => void; haveEta: boolean } } {
    const progress: { report?: (e: Eta) => void; haveEta: boolean } = { haveEta: false };
    const capture = new OutputCapture(active.startedAt, (e) => {
      progress.haveEta = true;
      active.eta = e.text;
      active.fraction = e.fraction;
      progress.report?.(e);
      this.refreshSoon(500);
    });
    const onData = (chunk: string) => {
      pty.write(chunk);
      log.write(chunk);
      capture.push(chunk);
    };
    return { capture, onData, progress };
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

    const active: ActiveRun = { stage: spec.id, config, startedAt: started.getTime(), stop: () => proc.stop() };
    const live = this.liveOutput(active, pty, log);
    const { capture } = live;
    const proc = startProcess(built.argv, { cwd: built.cwd, env: { ...process.env, PYTHONUNBUFFERED: '1', ...built.env }, onData: live.onData });
    pty.onStop = () => proc.stop();
    this.runs.set(runKey, active);
    this.runsChanged.fire(config);
    this.refreshSoon();
    const title = `MixVarGENet: ${spec.label === spec.id ? spec.id : spec.title.replace(/^Run /, '')} — ${path.basename(config)}`;
    live.progress.report = showProgress(title, opts.silent, proc);

    const end = await proc.done;
    capture.flush();
    if (this.runs.get(runKey) === active) this.runs.delete(runKey);
    this.runsChanged.fire(config);
    return { slot, started, log, capture, end };
  }

  /**
   * A Slurm run: the job's folder (script, launcher) under `.mixvargenet/slurm/`, `sbatch`, the job id at once (in
   * the terminal and the store), then the job followed to its end (followToEnd).
   */
  private async submit(prep: Prepared, opts: RunArgs, pty: HatPty): Promise<RunOutcome> {
    const { spec, config, settings, python, scope } = prep;
    const slot = this.stores.slotOf(config);
    const started = new Date();
    const files = jobFolder(slot.root, config, spec.id, started);
    const job = await prepareJob(files, { ...prep.input, spec, slurm: settings.slurm, jobName: jobName(spec.id, config) });
    if (!job.ok) return this.fail(pty, opts, `MixVarGENet: ${job.error}`, `${HAT_SECTION}.slurm.nodes`);
    const { plan } = job;
    const runKey = `${config}|${spec.id}`;
    this.runs.get(runKey)?.stop();
    pty.write(`> ${plan.display}\n  (${plan.nodes} node(s), ${plan.tasks} process(es); job folder ${files.dir}; no shell)\n\n`);
    const sub = await submitJob(plan);
    if (!sub.ok) return this.fail(pty, opts, `MixVarGENet: the Slurm job could not be submitted: ${sub.error}`, `${HAT_SECTION}.launcher`);
    const log = new RunLog(slot.root, config, spec.id, started);
    const entry = activeJobEntry({ root: slot.root, key: slot.key, stage: spec.id, jobId: sub.jobId, submitted: started, files, log: log.ok ? log.rel : undefined, command: plan.command, cwd: plan.cwd });
    const remembered = await this.stores.rememberJob(slot, entry);
    if (remembered.warning) this.log.warn(`hat: ${remembered.warning}`);
    const head = `Submitted batch job ${sub.jobId}\n`;
    pty.write(`\x1b[1m${head}\x1b[0m`);
    log.write(`> ${plan.display}\n\n${head}`);
    this.log.info(`hat: ${spec.id} ${vscode.workspace.asRelativePath(config)}: Slurm job ${sub.jobId}`);
    return this.followToEnd({ spec, config, scope, argv: plan.command, cwd: plan.cwd, python }, { slot, started, log, output: files.output, jobId: sub.jobId }, opts, pty);
  }

  /** Follow a Slurm job submitted earlier (a task with "jobId": a reloaded window, or tasks.json). */
  private async attach(def: HatTaskDefinition, opts: RunArgs, pty: HatPty, taskFolder?: vscode.WorkspaceFolder): Promise<RunOutcome> {
    if (!vscode.workspace.isTrusted) return this.fail(pty, opts, UNTRUSTED);
    const spec = stageSpec(def.stage);
    const config = configPathOf(def, taskFolder);
    if (!spec || !config) return this.fail(pty, opts, `MixVarGENet: a task following Slurm job ${def.jobId} needs its "stage" and "config"`);
    const jobId = String(def.jobId);
    if (this.jobs.has(jobId)) return this.fail(pty, opts, `MixVarGENet: Slurm job ${jobId} is already followed in this window`);
    const slot = this.stores.slotOf(config);
    const stored = (await this.stores.load(slot.root)).store.jobs?.find((j) => j.jobId === jobId);
    const started = stored ? new Date(stored.submittedAt) : new Date();
    const output = stored ? path.join(slot.root, ...stored.output.split('/')) : undefined;
    if (!stored || !output) return this.fail(pty, opts, `MixVarGENet: Slurm job ${jobId} is not in ${slot.storeFile} (it was recorded already, or not submitted from here)`);
    await this.stores.rememberJob(slot, { ...stored, owner: thisProcess() });
    const log = new RunLog(slot.root, config, spec.id, started);
    const head = `Following Slurm job ${jobId} again (submitted ${started.toLocaleString()})\n`;
    pty.write(`\x1b[1m${head}\x1b[0m`);
    log.write(head);
    this.log.info(`hat: following Slurm job ${jobId} (${spec.id} ${vscode.workspace.asRelativePath(config)}) again`);
    return this.followToEnd({ spec, config, scope: vscode.Uri.file(config), argv: stored.command ?? [], cwd: stored.cwd ?? path.dirname(config) }, { slot, started, log, output, jobId }, opts, pty);
  }

  /** The job's state and output, live in the terminal, the log and the progress notification, then its record. */
  private async followToEnd(info: RunInfo, j: { slot: StoreSlot; started: Date; log: RunLog; output: string; jobId: string }, opts: RunArgs, pty: HatPty): Promise<RunOutcome> {
    const { spec, config } = info;
    const runKey = `${config}|${spec.id}`;
    this.diagnostics.delete(info.scope);
    const active: ActiveRun = { stage: spec.id, config, startedAt: j.started.getTime(), jobId: j.jobId, jobState: 'submitted', stop: () => followed.stop() };
    const live = this.liveOutput(active, pty, j.log);
    const { capture, progress } = live;
    const followed = followJob(j.jobId, {
      output: j.output,
      onData: live.onData,
      onState: (_info, text) => {
        active.jobState = text;
        const line = `[slurm] job ${j.jobId}: ${text}\n`;
        pty.write(`\x1b[2m${line}\x1b[0m`);
        j.log.write(line);
        if (!progress.haveEta) progress.report?.({ text: `job ${j.jobId} ${text}` });
        this.refreshSoon();
      },
    });
    this.jobs.set(j.jobId, followed);
    pty.onStop = () => followed.stop();
    this.runs.set(runKey, active);
    this.refreshSoon();
    const title = `MixVarGENet: ${spec.label === spec.id ? spec.id : spec.title.replace(/^Run /, '')} — ${path.basename(config)} (Slurm job ${j.jobId})`;
    progress.report = showProgress(title, opts.silent, { stop: () => followed.stop(), done: followed.done });
    progress.report({ text: `job ${j.jobId} submitted` });
    const end = await followed.done;
    capture.flush();
    if (this.jobs.get(j.jobId) === followed) this.jobs.delete(j.jobId);
    if (this.runs.get(runKey) === active) this.runs.delete(runKey);
    if (end.detached) {
      j.log.end('');
      pty.end(0);
      this.refreshSoon();
      return { ok: false, error: `detached from Slurm job ${j.jobId} (it keeps running)`, jobId: j.jobId };
    }
    if (end.error) {
      const line = `[slurm] ${end.error}\n`;
      pty.write(`\x1b[33m${line}\x1b[0m`);
      j.log.write(line);
    }
    const o = jobOutcome(end);
    const run: Started = { slot: j.slot, started: j.started, log: j.log, capture, end: { code: o.code, stopped: o.stopped }, job: { jobId: j.jobId, info: end.info } };
    return this.finish(info, run, opts, pty);
  }

  /** The run's record (stored), its failure as a diagnostic, the terminal's last line and the notification. */
  private async finish(prep: RunInfo, run: Started, opts: RunArgs, pty: HatPty): Promise<RunOutcome> {
    const { spec, config, python } = prep;
    const built = { argv: prep.argv, cwd: prep.cwd };
    const { end, log, job } = run;
    const ended = new Date();
    const report = parseLog(run.capture.text());
    const hint = python ? missingModuleHint(report, python) : undefined;
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
      launcher: job ? 'slurm' : 'local',
      jobId: job?.jobId,
      jobState: job?.info?.state,
      nodes: job?.info?.nodes,
    });
    const where_ = job ? `job ${job.jobId} ${job.info?.state ?? 'state unknown'}${job.info?.nodes.length ? ` on ${job.info.nodes.join(', ')}` : ''}, ` : '';
    const footer = `\n[${record.status}, ${where_}${end.code !== null ? `exit code ${end.code}` : end.signal ? `${end.signal}` : 'no exit code'} after ${((ended.getTime() - run.started.getTime()) / 1000).toFixed(1)} s]\n`;
    pty.write(`\x1b[2m${footer}\x1b[0m`);
    log.end(footer);
    if (where && report.failure) this.diagnostics.set(prep.scope, [failureDiagnostic(spec.id, report.failure, where.line, configText, built.cwd)]);

    const { saved, summary } = job ? await this.stores.appendJob(run.slot, job.jobId, record) : await this.stores.append(run.slot, record);
    void pruneLogs(path.dirname(log.file), 200);
    if (saved.warning) {
      this.log.warn(`hat: ${saved.warning}`);
      if (!opts.silent) void vscode.window.showWarningMessage(notificationText(`MixVarGENet: ${saved.warning}`));
    }
    pty.end(record.status === 'ok' ? 0 : end.code && end.code > 0 ? end.code : 1);

    const outcome: RunOutcome = { ok: record.status === 'ok', status: record.status, record, argv: built.argv, summary, storeWarning: saved.warning, jobId: job?.jobId };
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
    // A Slurm job runs on without this window: stop following it (a reloaded window follows it again).
    for (const j of this.jobs.values()) j.detach();
    this.jobs.clear();
    for (const r of this.runs.values()) if (!r.jobId) r.stop();
    this.runs.clear();
    this.diagnostics.dispose();
    this.runsChanged.dispose();
  }
}
