/** extension/git/show.ts: a file at a revision with git by argv (the editor's fallback is the async path), and the revisions offered. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GitShowError, gitShow, gitShowSync, recentRevisions } from '../../../extension/git/show';
import { requireOrSkip } from '../../requires';

const HAVE_GIT = spawnSync('git', ['--version']).status === 0;

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe('git show by argv (extension/git/show.ts)', () => {
  let dir = '';
  before(function () {
    requireOrSkip(this, HAVE_GIT, 'git', 'apt-get install git');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-gitshow-'));
    fs.mkdirSync(path.join(dir, 'sub dir'));
    // A name with a space and a quote arrives literally (argv, no shell).
    fs.writeFileSync(path.join(dir, 'sub dir', "a 'b'.py"), 'x = 1\n');
    git(dir, 'init', '-q');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'first');
    git(dir, 'tag', 'v1');
    fs.writeFileSync(path.join(dir, 'sub dir', "a 'b'.py"), 'x = 2\n');
    git(dir, 'commit', '-q', '-am', 'second');
    fs.writeFileSync(path.join(dir, 'new.py'), 'y = 1\n');
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('reads the file at HEAD, HEAD~1 and a tag, sync and async, with its path in the repository', async () => {
    const file = path.join(dir, 'sub dir', "a 'b'.py");
    assert.deepEqual(gitShowSync(file, 'HEAD'), { text: 'x = 2\n', relPath: "sub dir/a 'b'.py" });
    assert.equal((await gitShow(file, 'HEAD~1')).text, 'x = 1\n');
    assert.equal((await gitShow(file, 'v1')).text, 'x = 1\n');
  });

  it('says why it cannot: untracked, unknown revision, an option as revision, no repository', async () => {
    const reject = async (p: Promise<unknown>, problem: string, re: RegExp) => {
      await assert.rejects(p, (e: unknown) => e instanceof GitShowError && e.problem === problem && re.test(e.message));
    };
    await reject(gitShow(path.join(dir, 'new.py'), 'HEAD'), 'not-in-revision', /HEAD does not hold new\.py \(the file is untracked/);
    await reject(gitShow(path.join(dir, 'new.py'), 'nope'), 'bad-revision', /'nope' is not a revision/);
    await reject(gitShow(path.join(dir, 'new.py'), '--output=/tmp/x'), 'bad-revision', /is not a git revision/);
    const lone = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-norepo-'));
    try {
      fs.writeFileSync(path.join(lone, 'c.py'), '');
      await reject(gitShow(path.join(lone, 'c.py'), 'HEAD'), 'not-a-repo', /is not in a git repository/);
    } finally {
      fs.rmSync(lone, { recursive: true, force: true });
    }
  });

  it('offers the commits that touched the file, then branches and tags', async () => {
    const revs = await recentRevisions(path.join(dir, 'sub dir', "a 'b'.py"));
    const subjects = revs.filter((r) => /^[0-9a-f]{7,}$/.test(r.rev)).map((r) => r.description.replace(/^.* · /, ''));
    assert.deepEqual(subjects, ['second', 'first']);
    assert.ok(revs.some((r) => r.rev === 'main'));
    assert.ok(revs.some((r) => r.rev === 'v1'));
  });
});
