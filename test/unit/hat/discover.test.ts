import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cannotStartMessage, choosePython, findScriptsDir, missingHatModule, type PathOps } from '../../../extension/core/hat';

const posix = path.posix;
function fakeFs(files: string[]): PathOps {
  const set = new Set(files);
  return { isFile: (p) => set.has(p), join: posix.join, dirname: posix.dirname, isAbsolute: posix.isAbsolute, resolve: posix.resolve };
}

describe('hat: finding the scripts folder and Python', () => {
  it('finds the nearest ancestor with tools/train.py', () => {
    const p = fakeFs(['/oe/sample/scripts/tools/train.py', '/oe/tools/train.py']);
    const r = findScriptsDir({ config: '/oe/sample/scripts/configs/classification/m.py' }, p);
    assert.ok(r.ok);
    assert.equal(r.ok && r.dir, '/oe/sample/scripts');
    assert.equal(r.ok && r.source, 'ancestor');
    assert.deepEqual(r.tried.slice(0, 2), ['/oe/sample/scripts/configs/classification/tools/train.py', '/oe/sample/scripts/configs/classification/scripts/tools/train.py']);
  });

  it('also finds a scripts/ subfolder of an ancestor (a config kept next to the sample)', () => {
    const r = findScriptsDir({ config: '/ws/my_configs/m.py' }, fakeFs(['/ws/scripts/tools/train.py']));
    assert.ok(r.ok && r.dir === '/ws/scripts');
  });

  it('says what it tried and which setting fixes it', () => {
    const r = findScriptsDir({ config: '/a/b/m.py' }, fakeFs([]));
    assert.equal(r.ok, false);
    assert.deepEqual(r.tried, ['/a/b/tools/train.py', '/a/b/scripts/tools/train.py', '/a/tools/train.py', '/a/scripts/tools/train.py', '/tools/train.py', '/scripts/tools/train.py']);
    assert.match(r.ok ? '' : r.message, /mixvargenet\.hat\.scriptsDir/);
  });

  it('the setting wins, workspace-relative, ${workspaceFolder} and ~ expanded; a wrong setting is not silently ignored', () => {
    const p = fakeFs(['/ws/hat/scripts/tools/train.py', '/home/u/s/tools/train.py', '/oe/scripts/tools/train.py']);
    const cfg = '/oe/scripts/configs/m.py';
    for (const setting of ['hat/scripts', '${workspaceFolder}/hat/scripts', '/ws/hat/scripts/']) {
      const r = findScriptsDir({ config: cfg, setting, workspaceFolder: '/ws' }, p);
      assert.ok(r.ok && r.dir === '/ws/hat/scripts' && r.source === 'setting', setting);
    }
    assert.ok((() => {
      const r = findScriptsDir({ config: cfg, setting: '~/s', home: '/home/u' }, p);
      return r.ok && r.dir === '/home/u/s';
    })());
    const bad = findScriptsDir({ config: cfg, setting: '/nowhere' }, p);
    assert.equal(bad.ok, false, 'does not fall back to the ancestor when the setting is wrong');
    assert.deepEqual(bad.tried, ['/nowhere/tools/train.py']);
    assert.match(bad.ok ? '' : bad.message, /mixvargenet\.hat\.scriptsDir points at \/nowhere/);
    const rel = findScriptsDir({ config: cfg, setting: 'rel' }, p);
    assert.match(rel.ok ? '' : rel.message, /relative/);
  });

  it('works on the real file system', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-disc-'));
    fs.mkdirSync(path.join(root, 'scripts', 'tools'), { recursive: true });
    fs.mkdirSync(path.join(root, 'scripts', 'configs', 'x y'), { recursive: true });
    fs.writeFileSync(path.join(root, 'scripts', 'tools', 'train.py'), '');
    const real: PathOps = { isFile: (p) => fs.existsSync(p) && fs.statSync(p).isFile(), join: path.join, dirname: path.dirname, isAbsolute: path.isAbsolute, resolve: path.resolve };
    const r = findScriptsDir({ config: path.join(root, 'scripts', 'configs', 'x y', 'm.py') }, real);
    assert.ok(r.ok && r.dir === path.join(root, 'scripts'));
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('Python: the setting, else the Python extension, else python3; messages name what was tried', () => {
    assert.deepEqual(choosePython(' /venv/bin/python ', { installed: true, path: '/x' }).command, '/venv/bin/python');
    const ext = choosePython('', { installed: true, path: '/conda/bin/python' });
    assert.equal(ext.command, '/conda/bin/python');
    assert.equal(ext.source, 'python-extension');
    const none = choosePython(undefined, { installed: false });
    assert.equal(none.command, 'python3');
    assert.deepEqual(none.tried, ['mixvargenet.hat.python (not set)', 'the Python extension (not installed)', 'python3 on PATH']);
    const noInterp = choosePython(undefined, { installed: true, error: 'boom' });
    assert.match(noInterp.tried.join(';'), /no active interpreter: boom/);
    const msg = cannotStartMessage('python3', 'ENOENT', none, false);
    assert.match(msg, /"python3" was not found/);
    assert.match(msg, /Python extension \(not installed\)/);
    assert.match(msg, /mixvargenet\.hat\.python/);
    assert.match(cannotStartMessage('docker', 'ENOENT', none, true), /mixvargenet\.hat\.commandPrefix/);
  });

  it('recognises HAT (or its stack) missing from the interpreter, and nothing else', () => {
    assert.equal(missingHatModule('ModuleNotFoundError', "No module named 'hat'"), 'hat');
    assert.equal(missingHatModule('ModuleNotFoundError', "No module named 'horizon_plugin_pytorch.quantization'"), 'horizon_plugin_pytorch');
    assert.equal(missingHatModule('ModuleNotFoundError', "No module named 'mycfg_helpers'"), undefined);
    assert.equal(missingHatModule('KeyError', "No module named 'hat'"), undefined);
  });
});
