/**
 * A document's file at a git revision, and the revisions to offer: through VS Code's git extension
 * (`vscode.git`, API 1: works in remote workspaces too) when it knows the file's repository, else with
 * `git` run by argv (extension/git/show.ts). Running git is for trusted workspaces only.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { GitShowError, gitShow, recentRevisions, type RevisionChoice } from '../../git/show';

/** The part of the git extension's API 1 used here (extensions/git/src/api/git.d.ts). */
interface GitRepository {
  readonly rootUri: vscode.Uri;
  show(ref: string, path: string): Promise<string>;
  log?(options?: { maxEntries?: number; path?: string }): Promise<{ hash: string; message: string; authorDate?: Date }[]>;
  readonly state: { readonly refs?: readonly { name?: string; type: number; commit?: string }[]; readonly HEAD?: { name?: string } };
}
interface GitApi {
  readonly state: 'uninitialized' | 'initialized';
  onDidChangeState(listener: (s: 'uninitialized' | 'initialized') => void): vscode.Disposable;
  getRepository(uri: vscode.Uri): GitRepository | null;
  openRepository?(root: vscode.Uri): Promise<GitRepository | null>;
}
interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}

export const UNTRUSTED_GIT = 'MixVarGENet: comparing with a git revision runs git, which is only available in a trusted workspace. Compare with another config file instead.';

/** The git extension's API once it has looked for repositories (at most `waitMs`), or undefined. */
async function gitApi(waitMs = 3000): Promise<GitApi | undefined> {
  const ext = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!ext) return undefined;
  try {
    const exports = ext.isActive ? ext.exports : await ext.activate();
    if (!exports?.enabled) return undefined;
    const api = exports.getAPI(1);
    if (api.state === 'initialized') return api;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        sub.dispose();
        resolve();
      }, waitMs);
      const sub = api.onDidChangeState((s) => {
        if (s !== 'initialized') return;
        clearTimeout(t);
        sub.dispose();
        resolve();
      });
    });
    return api;
  } catch {
    return undefined;
  }
}

/** The repository that holds `uri`, as the git extension knows it (it may open it on request). */
async function repositoryOf(uri: vscode.Uri): Promise<GitRepository | undefined> {
  const api = await gitApi();
  if (!api) return undefined;
  const known = api.getRepository(uri);
  if (known) return known;
  return undefined;
}

/** Why a git read failed, in the user's terms, from a git extension error (its stderr) or our own. */
function explain(e: unknown, rel: string, rev: string): GitShowError {
  if (e instanceof GitShowError) return e;
  const err = e as { stderr?: string; message?: string; gitErrorCode?: string };
  const text = `${err.stderr ?? ''} ${err.message ?? ''}`;
  if (/exists on disk, but not in|does not exist in|path .* does not exist/i.test(text))
    return new GitShowError(`${rev} does not hold ${rel} (the file is untracked, or was added after ${rev})`, 'not-in-revision');
  if (/invalid object name|unknown revision|bad revision|not a valid object name|ambiguous argument/i.test(text)) return new GitShowError(`'${rev}' is not a revision of this repository`, 'bad-revision');
  return new GitShowError(`git could not read ${rel} at ${rev}: ${(err.stderr ?? err.message ?? String(e)).trim().split('\n')[0]}`, 'failed');
}

/** The text of `uri`'s file at `rev`. Throws GitShowError with a sentence for the user. */
export async function readAtRevision(uri: vscode.Uri, rev: string): Promise<{ text: string; via: 'git extension' | 'git' }> {
  if (!vscode.workspace.isTrusted) throw new GitShowError(UNTRUSTED_GIT, 'failed');
  if (uri.scheme === 'untitled') throw new GitShowError('an unsaved new file has no git history: save it in a repository first, or use Compare with File…', 'not-in-revision');
  const repo = await repositoryOf(uri);
  if (repo) {
    const rel = path.relative(repo.rootUri.fsPath, uri.fsPath).replace(/\\/g, '/');
    if (rev.trim() === '' || rev.startsWith('-')) throw new GitShowError(`'${rev}' is not a git revision`, 'bad-revision');
    try {
      return { text: await repo.show(rev, uri.fsPath), via: 'git extension' };
    } catch (e) {
      throw explain(e, rel, rev);
    }
  }
  if (uri.scheme !== 'file') throw new GitShowError(`${uri.fsPath} is not in a repository the git extension knows, and git can only read local files`, 'not-a-repo');
  return { text: (await gitShow(uri.fsPath, rev)).text, via: 'git' };
}

/** Recent commits of the file and the branches and tags, for the revision picker. */
export async function revisionChoices(uri: vscode.Uri): Promise<RevisionChoice[]> {
  if (!vscode.workspace.isTrusted) return [];
  const repo = await repositoryOf(uri);
  if (repo?.log) {
    try {
      const commits = await repo.log({ maxEntries: 30, path: uri.fsPath });
      const out: RevisionChoice[] = commits.map((c) => ({ rev: c.hash, label: c.hash.slice(0, 8), description: `${c.authorDate ? c.authorDate.toISOString().slice(0, 10) : ''} · ${c.message.split('\n')[0]}` }));
      for (const r of repo.state.refs ?? []) if (r.name && r.type !== 1) out.push({ rev: r.name, label: r.name, description: r.type === 2 ? 'tag' : 'branch' });
      return out;
    } catch {
      // fall through to git by argv
    }
  }
  if (uri.scheme !== 'file') return [];
  return recentRevisions(uri.fsPath);
}
