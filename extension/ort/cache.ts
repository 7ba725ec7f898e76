/**
 * The measurement result cache (PerfCache): by cache key, in memory and optionally in a bounded folder that
 * outlives the process. measure() looks a result up here before building or starting anything.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PerfResult } from './result';
import { readRegularFileSync } from '../core/guardedRead';

/** The largest cache entry file read (a measured result with its per-stage times is a few KB). */
const ENTRY_MAX_BYTES = 1024 * 1024;

export interface PerfCacheOptions {
  /** Entries kept in the folder (the most recently used ones; default 200). */
  maxEntries?: number;
  /** Entries not used for this long are dropped (default 60 days). */
  maxAgeDays?: number;
}

const KEY_RE = /^[0-9a-z][0-9a-z-]{0,127}$/;
const ENTRY_RE = /^([0-9a-z][0-9a-z-]{0,127})\.json$/;
const DAY_MS = 86_400_000;

/** Whether a parsed cache file is a usable result for `key` (anything else is ignored). */
function isCachedResult(r: unknown, key: string): r is PerfResult {
  if (!r || typeof r !== 'object') return false;
  const o = r as Partial<PerfResult>;
  return (
    o.ok === true &&
    o.cacheKey === key &&
    typeof o.latencyMs === 'object' &&
    o.latencyMs !== null &&
    Number.isFinite(o.latencyMs.median) &&
    Array.isArray(o.stages) &&
    typeof o.measuredAt === 'string' &&
    typeof o.ortVersion === 'string'
  );
}

/**
 * Measurement results by cache key: in memory, and optionally in a folder (one `<key>.json` each,
 * written atomically) that outlives the process. The folder is bounded: at most `maxEntries` files,
 * none unused for more than `maxAgeDays` (a read refreshes an entry's mtime). Unreadable, corrupt or
 * foreign files are ignored. Never throws.
 */
export class PerfCache {
  private readonly mem = new Map<string, PerfResult>();
  readonly maxEntries: number;
  readonly maxAgeMs: number;
  constructor(
    readonly dir?: string,
    options: PerfCacheOptions = {},
  ) {
    this.maxEntries = Math.max(1, Math.floor(options.maxEntries ?? 200));
    this.maxAgeMs = Math.max(0, options.maxAgeDays ?? 60) * DAY_MS;
  }

  private file(key: string): string {
    return path.join(this.dir!, `${key}.json`);
  }

  get(key: string): PerfResult | undefined {
    const hit = this.mem.get(key);
    if (hit) {
      this.remember(key, hit);
      return hit;
    }
    if (!this.dir || !KEY_RE.test(key)) return undefined;
    const file = this.file(key);
    try {
      const stat = fs.lstatSync(file);
      if (this.maxAgeMs > 0 && Date.now() - stat.mtimeMs > this.maxAgeMs) {
        fs.rmSync(file, { force: true });
        return undefined;
      }
      // An entry is a few KB: anything else (a link, a device, a huge file) is not ours and is a miss.
      const text = readRegularFileSync(file, ENTRY_MAX_BYTES);
      if (!text.ok) return undefined;
      const r: unknown = JSON.parse(text.text);
      if (!isCachedResult(r, key)) return undefined;
      this.remember(key, r);
      try {
        const now = new Date();
        fs.utimesSync(file, now, now); // recently used: pruned last
      } catch {
        // read-only folder: still a hit
      }
      return r;
    } catch {
      // missing, unreadable or corrupt: a miss
      return undefined;
    }
  }

  /** In memory too, at most `maxEntries` (least recently used dropped first). */
  private remember(key: string, r: PerfResult): void {
    this.mem.delete(key);
    this.mem.set(key, r);
    while (this.mem.size > this.maxEntries) this.mem.delete(this.mem.keys().next().value as string);
  }

  set(key: string, r: PerfResult): void {
    this.remember(key, r);
    if (!this.dir || !KEY_RE.test(key)) return;
    const file = this.file(key);
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      fs.writeFileSync(tmp, JSON.stringify(r));
      fs.renameSync(tmp, file);
    } catch {
      // a cache that cannot be written is only a cache
      try {
        fs.rmSync(tmp, { force: true });
      } catch {
        // ignore
      }
    }
    this.prune();
  }

  /**
   * Drop folder entries beyond `maxEntries` (least recently used first), entries older than
   * `maxAgeDays`, and leftover temp files older than an hour. Returns how many files were removed.
   */
  prune(): number {
    if (!this.dir) return 0;
    let removed = 0;
    try {
      const now = Date.now();
      const entries: { file: string; key: string; mtime: number }[] = [];
      for (const name of fs.readdirSync(this.dir)) {
        const file = path.join(this.dir, name);
        let mtime: number;
        try {
          const st = fs.statSync(file);
          if (!st.isFile()) continue;
          mtime = st.mtimeMs;
        } catch {
          continue;
        }
        const m = ENTRY_RE.exec(name);
        if (m) entries.push({ file, key: m[1], mtime });
        else if (name.endsWith('.tmp') && now - mtime > 3_600_000) removed += this.remove(file);
      }
      entries.sort((a, b) => b.mtime - a.mtime);
      entries.forEach((e, i) => {
        if (i >= this.maxEntries || (this.maxAgeMs > 0 && now - e.mtime > this.maxAgeMs)) {
          removed += this.remove(e.file);
          this.mem.delete(e.key);
        }
      });
    } catch {
      // no folder yet, or unreadable
    }
    return removed;
  }

  private remove(file: string): number {
    try {
      fs.rmSync(file, { force: true });
      return 1;
    } catch {
      return 0;
    }
  }

  /** Forget the in-memory entries; with `disk`, also delete the folder's entries. */
  clear(disk = false): void {
    this.mem.clear();
    if (!disk || !this.dir) return;
    try {
      for (const name of fs.readdirSync(this.dir)) if (ENTRY_RE.test(name) || name.endsWith('.tmp')) this.remove(path.join(this.dir, name));
    } catch {
      // nothing there
    }
  }
}

/** The process-wide in-memory cache (the extension may replace it with one that has a folder). */
export let defaultCache = new PerfCache();
export function setDefaultCache(c: PerfCache): void {
  defaultCache = c;
}
