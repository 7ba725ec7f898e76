// The HAT test double (test/fixtures/hat-scripts) against the real parsers: its output must be what §5 says HAT
// prints, or the extension-host tests that run it prove nothing.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseLog } from '../../../extension/core/logs/parse';
import { buildCommand, locateFailure, summaryLine } from '../../../extension/core/hat';
import { requireOrSkip } from '../../requires';

const ROOT = path.join(__dirname, '../../../..');
const SCRIPTS = path.join(ROOT, 'test/fixtures/hat-scripts');
const CONFIG = path.join(ROOT, 'examples/configs/mixvargenet_imagenet.py');
const PY = ['python3', '/usr/bin/python3'].find((p) => spawnSync(p, ['--version']).status === 0);

function runDouble(stage: Parameters<typeof buildCommand>[0]['stage'], config: string, env: Record<string, string> = {}, extra: Partial<Parameters<typeof buildCommand>[0]> = {}) {
  const b = buildCommand({ stage, scriptsDir: SCRIPTS, python: PY!, config, ...extra });
  assert.ok(b.ok);
  const r = spawnSync(b.argv[0], b.argv.slice(1), { cwd: b.cwd, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...b.env, ...env }, encoding: 'utf8', shell: false });
  return { ...r, argv: b.argv };
}

function announced(stdout: string): { tool: string; argv: string[] } {
  const line = stdout.split('\n').find((l) => l.startsWith('HAT-TEST-DOUBLE '));
  assert.ok(line, stdout);
  return JSON.parse(line.slice('HAT-TEST-DOUBLE '.length));
}

describe('hat: the test double of HAT\'s scripts', function () {
  before(function () {
    requireOrSkip(this, !!PY, 'python3', 'apt-get install python3');
  });

  it('calibration prints a training log the parsers read (stage, progress, checkpoint, validation)', () => {
    const r = runDouble('calibration', CONFIG, { HAT_DOUBLE_STEP_SECONDS: '0' });
    assert.equal(r.status, 0, r.stderr);
    const rep = parseLog(r.stdout);
    assert.equal(rep.stage, 'calibration');
    assert.equal(rep.progress.length, 3);
    assert.equal(rep.validations[0].accuracy, 0.7066);
    assert.equal(rep.validations[0].task, 'mixvargenet_imagenet');
    assert.match(rep.checkpoints[0], /calibration-checkpoint-last/);
    assert.deepEqual(announced(r.stdout).argv.slice(1), ['--config', CONFIG, '--stage', 'calibration']);
  });

  it('predict honours --stage and the accuracy override', () => {
    const r = runDouble('int_infer_predict', CONFIG, { HAT_DOUBLE_ACCURACY: '0.6543', HAT_DOUBLE_STEP_SECONDS: '0' });
    const rep = parseLog(r.stdout);
    assert.equal(rep.stage, 'int_infer');
    assert.equal(rep.validations[0].accuracy, 0.6543);
    assert.deepEqual(rep.predictProgress, { done: 391, total: 391 });
  });

  it('compile_perf prints the J5 FPS line and summary dict, and writes the JSON', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-dbl-'));
    const r = runDouble('compile_perf', CONFIG, { HAT_DOUBLE_FPS: '1234.5' }, { options: { outDir: out } });
    assert.equal(r.status, 0, r.stderr);
    const rep = parseLog(r.stdout);
    assert.equal(rep.compile?.fps, 1234.5);
    assert.equal(rep.compile?.march, 'BAYES');
    assert.equal(rep.compile?.shape, 'hbdk3');
    assert.ok(fs.existsSync(path.join(out, 'mixvargenet_imagenet.json')));
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('receives a config path with spaces, quotes, $() and backticks literally (and runs nothing in it)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg dbl $(x) '));
    const weird = path.join(dir, `it's "q" $(touch pwned) \`touch pwned2\`.py`);
    fs.copyFileSync(CONFIG, weird);
    const r = runDouble('float_predict', weird, { HAT_DOUBLE_STEP_SECONDS: '0' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(announced(r.stdout).argv, ['tools/predict.py', '--config', weird, '--stage', 'float']);
    assert.equal(parseLog(r.stdout).validations[0].accuracy, 0.7132);
    assert.ok(!fs.existsSync(path.join(SCRIPTS, 'pwned')) && !fs.existsSync(path.join(SCRIPTS, 'pwned2')) && !fs.existsSync('pwned'));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a failure prints the traceback once per rank; it collapses to one cause on the config line', () => {
    const r = runDouble('calibration', CONFIG, { HAT_DOUBLE_RANKS: '4', HAT_DOUBLE_FAIL: 'KeyError:mixvarge_f2' });
    assert.equal(r.status, 1);
    const rep = parseLog(r.stdout);
    assert.equal(rep.failure?.exception, 'KeyError');
    assert.equal(rep.failure?.repeats, 4);
    assert.deepEqual(rep.failure?.ranks, [0, 1, 2, 3]);
    const text = fs.readFileSync(CONFIG, 'utf8');
    const where = locateFailure(rep.failure!, CONFIG, text, SCRIPTS, path.resolve);
    assert.equal(where?.why, 'traceback');
    assert.ok(text.split('\n')[where!.line].includes('"mixvarge_f2"'));
  });

  it('HAT missing from the interpreter looks like the real thing', () => {
    const r = runDouble('calibration', CONFIG, { HAT_DOUBLE_NO_HAT: '1' });
    assert.notEqual(r.status, 0);
    const rep = parseLog(r.stdout + r.stderr);
    assert.equal(rep.failure?.exception, 'ModuleNotFoundError');
    assert.match(rep.failure?.message ?? '', /No module named 'hat'/);
  });
});

describe('hat: where a failure points in the config', () => {
  const text = ['task_name = "m"', 'net_config = [', '    MixVarGENetConfig(head_op="mixvarge_f2"),', ']'].join('\n');
  const fail = (frames: { file: string; line: number }[], quotedValue?: string) => ({ exception: 'KeyError', message: '', frames: frames.map((f) => ({ ...f, func: 'f' })), ranks: [], repeats: 1, quotedValue });

  it('prefers the innermost frame in the config, also relative to the run\'s folder', () => {
    assert.deepEqual(locateFailure(fail([{ file: '/s/configs/m.py', line: 2 }, { file: '/s/configs/m.py', line: 3 }]), '/s/configs/m.py', text), { line: 2, why: 'traceback' });
    assert.deepEqual(locateFailure(fail([{ file: 'configs/m.py', line: 2 }]), '/s/configs/m.py', text, '/s', path.posix.resolve), { line: 1, why: 'traceback' });
  });

  it('else the line naming the quoted value; else nothing', () => {
    assert.deepEqual(locateFailure(fail([{ file: '/hat/x.py', line: 9 }], 'mixvarge_f2'), '/s/m.py', text), { line: 2, why: 'value' });
    assert.equal(locateFailure(fail([{ file: '/hat/x.py', line: 9 }], 'absent'), '/s/m.py', text), undefined);
    assert.equal(locateFailure(fail([{ file: '/s/m.py', line: 99 }]), '/s/m.py', text), undefined, 'a line past the end is not used');
  });

  it('the summary goes on task_name, else net_config', () => {
    assert.equal(summaryLine(text), 0);
    assert.equal(summaryLine('x = 1\nnet_config = []\n'), 1);
    assert.equal(summaryLine('x = 1\n'), undefined);
  });
});
