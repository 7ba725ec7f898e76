/** The Python HAT runs with: `mixvargenet.hat.python`, else the Python extension's interpreter (everything guarded: it may be absent or change). */
import * as vscode from 'vscode';
import { choosePython, type PythonChoice } from '../../core/hat';

function withTimeout<T>(p: Thenable<T>, ms: number): Promise<T | undefined> {
  return Promise.race([Promise.resolve(p), new Promise<undefined>((r) => setTimeout(() => r(undefined), ms))]);
}

interface PythonEnvApi {
  environments?: {
    getActiveEnvironmentPath?(resource?: vscode.Uri): { id?: string; path?: string } | undefined;
    resolveEnvironment?(env: unknown): Thenable<{ executable?: { uri?: vscode.Uri } } | undefined>;
  };
}

/** What the Python extension (ms-python.python) says the active interpreter is. Never throws. */
export async function pythonFromExtension(resource: vscode.Uri | undefined): Promise<{ installed: boolean; path?: string; error?: string }> {
  let ext: vscode.Extension<PythonEnvApi> | undefined;
  try {
    ext = vscode.extensions.getExtension<PythonEnvApi>('ms-python.python');
  } catch {
    ext = undefined;
  }
  if (!ext) return { installed: false };
  try {
    const api = ext.isActive ? ext.exports : await withTimeout(ext.activate(), 5000);
    const envs = api?.environments;
    if (!envs || typeof envs.getActiveEnvironmentPath !== 'function') return { installed: true, error: 'its environments API is not available' };
    const active = envs.getActiveEnvironmentPath(resource);
    if (!active) return { installed: true };
    if (typeof envs.resolveEnvironment === 'function') {
      const resolved = await withTimeout(envs.resolveEnvironment(active), 5000);
      const exe = resolved?.executable?.uri?.fsPath;
      if (exe) return { installed: true, path: exe };
    }
    return { installed: true, path: typeof active.path === 'string' && active.path ? active.path : undefined };
  } catch (e) {
    return { installed: true, error: e instanceof Error ? e.message : String(e) };
  }
}

export async function resolvePython(scope: vscode.Uri | undefined, setting: string): Promise<PythonChoice> {
  if (setting.trim()) return choosePython(setting, { installed: false });
  return choosePython(undefined, await pythonFromExtension(scope));
}
