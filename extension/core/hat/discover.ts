/**
 * Where HAT's `scripts` folder is and which Python runs it. Pure: the file-system check is passed in, so the
 * editor (vscode.workspace.fs or node:fs) and the tests share the logic. Every answer says what was tried, so a
 * failure can name it and the setting that fixes it.
 */

/** The marker of a scripts folder. */
export const MARKER = 'tools/train.py';

export interface PathOps {
  /** Does this file exist? */
  isFile(p: string): boolean;
  join(...parts: string[]): string;
  dirname(p: string): string;
  isAbsolute(p: string): boolean;
  resolve(...parts: string[]): string;
}

export interface ScriptsDirInput {
  /** Absolute path of the config file. */
  config: string;
  /** `mixvargenet.hat.scriptsDir` (may be empty). */
  setting?: string;
  /** Workspace folder of the config, for relative settings and `${workspaceFolder}`. */
  workspaceFolder?: string;
  home?: string;
  /** Stop after this many ancestors (default 32). */
  maxDepth?: number;
}

export type ScriptsDirResult = { ok: true; dir: string; source: 'setting' | 'ancestor'; tried: string[] } | { ok: false; tried: string[]; message: string };

/** Expand `~/` and `${workspaceFolder}`, and make relative paths workspace-relative. */
export function expandPath(raw: string, p: PathOps, workspaceFolder?: string, home?: string): string | undefined {
  let s = raw.trim();
  if (!s) return undefined;
  if (workspaceFolder) s = s.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
  else if (s.includes('${workspaceFolder}')) return undefined;
  if ((s === '~' || s.startsWith('~/')) && home) s = p.join(home, s.slice(2));
  if (p.isAbsolute(s)) return p.resolve(s);
  return workspaceFolder ? p.resolve(workspaceFolder, s) : undefined;
}

export function findScriptsDir(input: ScriptsDirInput, p: PathOps): ScriptsDirResult {
  const tried: string[] = [];
  if (input.setting && input.setting.trim()) {
    const dir = expandPath(input.setting, p, input.workspaceFolder, input.home);
    if (!dir) {
      return { ok: false, tried: [input.setting], message: `mixvargenet.hat.scriptsDir is "${input.setting}", which is relative but the config is not in a workspace folder. Use an absolute path.` };
    }
    const marker = p.join(dir, MARKER);
    tried.push(marker);
    if (p.isFile(marker)) return { ok: true, dir, source: 'setting', tried };
    return {
      ok: false,
      tried,
      message: `mixvargenet.hat.scriptsDir points at ${dir}, but ${MARKER} is not there. Set it to HAT's horizon_model_train_sample/scripts folder (the one holding tools/train.py).`,
    };
  }
  let dir = p.dirname(input.config);
  const max = input.maxDepth ?? 32;
  for (let i = 0; i < max; i++) {
    for (const cand of [dir, p.join(dir, 'scripts')]) {
      const marker = p.join(cand, MARKER);
      tried.push(marker);
      if (p.isFile(marker)) return { ok: true, dir: cand, source: 'ancestor', tried };
    }
    const up = p.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return {
    ok: false,
    tried,
    message: `HAT's scripts folder was not found: no ${MARKER} in any folder above the config (or its scripts/ subfolder). Set mixvargenet.hat.scriptsDir to HAT's horizon_model_train_sample/scripts folder.`,
  };
}

export interface PythonChoice {
  command: string;
  source: 'setting' | 'python-extension' | 'default';
  /** What was considered, in order, for messages. */
  tried: string[];
}

/**
 * The Python to run: the setting, else the Python extension's active interpreter, else `python3`.
 * `fromExtension` is what the Python extension said (undefined: not installed or no answer; a string: the path).
 */
export function choosePython(setting: string | undefined, fromExtension: { installed: boolean; path?: string; error?: string }): PythonChoice {
  const tried: string[] = [];
  const s = setting?.trim();
  if (s) return { command: s, source: 'setting', tried: [`mixvargenet.hat.python = ${s}`] };
  tried.push('mixvargenet.hat.python (not set)');
  if (fromExtension.installed && fromExtension.path) return { command: fromExtension.path, source: 'python-extension', tried: [...tried, `the Python extension's interpreter ${fromExtension.path}`] };
  tried.push(fromExtension.installed ? `the Python extension (no active interpreter${fromExtension.error ? `: ${fromExtension.error}` : ''})` : 'the Python extension (not installed)');
  tried.push('python3 on PATH');
  return { command: 'python3', source: 'default', tried };
}

/** The message when the program of the argv could not be started (ENOENT, EACCES). */
export function cannotStartMessage(program: string, code: string | undefined, python: PythonChoice, prefixUsed: boolean): string {
  const what = code === 'EACCES' ? 'is not executable' : 'was not found';
  if (prefixUsed) return `MixVarGENet: the command prefix program "${program}" ${what}. Fix mixvargenet.hat.commandPrefix.`;
  return `MixVarGENet: Python "${program}" ${what}. Tried: ${python.tried.join('; ')}. Set mixvargenet.hat.python to the Python of your HAT environment (or mixvargenet.hat.commandPrefix to run inside the OE docker container).`;
}

/** HAT itself missing: the scripts raise ModuleNotFoundError for `hat` (or horizon_plugin_pytorch). */
export function missingHatModule(exception: string | undefined, message: string | undefined): string | undefined {
  if (exception !== 'ModuleNotFoundError' && exception !== 'ImportError') return undefined;
  const m = /No module named '([\w.]+)'/.exec(message ?? '');
  if (!m) return undefined;
  const mod = m[1].split('.')[0];
  return ['hat', 'horizon_plugin_pytorch', 'hbdk', 'hbdk4', 'torch'].includes(mod) ? mod : undefined;
}
