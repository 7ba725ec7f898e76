// HAT tasks in the real VS Code: "Run Calibration" and float predict end to end against the test double of HAT's
// scripts (test/fixtures/hat-scripts, copied to a temp folder), the inline decoration, the results store, the
// literal argv of a nasty config path, a failure as a diagnostic, clear messages, cancellation, board import, history.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, closeAll, EXTENSION_ID, open, readWs, until, withSettings, wsUri } from './lib/ext';
import { alive } from '../../processes';

interface Outcome {
  ok: boolean;
  status?: 'ok' | 'failed' | 'cancelled';
  error?: string;
  argv?: string[];
  summary?: string;
  record?: { stage: string; accuracy?: number; fps?: number; log?: string; command?: string[]; board?: { source: string; fps?: number }; failure?: { exception: string; line?: number } };
}

interface HatState {
  storeFile: string;
  key: string;
  storeError?: string;
  runs: number;
  inline?: { line: number; text: string; hover: string };
  running: { stage: string; eta?: string; fraction?: number }[];
  diagnostics: { line: number; message: string; source?: string }[];
  history: { open: boolean; posted: number; rendered?: { accuracyPoints: number; fpsPoints: number; rows: number } };
}

const state = (uri: vscode.Uri) => vscode.commands.executeCommand<HatState>('mixvargenet.hat._state', uri.toString());
const runStage = (cmd: string, uri: vscode.Uri) => vscode.commands.executeCommand<Outcome>(cmd, { uri: uri.toString(), silent: true });

/** The argv the test double announced in a run's saved log. */
function announcedArgv(logText: string): string[] {
  const line = logText.split(/\r?\n/).find((l) => l.startsWith('HAT-TEST-DOUBLE '));
  assert.ok(line, `the double announced its argv:\n${logText.slice(0, 500)}`);
  return (JSON.parse(line.slice('HAT-TEST-DOUBLE '.length)) as { argv: string[] }).argv;
}

describe('hat tasks: run HAT stages from the editor', function () {
  this.timeout(120_000);
  let scripts: string;
  let py: string;
  let seed: string;

  before(async function () {
    await api();
    if (!vscode.workspace.isTrusted) this.skip();
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    scripts = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-hat-scripts-'));
    fs.cpSync(path.join(ext.extensionPath, 'test', 'fixtures', 'hat-scripts'), scripts, { recursive: true });
    py = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
    seed = await readWs('configs/mixvargenet_imagenet.py');
  });
  after(() => scripts && fs.rmSync(scripts, { recursive: true, force: true }));
  afterEach(closeAll);

  const base = () => ({ 'hat.scriptsDir': scripts, 'hat.python': py });

  it('"Run Calibration" and float predict: numbers inline on the task_name line, history in the hover and the store, a d3 history chart', async () => {
    const { doc } = await open({ content: seed });
    await withSettings({ ...base(), 'hat.stages': { calibration: { env: { HAT_DOUBLE_ACCURACY: '0.6801', HAT_DOUBLE_NOISE_KB: '700' } }, float_predict: { env: { HAT_DOUBLE_ACCURACY: '0.7213' } } } }, async () => {
      const before = await state(doc.uri);
      assert.equal(before.runs, 0);
      assert.equal(before.inline, undefined, 'nothing inline before a run');

      const cal = await runStage('mixvargenet.hat.runCalibration', doc.uri);
      assert.equal(cal.ok, true, cal.error);
      assert.deepEqual(cal.argv, [py, 'tools/train.py', '--config', doc.uri.fsPath, '--stage', 'calibration']);
      assert.equal(cal.record?.accuracy, 0.6801);

      const fp = await runStage('mixvargenet.hat.runFloatPredict', doc.uri);
      assert.equal(fp.ok, true, fp.error);
      assert.equal(fp.argv?.[1], 'tools/predict.py');

      const st = await state(doc.uri);
      const taskLine = doc.getText().split('\n').findIndex((l) => l.startsWith('task_name'));
      assert.ok(taskLine >= 0);
      assert.equal(st.inline?.line, taskLine, 'on the task_name line');
      assert.equal(st.inline?.text, 'float 72.13% · calib 68.01% (float_predict, just now)');
      assert.match(st.inline!.hover, /History \(2 runs/);
      assert.match(st.inline!.hover, /\*\*calibration\*\*: accuracy 68\.01%/);

      // The store: in the workspace, per config, with the command and the numbers.
      assert.equal(st.storeFile, path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, '.mixvargenet', 'results.json'));
      const store = JSON.parse(fs.readFileSync(st.storeFile, 'utf8'));
      assert.equal(store.version, 1);
      const runs = store.configs[st.key] as Outcome['record'][];
      assert.deepEqual(runs.map((r) => r!.stage), ['calibration', 'float_predict']);
      assert.deepEqual(runs[0]!.command, cal.argv);
      // The live log was saved next to it, and the config file itself was not touched.
      const log = fs.readFileSync(path.join(path.dirname(path.dirname(st.storeFile)), runs[0]!.log!), 'utf8');
      assert.match(log, /Validation mixvargenet_imagenet: accuracy\[0\.6801\]/);
      assert.equal(fs.readFileSync(doc.uri.fsPath, 'utf8'), seed);
      assert.equal(doc.isDirty, false);

      // The history view: a real webview that draws the two accuracy points with d3.
      const h = await vscode.commands.executeCommand<{ ok: boolean; runs: number }>('mixvargenet.hat.showHistory', { uri: doc.uri.toString() });
      assert.deepEqual(h, { ok: true, runs: 2 });
      const drawn = await until(async () => (await state(doc.uri)).history.rendered, 'the history chart to render', 20_000);
      assert.deepEqual(drawn, { accuracyPoints: 2, fpsPoints: 0, rows: 2 });
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });
  });

  it('a config path with spaces, quotes, $() and backticks reaches HAT literally', async () => {
    const dirName = `weird dir $(touch pwned) 'q' "dq"`;
    const fileName = `cfg \`touch pwned2\` $HOME 'a' "b".py`;
    const uri = wsUri(`scratch/${dirName}/${fileName}`);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(seed, 'utf8'));
    try {
      const { doc } = await open(vscode.workspace.asRelativePath(uri, false));
      await withSettings(base(), async () => {
        const r = await runStage('mixvargenet.hat.runFloatPredict', doc.uri);
        assert.equal(r.ok, true, r.error);
        const st = await state(doc.uri);
        const log = fs.readFileSync(path.join(path.dirname(path.dirname(st.storeFile)), r.record!.log!), 'utf8');
        assert.deepEqual(announcedArgv(log), ['tools/predict.py', '--config', uri.fsPath, '--stage', 'float']);
        assert.match(st.inline?.text ?? '', /^float \d+\.\d\d% \(float_predict, just now\)$/);
      });
      for (const d of [scripts, path.dirname(uri.fsPath), vscode.workspace.workspaceFolders![0].uri.fsPath]) {
        assert.ok(!fs.existsSync(path.join(d, 'pwned')) && !fs.existsSync(path.join(d, 'pwned2')), `nothing ran in ${d}`);
      }
    } finally {
      await closeAll();
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(uri, '..'), { recursive: true }).then(undefined, () => undefined);
    }
  });

  it('a failed run: the per-rank traceback becomes one diagnostic on the config line it points at; the next good run clears it', async () => {
    const { doc } = await open({ content: seed });
    const line = doc.getText().split('\n').findIndex((l) => l.includes('"mixvarge_f2"'));
    await withSettings({ ...base(), 'hat.stages': { calibration: { env: { HAT_DOUBLE_FAIL: 'KeyError:mixvarge_f2', HAT_DOUBLE_RANKS: '4' } } } }, async () => {
      const r = await runStage('mixvargenet.hat.runCalibration', doc.uri);
      assert.equal(r.ok, false);
      assert.equal(r.status, 'failed');
      assert.equal(r.record?.failure?.exception, 'KeyError');
      const st = await state(doc.uri);
      assert.equal(st.diagnostics.length, 1);
      assert.equal(st.diagnostics[0].line, line);
      assert.match(st.diagnostics[0].message, /HAT calibration failed: KeyError: 'mixvarge_f2' \(printed 4× by ranks 0, 1, 2, 3\)/);
      const inProblems = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'HAT');
      assert.equal(inProblems.length, 1);
      assert.equal(inProblems[0].severity, vscode.DiagnosticSeverity.Error);
      assert.match(st.inline?.text ?? '', /^calibration failed, just now$/);
    });
    await withSettings(base(), async () => {
      const ok = await runStage('mixvargenet.hat.runCalibration', doc.uri);
      assert.equal(ok.ok, true, ok.error);
      assert.equal((await state(doc.uri)).diagnostics.length, 0);
      assert.equal(vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'HAT').length, 0);
    });
  });

  it('says what was tried and which setting fixes it when the scripts folder, Python or HAT is missing', async () => {
    const { doc } = await open({ content: seed });
    await withSettings({ 'hat.scriptsDir': path.join(scripts, 'nope'), 'hat.python': py }, async () => {
      const r = await runStage('mixvargenet.hat.runCalibration', doc.uri);
      assert.equal(r.ok, false);
      assert.match(r.error ?? '', /mixvargenet\.hat\.scriptsDir points at .*nope, but tools\/train\.py is not there/);
    });
    await withSettings({ 'hat.python': py }, async () => {
      // No setting and no tools/train.py above the config: every folder tried is named, and no terminal opens only
      // to fail (the command checks before it creates a task).
      const terminals = vscode.window.terminals.length;
      const r = await runStage('mixvargenet.hat.runCalibration', doc.uri);
      assert.equal(vscode.window.terminals.length, terminals, 'no terminal was opened for a run that cannot start');
      assert.equal(r.ok, false);
      assert.match(r.error ?? '', /scripts folder was not found/);
      assert.ok(r.error!.includes(path.join(path.dirname(doc.uri.fsPath), 'tools', 'train.py')), r.error);
      assert.match(r.error ?? '', /mixvargenet\.hat\.scriptsDir/);
    });
    await withSettings({ 'hat.scriptsDir': scripts, 'hat.python': '/nonexistent/python3' }, async () => {
      const r = await runStage('mixvargenet.hat.runCalibration', doc.uri);
      assert.equal(r.ok, false);
      assert.match(r.error ?? '', /Python "\/nonexistent\/python3" was not found/);
      assert.match(r.error ?? '', /mixvargenet\.hat\.python/);
    });
    await withSettings({ ...base(), 'hat.stages': { calibration: { env: { HAT_DOUBLE_NO_HAT: '1' } } } }, async () => {
      const r = await runStage('mixvargenet.hat.runCalibration', doc.uri);
      assert.equal(r.ok, false);
      assert.match(r.error ?? '', /HAT is not importable by .*python3 \(ModuleNotFoundError: No module named 'hat'\)/);
      assert.match(r.error ?? '', /mixvargenet\.hat\.python/);
    });
    // None of that recorded a number.
    assert.equal((await state(doc.uri)).inline?.text.includes('%') ?? false, false);
  });

  it('"Choose HAT Scripts Folder…" writes the workspace-folder setting (as ${workspaceFolder}/… inside the folder) and the run then works', async () => {
    const { doc } = await open({ content: seed });
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri)!;
    const inside = path.join(folder.uri.fsPath, 'scratch', `hat-${Date.now().toString(36)}`);
    fs.cpSync(scripts, path.join(inside, 'scripts'), { recursive: true });
    const cfg = () => vscode.workspace.getConfiguration('mixvargenet', folder.uri);
    try {
      await withSettings({ 'hat.python': py }, async () => {
        assert.equal((await runStage('mixvargenet.hat.runCalibration', doc.uri)).ok, false, 'no scripts folder yet');
        // A folder without tools/train.py is refused and nothing is written.
        const bad = await vscode.commands.executeCommand<{ ok: boolean; error?: string }>('mixvargenet.hat.chooseScriptsDir', { uri: doc.uri.toString(), path: os.tmpdir() });
        assert.equal(bad.ok, false);
        assert.match(bad.error ?? '', /has no tools\/train\.py/);
        assert.equal(cfg().inspect<string>('hat.scriptsDir')?.workspaceFolderValue, undefined);
        // Its parent (holding scripts/) is taken, and written relative to the workspace folder.
        const r = await vscode.commands.executeCommand<{ ok: boolean; value?: string }>('mixvargenet.hat.chooseScriptsDir', { uri: doc.uri.toString(), path: inside });
        assert.equal(r.ok, true);
        const rel = path.relative(folder.uri.fsPath, path.join(inside, 'scripts')).split(path.sep).join('/');
        assert.equal(r.value, `\${workspaceFolder}/${rel}`);
        assert.equal(cfg().inspect<string>('hat.scriptsDir')?.workspaceFolderValue, r.value);
        const ran = await runStage('mixvargenet.hat.runCalibration', doc.uri);
        assert.equal(ran.ok, true, ran.error);
      });
    } finally {
      await cfg().update('hat.scriptsDir', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
      fs.rmSync(inside, { recursive: true, force: true });
    }
  });

  it('cancelling the task stops the whole process tree; the ETA shows while it runs', async () => {
    const { doc } = await open({ content: seed });
    const pidFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-hat-pid-')), 'pids');
    await withSettings(
      { ...base(), 'hat.stages': { calibration: { env: { HAT_DOUBLE_STEPS: '600', HAT_DOUBLE_STEP_SECONDS: '0.2', HAT_DOUBLE_CHILD_PIDFILE: pidFile } } } },
      async () => {
        const pending = runStage('mixvargenet.hat.runCalibration', doc.uri);
        // Both pids (the double and its grandchild), once the file holds them.
        const pids = await until(() => {
          const got = fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8').trim().split(/\s+/).map(Number) : [];
          return got.length === 2 && got.every((p) => Number.isInteger(p) && p > 0) ? got : undefined;
        }, 'the double to start its grandchild', 30_000);
        assert.ok(pids.every(alive));
        const running = await until(async () => {
          const s = await state(doc.uri);
          return s.running[0]?.eta ? s : undefined;
        }, 'an ETA', 20_000);
        assert.match(running.running[0].eta!, /epoch 0, steps \d+-\d+ · 4\.25 samples\/s · \d+:\d\d left/);
        assert.match(running.inline?.text ?? '', /calibration running \d+% \(epoch 0/);
        const exec = vscode.tasks.taskExecutions.find((e) => e.task.definition.type === 'hat' && e.task.definition.stage === 'calibration');
        assert.ok(exec, 'the run is a task execution');
        exec.terminate();
        const r = await pending;
        assert.equal(r.status, 'cancelled');
        await until(() => pids.every((p) => !alive(p)), 'the process tree to stop', 10_000);
        const st = await state(doc.uri);
        assert.equal(st.running.length, 0);
        assert.equal(st.diagnostics.length, 0, 'a cancelled run is not a failure');
      },
    );
    fs.rmSync(path.dirname(pidFile), { recursive: true, force: true });
  });

  it('the "hat" task provider offers every stage for the config; a fetched compile_perf task runs and its FPS shows inline', async () => {
    const { doc } = await open({ content: seed });
    await withSettings({ ...base(), 'hat.stages': { compile_perf: { env: { HAT_DOUBLE_FPS: '4321.5' }, opt: 2 } } }, async () => {
      const tasks = await vscode.tasks.fetchTasks({ type: 'hat' });
      const mine = tasks.filter((t) => t.definition.config === doc.uri.fsPath);
      assert.deepEqual(
        mine.map((t) => t.definition.stage).sort(),
        ['align_bpu', 'calibration', 'calibration_predict', 'compile_perf', 'float_predict', 'float_train', 'infer', 'int_infer_predict', 'pack_train', 'pack_val'],
      );
      const compile = mine.find((t) => t.definition.stage === 'compile_perf')!;
      const ended = new Promise<void>((resolve) => {
        const sub = vscode.tasks.onDidEndTask((e) => {
          if (e.execution.task.definition.stage === 'compile_perf') {
            sub.dispose();
            resolve();
          }
        });
      });
      await vscode.tasks.executeTask(compile);
      await ended;
      const st = await until(async () => {
        const s = await state(doc.uri);
        return s.inline?.text.includes('FPS') ? s : undefined;
      }, 'the FPS inline');
      assert.equal(st.inline?.text, 'J5 4322 FPS (compile_perf, just now)');
      const store = JSON.parse(fs.readFileSync(st.storeFile, 'utf8'));
      const rec = store.configs[st.key][0];
      assert.deepEqual(rec.command.slice(-4), ['--out-dir', './tmp_compile', '--opt', '2']);
    });
  });

  it('a run started by a command completes even when the task provider is asked for tasks while it starts', async () => {
    // VS Code keeps one execution per task id; the provider's task for the same stage and config has the same id,
    // so fetching tasks while a command's run starts makes VS Code call the provided task's execution instead.
    const { doc } = await open({ content: seed });
    await withSettings(base(), async () => {
      for (let i = 0; i < 3; i++) {
        const pending = runStage('mixvargenet.hat.runFloatPredict', doc.uri);
        await vscode.tasks.fetchTasks({ type: 'hat' });
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`run ${i + 1}: the command never completed`)), 30_000)));
        const r = await Promise.race([pending, late]).finally(() => clearTimeout(timer));
        assert.equal(r.ok, true, r.error);
        assert.equal(r.record?.stage, 'float_predict');
      }
      assert.equal((await state(doc.uri)).runs, 3);
    });
  });

  it('unsaved changes: task.saveBeforeRun "always" (default) saves before the run; "never": a silent run refuses, "Tasks: Run Task" runs the saved version and says so', async () => {
    const { doc, editor } = await open({ content: seed });
    const taskCfg = () => vscode.workspace.getConfiguration('task');
    const oldSave = taskCfg().inspect('saveBeforeRun')?.workspaceValue;
    try {
      await withSettings(base(), async () => {
        assert.equal(taskCfg().get('saveBeforeRun'), 'always', 'VS Code\'s default');
        await editor.edit((e) => e.insert(new vscode.Position(0, 0), '# first edit\n'));
        assert.equal(doc.isDirty, true);
        const first = await runStage('mixvargenet.hat.runCalibration', doc.uri);
        assert.equal(first.ok, true, first.error);
        assert.equal(doc.isDirty, false, 'VS Code saved it before the task ran');
        assert.match(fs.readFileSync(doc.uri.fsPath, 'utf8'), /^# first edit\n/);

        await taskCfg().update('saveBeforeRun', 'never', vscode.ConfigurationTarget.Workspace);
        await editor.edit((e) => e.insert(new vscode.Position(0, 0), '# second edit\n'));
        const refused = await runStage('mixvargenet.hat.runCalibration', doc.uri);
        assert.equal(refused.ok, false);
        assert.match(refused.error ?? '', /unsaved changes and task\.saveBeforeRun is "never"/);
        assert.equal(doc.isDirty, true);

        // "Tasks: Run Task" with the task's label (the user's path: the task service fetches the tasks and runs it):
        // nothing saves, HAT reads the disk, and the log says so.
        const task = (await vscode.tasks.fetchTasks({ type: 'hat' })).find((t) => t.definition.config === doc.uri.fsPath && t.definition.stage === 'float_predict');
        assert.ok(task, 'a float_predict task for the config');
        const mine = (e: { execution: vscode.TaskExecution }) => e.execution.task.definition.config === doc.uri.fsPath && e.execution.task.definition.stage === 'float_predict';
        const subs: vscode.Disposable[] = [];
        let startedAt = 0;
        const ended = new Promise<void>((resolve) => {
          subs.push(vscode.tasks.onDidStartTask((e) => mine(e) && (startedAt = Date.now())));
          subs.push(vscode.tasks.onDidEndTask((e) => mine(e) && resolve()));
        });
        try {
          await vscode.commands.executeCommand('workbench.action.tasks.runTask', `${task.source}: ${task.name}`);
          await until(() => startedAt > 0, `the task "${task.source}: ${task.name}" to start`, 30_000);
          let timer: NodeJS.Timeout | undefined;
          const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the task started but did not end within 60 s')), 60_000)));
          await Promise.race([ended, late]).finally(() => clearTimeout(timer));
        } finally {
          subs.forEach((d) => d.dispose());
        }
        assert.equal(doc.isDirty, true, 'still unsaved');
        assert.doesNotMatch(fs.readFileSync(doc.uri.fsPath, 'utf8'), /second edit/);
        const st = await until(async () => {
          const s = await state(doc.uri);
          return s.runs === 2 ? s : undefined;
        }, 'the second run in the store');
        const runs = JSON.parse(fs.readFileSync(st.storeFile, 'utf8')).configs[st.key] as NonNullable<Outcome['record']>[];
        assert.equal(runs.at(-1)!.stage, 'float_predict');
        const log = fs.readFileSync(path.join(path.dirname(path.dirname(st.storeFile)), runs.at(-1)!.log!), 'utf8');
        assert.match(log, new RegExp(`note: ${path.basename(doc.uri.fsPath).replace(/\./g, '\\.')} has unsaved changes; HAT runs the version saved on disk\\.`));
        const firstLog = fs.readFileSync(path.join(path.dirname(path.dirname(st.storeFile)), runs[0].log!), 'utf8');
        assert.doesNotMatch(firstLog, /unsaved changes/, 'not said when the file was saved');
      });
    } finally {
      await taskCfg().update('saveBeforeRun', oldSave, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('"Import Board Results" attaches hrt_model_exec output to the config; unrecognised text is refused', async () => {
    const { doc } = await open({ content: seed });
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const file = path.join(ext.extensionPath, 'test', 'fixtures', 'logs', 'hrt_perf.log');
    const fpsInFile = Number(/Frame\s+rate\s+is\s*:\s*([\d.]+)/.exec(fs.readFileSync(file, 'utf8'))![1]);
    const r = await vscode.commands.executeCommand<Outcome>('mixvargenet.hat.importBoardResults', { uri: doc.uri.toString(), file, silent: true });
    assert.equal(r.ok, true, r.error);
    assert.equal(r.record?.board?.source, 'hrt_model_exec');
    const st = await state(doc.uri);
    assert.equal(st.inline?.text, `board ${fpsInFile >= 100 ? Math.round(fpsInFile) : fpsInFile.toFixed(1)} FPS (board, just now)`);
    const bad = await vscode.commands.executeCommand<Outcome>('mixvargenet.hat.importBoardResults', { uri: doc.uri.toString(), text: 'hello world', silent: true });
    assert.equal(bad.ok, false);
    assert.match(bad.error ?? '', /no board results recognised/);
    assert.equal((await state(doc.uri)).runs, 1);
  });
});
