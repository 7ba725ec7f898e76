/**
 * `mvg diff` against real files and a temporary git repository (git init, commit, edit). Expected
 * deltas: PyTorch's counts of the seed and of the edited seed (test/fixtures/expected, test/fixtures/diff).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mvg, removeWorkspace, ROOT, SEED, workspace } from './helpers';
import { requireOrSkip } from '../../requires';

const HAVE_GIT = spawnSync('git', ['--version']).status === 0;

const EDITED = path.join(ROOT, 'test/fixtures/diff/seed_edited.py');
const refSeed = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/expected/mixvargenet_imagenet.json'), 'utf8')) as { params: number; macs: number };
const refEdited = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/diff/seed_edited.json'), 'utf8')) as { params: number; macs: number; stages: { params: number }[] };

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

interface DiffJson {
  old: { file: string; rev: string | null; params: number | null; macs: number | null };
  new: { file: string; rev: string | null; params: number | null; macs: number | null };
  params: { old: number | null; new: number | null; delta: number | null };
  macs: { old: number | null; new: number | null; delta: number | null };
  stages: { old: number | null; new: number | null; status: string; params: { delta: number | null }; changes: { field: string; old: unknown; new: unknown }[] }[];
  findings: { new: { code: string }[]; fixed: { code: string }[] };
}

describe('mvg diff', () => {
  it('two files, --json: the shape of the issue with PyTorch-derived deltas', () => {
    const r = mvg(['diff', SEED, EDITED, '--json']);
    assert.equal(r.code, 0, r.err);
    const d = JSON.parse(r.out) as DiffJson;
    assert.deepEqual(Object.keys(d), ['old', 'new', 'params', 'macs', 'stages', 'findings']);
    assert.deepEqual(d.old, { file: SEED, rev: null, params: refSeed.params, macs: refSeed.macs });
    assert.equal(d.params.delta, refEdited.params - refSeed.params);
    assert.equal(d.macs.delta, refEdited.macs - refSeed.macs);
    assert.deepEqual(Object.keys(d.stages[0]), ['old', 'new', 'status', 'params', 'macs', 'changes']);
    assert.deepEqual(d.stages.map((s) => s.status), ['same', 'same', 'same', 'changed', 'changed', 'added']);
    assert.equal(d.stages[5].params.delta, refEdited.stages[5].params);
  });

  it('text: a per-stage table; colour codes only on a terminal without NO_COLOR', () => {
    const plain = mvg(['diff', SEED, EDITED]);
    assert.equal(plain.code, 0);
    assert.match(plain.out, /^stage +status/m);
    assert.match(plain.out, /^5 +\+ added/m);
    assert.doesNotMatch(plain.out, /\x1b\[/);
    const tty = mvg(['diff', SEED, EDITED], { isTTY: true });
    assert.match(tty.out, /\x1b\[32m\+751K\x1b\[39m/);
    const noColor = mvg(['diff', SEED, EDITED], { isTTY: true, env: { NO_COLOR: '1' } });
    assert.doesNotMatch(noColor.out, /\x1b\[/);
  });

  it('bad usage and unreadable files exit 2', () => {
    assert.equal(mvg(['diff', SEED]).code, 2);
    assert.match(mvg(['diff', SEED]).err, /give two files/);
    assert.equal(mvg(['diff', SEED, EDITED, '--rev', 'HEAD']).code, 2);
    assert.equal(mvg(['diff', SEED, '/nonexistent/x.py']).code, 2);
    assert.equal(mvg(['diff', SEED, EDITED, '--colour']).code, 2);
  });

  describe('against a git revision (a temporary repository)', () => {
    let dir = '';
    const rel = path.join('configs', 'm.py');
    before(function () {
      requireOrSkip(this, HAVE_GIT, 'git', 'apt-get install git');
      dir = workspace({ [rel]: fs.readFileSync(SEED, 'utf8'), 'other.py': 'x = 1\n' });
      git(dir, 'init', '-q');
      git(dir, 'add', rel);
      git(dir, 'commit', '-q', '-m', 'seed');
      fs.writeFileSync(path.join(dir, rel), fs.readFileSync(EDITED, 'utf8'));
    });
    after(() => dir && removeWorkspace(dir));

    it('FILE --rev HEAD --json: HEAD is the old side, the edit on disk the new one', () => {
      const r = mvg(['diff', rel, '--rev', 'HEAD', '--json'], { cwd: dir });
      assert.equal(r.code, 0, r.err);
      const d = JSON.parse(r.out) as DiffJson;
      assert.deepEqual(d.old, { file: rel, rev: 'HEAD', params: refSeed.params, macs: refSeed.macs });
      assert.equal(d.new.params, refEdited.params);
      assert.equal(d.params.delta, refEdited.params - refSeed.params);
      assert.deepEqual(d.stages[4].changes, [{ field: 'out_channels', old: 160, new: 192 }]);
    });

    it('from a subfolder, and against a commit hash', () => {
      const hash = git(dir, 'rev-parse', 'HEAD').trim();
      const r = mvg(['diff', 'm.py', '--rev', hash, '--json'], { cwd: path.join(dir, 'configs') });
      assert.equal(r.code, 0, r.err);
      assert.equal((JSON.parse(r.out) as DiffJson).params.delta, refEdited.params - refSeed.params);
    });

    it('the file unchanged since HEAD: all same, zero delta', () => {
      git(dir, 'stash', '-q');
      try {
        const d = JSON.parse(mvg(['diff', rel, '--rev', 'HEAD', '--json'], { cwd: dir }).out) as DiffJson;
        assert.ok(d.stages.every((s) => s.status === 'same'));
        assert.equal(d.params.delta, 0);
      } finally {
        git(dir, 'stash', 'pop', '-q');
      }
    });

    it('a revision git does not know, an untracked file, a revision that looks like an option: exit 2 with a clear message', () => {
      const bad = mvg(['diff', rel, '--rev', 'nosuchbranch'], { cwd: dir });
      assert.equal(bad.code, 2);
      assert.match(bad.err, /'nosuchbranch' is not a revision of this repository/);
      const untracked = mvg(['diff', 'other.py', '--rev', 'HEAD'], { cwd: dir });
      assert.equal(untracked.code, 2);
      assert.match(untracked.err, /HEAD does not hold other\.py \(the file is untracked/);
      const opt = mvg(['diff', rel, '--rev=--output=/tmp/x'], { cwd: dir });
      assert.equal(opt.code, 2);
      assert.match(opt.err, /is not a git revision/);
    });

    it('outside any repository: exit 2', () => {
      const out = workspace({ 'm.py': fs.readFileSync(SEED, 'utf8') });
      try {
        const r = mvg(['diff', 'm.py', '--rev', 'HEAD'], { cwd: out });
        assert.equal(r.code, 2);
        assert.match(r.err, /is not in a git repository/);
      } finally {
        removeWorkspace(out);
      }
    });
  });
});
