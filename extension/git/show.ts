/**
 * A file's text at a git revision, read with `git` run by argv (never a shell): `git rev-parse` finds
 * the repository and the file's path in it, `git show REV:path` reads it. Shared by `mvg diff --rev`
 * and the editor's comparison when VS Code's git extension is not there. Node-only (spawns git).
 *
 * Every failure is a GitShowError whose message says what is wrong in the user's terms: git missing,
 * not a repository, a revision git does not know, a file the revision does not hold (untracked or
 * added later).
 */
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export type GitShowProblem = 'no-git' | 'not-a-repo' | 'bad-revision' | 'not-in-revision' | 'failed';

export class GitShowError extends Error {
  constructor(
    message: string,
    readonly problem: GitShowProblem,
  ) {
    super(message);
    this.name = 'GitShowError';
  }
}

/** The largest file read from git (a config is a few KB; the analysis refuses far less than this anyway). */
const MAX_BYTES = 16 * 1024 * 1024;
const TIMEOUT_MS = 15_000;

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
  /** git could not be started (ENOENT: not installed). */
  error?: NodeJS.ErrnoException;
}

type Runner = (args: string[], cwd: string) => Ran | Promise<Ran>;

const GIT_ENV = { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };

function runSync(args: string[], cwd: string): Ran {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: MAX_BYTES, timeout: TIMEOUT_MS, env: GIT_ENV, windowsHide: true });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error as NodeJS.ErrnoException | undefined };
}

function runAsync(args: string[], cwd: string): Promise<Ran> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, encoding: 'utf8', maxBuffer: MAX_BYTES, timeout: TIMEOUT_MS, env: GIT_ENV, windowsHide: true }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: unknown }) | null;
      const notStarted = e && typeof e.code === 'string' ? e : undefined;
      resolve({ status: e ? (typeof e.code === 'number' ? e.code : notStarted ? null : 1) : 0, stdout: stdout ?? '', stderr: stderr ?? '', error: notStarted });
    });
  });
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0]?.replace(/^fatal: /, '') ?? '';
}

/** A revision is passed to git as one argv item; one that looks like an option is refused (`--output=…`). */
function checkRevision(rev: string): void {
  if (rev.trim() === '' || rev.startsWith('-') || /[\0\n]/.test(rev)) throw new GitShowError(`'${rev}' is not a git revision`, 'bad-revision');
}

/** Resolve, for `file`, the repository's top folder and the file's path in it (with / separators). */
function* steps(file: string, rev: string): Generator<{ args: string[]; cwd: string }, { rel: string }, Ran> {
  checkRevision(rev);
  const abs = path.resolve(file);
  const dir = path.dirname(abs);
  if (!fs.existsSync(dir)) throw new GitShowError(`cannot read ${file}: its folder does not exist`, 'failed');
  const top = yield { args: ['rev-parse', '--show-toplevel'], cwd: dir };
  if (top.error) throw new GitShowError(top.error.code === 'ENOENT' ? 'git is not installed (or not on PATH)' : `cannot run git: ${top.error.message}`, 'no-git');
  if (top.status !== 0) throw new GitShowError(`${file} is not in a git repository`, 'not-a-repo');
  const prefix = yield { args: ['rev-parse', '--show-prefix'], cwd: dir };
  const rel = (prefix.stdout.trim() + path.basename(abs)).replace(/\\/g, '/');
  const commit = yield { args: ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], cwd: dir };
  if (commit.status !== 0) throw new GitShowError(`'${rev}' is not a revision of this repository${rev === 'HEAD' ? ' (no commit yet?)' : ''}`, 'bad-revision');
  return { rel };
}

function showArgs(rev: string, rel: string): string[] {
  return ['show', `${rev}:${rel}`];
}

function showResult(r: Ran, file: string, rev: string, rel: string): string {
  if (r.status === 0) return r.stdout;
  const msg = firstLine(r.stderr);
  if (/does not exist|exists on disk, but not in|path .* does not exist/i.test(msg))
    throw new GitShowError(`${rev} does not hold ${rel} (the file is untracked, or was added after ${rev})`, 'not-in-revision');
  throw new GitShowError(`git show ${rev}:${rel} failed: ${msg || `exit code ${r.status}`}`, 'failed');
}

/** `file` as it is at `rev` (synchronous: the CLI). Throws GitShowError. */
export function gitShowSync(file: string, rev: string): { text: string; relPath: string } {
  const it = steps(file, rev);
  let next = it.next();
  while (!next.done) next = it.next(runSync(next.value.args, next.value.cwd));
  const rel = next.value.rel;
  return { text: showResult(runSync(showArgs(rev, rel), path.dirname(path.resolve(file))), file, rev, rel), relPath: rel };
}

/** `file` as it is at `rev`, without blocking (the editor). Rejects with GitShowError. */
export async function gitShow(file: string, rev: string, run: Runner = runAsync): Promise<{ text: string; relPath: string }> {
  const it = steps(file, rev);
  let next = it.next();
  while (!next.done) next = it.next(await run(next.value.args, next.value.cwd));
  const rel = next.value.rel;
  return { text: showResult(await run(showArgs(rev, rel), path.dirname(path.resolve(file))), file, rev, rel), relPath: rel };
}

export interface RevisionChoice {
  /** What to pass as the revision: a branch or tag name, or a commit hash. */
  rev: string;
  /** Short hash or "branch". */
  label: string;
  description: string;
}

/** Recent commits that touched `file` and the repository's branches: what "Compare with Revision…" offers. */
export async function recentRevisions(file: string, max = 30, run: Runner = runAsync): Promise<RevisionChoice[]> {
  const dir = path.dirname(path.resolve(file));
  const out: RevisionChoice[] = [];
  const log = await run(['log', `--max-count=${max}`, '--format=%h%x09%ar%x09%s', '--', path.basename(file)], dir);
  if (log.status === 0)
    for (const line of log.stdout.split('\n')) {
      const [hash, when, ...subject] = line.split('\t');
      if (hash) out.push({ rev: hash, label: hash, description: `${when} · ${subject.join('\t')}` });
    }
  const refs = await run(['for-each-ref', '--sort=-committerdate', `--count=${max}`, '--format=%(refname:short)%09%(committerdate:relative)', 'refs/heads', 'refs/tags'], dir);
  if (refs.status === 0)
    for (const line of refs.stdout.split('\n')) {
      const [name, when] = line.split('\t');
      if (name) out.push({ rev: name, label: name, description: `branch or tag · ${when ?? ''}` });
    }
  return out;
}
