/**
 * Reading a file because a workspace names it (the results store, a HAT log, board results, a cached
 * measurement): such a path may be a symlink to /dev/zero, a FIFO that never answers, or a multi-gigabyte file
 * committed to trip us. So: the path itself must be a regular file (symlinks are not followed: O_NOFOLLOW; a FIFO
 * or device is refused without blocking: O_NONBLOCK, then fstat), at most `maxBytes`, read from the handle that
 * was checked (no check-then-open race). Node's fs only; no vscode.
 */
import * as fs from 'node:fs';

export type GuardedRead = { ok: true; text: string; bytes: number } | { ok: false; reason: string; code?: string; missing?: boolean };

/** 16 MiB: far above any results store, log or board output we read, far below what would hurt. */
export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

const FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);

function refusal(e: unknown): GuardedRead {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return { ok: false, reason: 'no such file', code, missing: true };
    case 'ELOOP':
      return { ok: false, reason: 'is a symbolic link (not followed)', code };
    case 'EACCES':
    case 'EPERM':
      return { ok: false, reason: 'permission denied', code };
    case 'EISDIR':
      return { ok: false, reason: 'is a directory', code };
    default:
      return { ok: false, reason: e instanceof Error ? e.message : String(e), code };
  }
}

function checkStat(st: fs.Stats, maxBytes: number): GuardedRead | undefined {
  if (!st.isFile()) return { ok: false, reason: st.isDirectory() ? 'is a directory' : 'is not a regular file' };
  if (st.size > maxBytes) return { ok: false, reason: `is ${st.size} bytes, over the ${maxBytes}-byte limit` };
  return undefined;
}

/** The text read into `buf` (one byte more than fstat's size, to notice a file that grew meanwhile). */
function result(buf: Buffer, n: number, size: number): GuardedRead {
  if (n > size) return { ok: false, reason: 'changed while being read' };
  return { ok: true, text: buf.subarray(0, n).toString('utf8'), bytes: n };
}

/** Read `file` as UTF-8 if it is a regular file (not a symlink) of at most `maxBytes`. Never throws. */
export async function readRegularFile(file: string, maxBytes = DEFAULT_MAX_BYTES): Promise<GuardedRead> {
  let fh: fs.promises.FileHandle | undefined;
  try {
    fh = await fs.promises.open(file, FLAGS);
    const bad = checkStat(await fh.stat(), maxBytes);
    if (bad) return bad;
    const size = (await fh.stat()).size;
    const buf = Buffer.alloc(size + 1);
    let n = 0;
    for (let r = -1; r !== 0 && n < buf.length; n += r) r = (await fh.read(buf, n, buf.length - n, n)).bytesRead;
    return result(buf, n, size);
  } catch (e) {
    return refusal(e);
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** The same, synchronously: for the CLI only (never on the extension host's thread). */
export function readRegularFileSync(file: string, maxBytes = DEFAULT_MAX_BYTES): GuardedRead {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, FLAGS);
    const st = fs.fstatSync(fd);
    const bad = checkStat(st, maxBytes);
    if (bad) return bad;
    const buf = Buffer.alloc(st.size + 1);
    let n = 0;
    for (let r = -1; r !== 0 && n < buf.length; n += r) r = fs.readSync(fd, buf, n, buf.length - n, n);
    return result(buf, n, st.size);
  } catch (e) {
    return refusal(e);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
