/** The CPU's vector extensions that decide which int8 kernels onnxruntime can use (x86: from /proc/cpuinfo). */
import * as fs from 'node:fs';

/** Flags reported, in this order, under these names (the kernel's flag → our name). */
const ISA_FLAGS: [string, string][] = [
  ['sse4_1', 'sse4.1'],
  ['avx', 'avx'],
  ['avx2', 'avx2'],
  ['fma', 'fma'],
  ['avx_vnni', 'avx-vnni'],
  ['avx512f', 'avx512f'],
  ['avx512bw', 'avx512bw'],
  ['avx512_vnni', 'avx512-vnni'],
  ['avx512_bf16', 'avx512-bf16'],
  ['amx_int8', 'amx-int8'],
  ['asimd', 'neon'],
  ['asimddp', 'neon-dotprod'],
  ['i8mm', 'i8mm'],
];

/** The extensions named by a cpuinfo "flags"/"Features" line (the first processor's). */
export function isaFromCpuinfo(cpuinfo: string): string[] {
  const line = /^(?:flags|Features)\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? '';
  const flags = new Set(line.trim().split(/\s+/));
  return ISA_FLAGS.filter(([f]) => flags.has(f)).map(([, n]) => n);
}

let cached: string[] | undefined;

/** This machine's extensions ([] where /proc/cpuinfo cannot be read). */
export function cpuIsa(): string[] {
  if (!cached) {
    try {
      cached = isaFromCpuinfo(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    } catch {
      cached = [];
    }
  }
  return cached;
}
