/**
 * `mixvargenet.extraOpsFile`: a JSON op table (shaped like schemas/ops.json) merged into the
 * built-in one. Loaded at start, reloaded when the setting or the file changes; its problems are
 * shown as diagnostics on the file itself.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { AnalysisManager } from '../analysis/manager';
import { EXTRA_OPS_KEY, extraOpsUri } from '../../host/settings';

interface ExtraOps {
  uri: vscode.Uri;
  json: unknown;
}

/** Read and parse the extra ops file; the error (unreadable, bad JSON) is returned, never thrown. */
async function readExtraOps(uri: vscode.Uri): Promise<{ ops?: ExtraOps; error?: string }> {
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    const text = new TextDecoder('utf-8').decode(bytes);
    try {
      return { ops: { uri, json: JSON.parse(text) } };
    } catch (e) {
      return { error: `${vscode.workspace.asRelativePath(uri)}: not valid JSON (${e instanceof Error ? e.message : String(e)})` };
    }
  } catch (e) {
    return { error: `${vscode.workspace.asRelativePath(uri)}: cannot be read (${e instanceof Error ? e.message : String(e)})` };
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
