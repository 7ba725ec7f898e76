/** Reading the CLI's inputs: config files (directories are searched for *.py) and the extra op table. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_OPS, type OpTable } from '../core/schema';
import { InputError } from './io';

export interface InputFile {
  /** The path as shown to the user: as given, or joined under the directory given. */
  display: string;
  /** Absolute path. */
  abs: string;
}

export interface Collected {
  files: InputFile[];
  /** `mvg: cannot read X: no such file` lines. */
  problems: string[];
  /** Directories that held no .py file. */
  emptyDirs: string[];
}

/** Folders never searched when a directory is linted. */
const SKIP_DIRS = new Set(['node_modules', '__pycache__', 'site-packages']);

export function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return e instanceof Error ? e.message : String(e);
  }
}

/** Expand the command line's paths: files as given, directories to their *.py files (sorted, recursive). */
export function collectFiles(args: string[], cwd: string): Collected {
  const files: InputFile[] = [];
  const problems: string[] = [];
  const emptyDirs: string[] = [];
  const seen = new Set<string>();
  const add = (display: string, abs: string) => {
    if (seen.has(abs)) return;
    seen.add(abs);
    files.push({ display, abs });
  };
  for (const arg of args) {
    const abs = path.resolve(cwd, arg);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch (e) {
      problems.push(`cannot read ${arg}: ${reason(e)}`);
      continue;
    }
    if (!st.isDirectory()) {
      add(arg, abs);
      continue;
    }
    const found: InputFile[] = [];
    const visited = new Set<string>();
    const walk = (dirAbs: string, dirDisplay: string) => {
      let real: string;
      try {
        real = fs.realpathSync(dirAbs);
      } catch (e) {
        problems.push(`cannot read ${dirDisplay}: ${reason(e)}`);
        return;
      }
      if (visited.has(real)) return;
      visited.add(real);
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dirAbs, { withFileTypes: true });
      } catch (e) {
        problems.push(`cannot read ${dirDisplay}: ${reason(e)}`);
        return;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const ent of entries) {
        const childAbs = path.join(dirAbs, ent.name);
        const childDisplay = path.join(dirDisplay, ent.name);
        let isDir = ent.isDirectory();
        let isFile = ent.isFile();
        if (ent.isSymbolicLink()) {
          try {
            const t = fs.statSync(childAbs);
            isDir = t.isDirectory();
            isFile = t.isFile();
          } catch {
            continue; // dangling link
          }
        }
        if (isDir) {
          if (ent.name.startsWith('.') || SKIP_DIRS.has(ent.name)) continue;
          walk(childAbs, childDisplay);
        } else if (isFile && ent.name.endsWith('.py')) found.push({ display: childDisplay, abs: childAbs });
      }
    };
    walk(abs, arg);
    if (found.length === 0) emptyDirs.push(arg);
    for (const f of found) add(f.display, f.abs);
  }
  return { files, problems, emptyDirs };
}

export function readText(file: InputFile): string {
  try {
    return fs.readFileSync(file.abs, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${file.display}: ${reason(e)}`);
  }
}

/**
 * The op table with a user's ops file added. Unreadable files and invalid JSON are input errors;
 * invalid entries are skipped and returned as warnings.
 */
export function loadOps(opsPath: string | undefined, cwd: string): { ops: OpTable; warnings: string[] } {
  if (opsPath === undefined) return { ops: DEFAULT_OPS, warnings: [] };
  const abs = path.resolve(cwd, opsPath);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ops file ${opsPath}: ${reason(e)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`ops file ${opsPath} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const ops = DEFAULT_OPS.extend(json, opsPath);
  return { ops, warnings: ops.problems.slice(DEFAULT_OPS.problems.length) };
}
