/**
 * `mixvargenet.extraOpsFile`: a JSON op table (shaped like schemas/ops.json) merged into the
 * built-in one. Loaded at start, reloaded when the setting or the file changes; its problems are
 * shown as diagnostics on the file itself.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { AnalysisManager } from '../analysis/manager';
import { EXTRA_OPS_KEY, extraOpsUri } from '../../host/settings';
import { readRegularFile } from '../../core/guardedRead';

interface ExtraOps {
  uri: vscode.Uri;
  json: unknown;
}

/** The op table is a small JSON file: 1 MiB is generous. */
export const EXTRA_OPS_MAX_BYTES = 1024 * 1024;

/** Where the file is, for a message: workspace-relative inside the workspace, else the path as configured. */
function shown(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri);
}

/**
 * Read and parse the extra ops file; the error (unreadable, not a regular file, too big, bad JSON) is returned,
 * never thrown. Only a regular file of at most EXTRA_OPS_MAX_BYTES is read (a symlink to /dev/zero or a FIFO is
 * refused at once), and an error never quotes the file's content (JSON.parse's message does: only the position
 * is kept), so pointing the setting at a private file shows nothing of it.
 */
async function readExtraOps(uri: vscode.Uri): Promise<{ ops?: ExtraOps; error?: string }> {
  let text: string;
  if (uri.scheme === 'file') {
    const r = await readRegularFile(uri.fsPath, EXTRA_OPS_MAX_BYTES);
    if (!r.ok) return { error: `${shown(uri)}: cannot be read (${r.reason})` };
    text = r.text;
  } else {
    try {
      const st = await vscode.workspace.fs.stat(uri);
      if (st.type !== vscode.FileType.File) return { error: `${shown(uri)}: cannot be read (is not a regular file)` };
      if (st.size > EXTRA_OPS_MAX_BYTES) return { error: `${shown(uri)}: cannot be read (is ${st.size} bytes, over the ${EXTRA_OPS_MAX_BYTES}-byte limit)` };
      text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
    } catch (e) {
      return { error: `${shown(uri)}: cannot be read (${e instanceof vscode.FileSystemError ? e.code : 'error'})` };
    }
  }
  try {
    return { ops: { uri, json: JSON.parse(text) } };
  } catch (e) {
    const pos = /position (\d+)/.exec(e instanceof Error ? e.message : '')?.[1];
    return { error: `${shown(uri)}: not valid JSON${pos !== undefined ? ` (at character ${pos})` : ''}` };
  }
}

export class ExtraOpsLoader implements vscode.Disposable {
  private watcher?: vscode.FileSystemWatcher;
  private readonly problems = vscode.languages.createDiagnosticCollection('mixvargenet-ops');
  private readonly subs: vscode.Disposable[] = [];
  private current?: string;
  private generation = 0;
  /** Op names from the last successful load (for tests and the log). */
  lastOps: string[] = [];

  constructor(
    private readonly manager: AnalysisManager,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subs.push(
      this.problems,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(EXTRA_OPS_KEY)) void this.reload();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.reload()),
      // A restricted setting: a workspace's value counts only once the workspace is trusted.
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.reload()),
    );
  }

  /** (Re)read the file and reconfigure the analysis; re-analyses open configs. */
  async reload(): Promise<{ ops: string[]; problems: string[] }> {
    const gen = ++this.generation;
    const uri = extraOpsUri();
    const key = uri?.toString();
    if (key !== this.current) {
      this.watcher?.dispose();
      this.watcher = undefined;
      this.current = key;
      if (uri) {
        const dir = vscode.Uri.joinPath(uri, '..');
        this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(dir, path.posix.basename(uri.path)));
        const again = () => void this.reload();
        this.watcher.onDidChange(again);
        this.watcher.onDidCreate(again);
        this.watcher.onDidDelete(again);
      }
    }
    this.problems.clear();
    let payload: { json: unknown; source: string } | null = null;
    const problems: string[] = [];
    if (uri) {
      const r = await readExtraOps(uri);
      if (r.ops) payload = { json: r.ops.json, source: vscode.workspace.asRelativePath(uri) };
      else if (r.error) problems.push(r.error);
    }
    if (gen !== this.generation) return { ops: this.lastOps, problems };
    const res = await this.manager.configure(payload);
    problems.push(...res.problems);
    this.lastOps = res.ops;
    if (uri && problems.length) {
      this.problems.set(
        uri,
        problems.map((p) => {
          const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 1), p, vscode.DiagnosticSeverity.Error);
          d.source = 'mixvargenet';
          return d;
        }),
      );
      this.log.warn(`Extra ops file: ${problems.join('; ')}`);
    } else if (uri) this.log.info(`Extra ops file ${vscode.workspace.asRelativePath(uri)} loaded (${res.ops.length} ops in the table).`);
    this.manager.reanalyzeAll();
    return { ops: res.ops, problems };
  }

  dispose(): void {
    this.watcher?.dispose();
    for (const s of this.subs) s.dispose();
  }
}
