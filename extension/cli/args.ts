/** A small, strict command-line parser: unknown flags, missing values and repeated flags are usage errors. */
import { UsageError } from './io';
import { editDistance } from '../core/rules/support/spelling';

export interface FlagSpec {
  /** Long name without dashes, e.g. "format". */
  name: string;
  /** Takes a value (`--format json` or `--format=json`); otherwise a switch. */
  value?: boolean;
  /** May be given more than once (values are collected). */
  repeat?: boolean;
  /** One-letter alias without the dash, e.g. "h". */
  short?: string;
}

export interface ParsedArgs {
  positionals: string[];
  /** Switches are `true`; value flags are strings (or string[] when `repeat`). */
  flags: Map<string, string | true | string[]>;
}

export function parseArgs(args: string[], specs: FlagSpec[], command?: string): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const positionals: string[] = [];
  const flags = new Map<string, string | true | string[]>();
  let onlyPositionals = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (onlyPositionals || a === '-' || !a.startsWith('-')) {
      positionals.push(a);
      continue;
    }
    if (a === '--') {
      onlyPositionals = true;
      continue;
    }
    let spec: FlagSpec | undefined;
    let inline: string | undefined;
    let shown = a;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (eq >= 0) inline = a.slice(eq + 1);
      shown = `--${name}`;
      spec = byName.get(name);
    } else if (a.length === 2) {
      spec = byShort.get(a[1]);
    }
    if (!spec) throw new UsageError(`unknown option '${shown}'${suggest(shown, specs)}`, command);
    let value: string | true;
    if (spec.value) {
      if (inline !== undefined) value = inline;
      else {
        const next = args[i + 1];
        if (next === undefined || (next.startsWith('-') && next !== '-')) throw new UsageError(`option '--${spec.name}' needs a value`, command);
        value = next;
        i++;
      }
    } else {
      if (inline !== undefined) throw new UsageError(`option '--${spec.name}' does not take a value`, command);
      value = true;
    }
    const prev = flags.get(spec.name);
    if (spec.repeat) flags.set(spec.name, [...((prev as string[] | undefined) ?? []), value as string]);
    else if (prev !== undefined) throw new UsageError(`option '--${spec.name}' is given more than once`, command);
    else flags.set(spec.name, value);
  }
  return { positionals, flags };
}

function suggest(shown: string, specs: FlagSpec[]): string {
  const word = shown.replace(/^-+/, '');
  let best: string | undefined;
  let bestD = Infinity;
  for (const s of specs) {
    const d = editDistance(word, s.name);
    if (d < bestD) {
      bestD = d;
      best = s.name;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? ` (did you mean '--${best}'?)` : '';
}

export function flagString(p: ParsedArgs, name: string): string | undefined {
  const v = p.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function flagList(p: ParsedArgs, name: string): string[] {
  const v = p.flags.get(name);
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

export function flagSet(p: ParsedArgs, name: string): boolean {
  return p.flags.get(name) === true;
}

/** An integer flag with a lower bound (undefined when absent); anything else is a usage error. */
export function flagInt(p: ParsedArgs, name: string, min: number, command?: string): number | undefined {
  const v = flagString(p, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min} (got '${v}')`, command);
  return n;
}
