/**
 * The user's own calibration inputs, decoded without a dependency: a folder of
 *   - `.npy` float32 arrays (little-endian, C order) with exactly one image's values ([3,H,W] or [1,3,H,W]);
 *   - `.f32` / `.raw` / `.bin` raw little-endian float32 of exactly one image;
 *   - `.ppm` (P6) / `.pgm` (P5) 8-bit images, resized to the input (nearest neighbour) and normalised as
 *     ImageNet models expect ((x/255 − mean)/std per channel; a PGM's grey goes to every channel).
 * PNG and JPEG would need an image decoder, which the extension does not ship: convert them
 * (e.g. `convert a.jpg a.ppm`, or numpy → .npy).
 *
 * Pure: bytes in, floats out; reading the folder is the caller's.
 */

export const CALIBRATION_EXTENSIONS = ['.npy', '.f32', '.raw', '.bin', '.ppm', '.pgm'];
/** The most files one calibration reads (sorted by name, the first ones). */
export const MAX_CALIBRATION_FILES = 1024;
/** The largest calibration file read. */
export const MAX_CALIBRATION_FILE_BYTES = 64 * 1024 * 1024;

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

/** Whether a file name has a calibration extension. */
export function isCalibrationFile(name: string): boolean {
  const lower = name.toLowerCase();
  return CALIBRATION_EXTENSIONS.some((e) => lower.endsWith(e));
}

/** One image's values [C, H, W] (C·H·W floats) from a file's bytes, or why not. */
export function decodeCalibrationFile(name: string, bytes: Uint8Array, chw: [number, number, number]): Float32Array | string {
  const lower = name.toLowerCase();
  const n = chw[0] * chw[1] * chw[2];
  if (lower.endsWith('.npy')) return decodeNpy(bytes, n);
  if (lower.endsWith('.ppm') || lower.endsWith('.pgm')) return decodePnm(bytes, chw);
  if (lower.endsWith('.f32') || lower.endsWith('.raw') || lower.endsWith('.bin')) {
    if (bytes.length !== n * 4) return `${bytes.length} bytes, but one ${chw.join('×')} float32 image is ${n * 4}`;
    return floats(bytes, 0, n);
  }
  return `not a calibration file (${CALIBRATION_EXTENSIONS.join(', ')})`;
}

function floats(bytes: Uint8Array, offset: number, n: number): Float32Array {
  const copy = bytes.slice(offset, offset + n * 4);
  return new Float32Array(copy.buffer, copy.byteOffset, n);
}

function decodeNpy(b: Uint8Array, n: number): Float32Array | string {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (b.length < 10 || magic.some((m, i) => b[i] !== m)) return 'not a .npy file';
  const major = b[6];
  const hlen = major === 1 ? b[8] | (b[9] << 8) : b[8] | (b[9] << 8) | (b[10] << 16) | (b[11] << 24);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder('latin1').decode(b.subarray(start, start + hlen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  if (descr !== '<f4') return `dtype ${descr ?? '?'}: only little-endian float32 ('<f4') is read`;
  if (/'fortran_order'\s*:\s*True/.test(header)) return 'Fortran order: only C order is read';
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  const count = (shape ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .reduce((a, s) => a * Number(s), 1);
  if (count !== n) return `shape (${shape}) holds ${count} values, but one image is ${n}`;
  if (b.length < start + hlen + n * 4) return 'the file ends before its data';
  return floats(b, start + hlen, n);
}

/** PPM (P6) / PGM (P5), maxval ≤ 255. */
function decodePnm(b: Uint8Array, [c, h, w]: [number, number, number]): Float32Array | string {
  let pos = 0;
  const token = (): string => {
    for (;;) {
      while (pos < b.length && /\s/.test(String.fromCharCode(b[pos]))) pos++;
      if (b[pos] === 0x23) {
        while (pos < b.length && b[pos] !== 0x0a) pos++;
        continue;
      }
      break;
    }
    const s = pos;
    while (pos < b.length && !/\s/.test(String.fromCharCode(b[pos]))) pos++;
    return String.fromCharCode(...b.subarray(s, pos));
  };
  const kind = token();
  if (kind !== 'P6' && kind !== 'P5') return `${kind || 'empty'}: only binary PPM (P6) and PGM (P5) are read`;
  const iw = Number(token());
  const ih = Number(token());
  const maxval = Number(token());
  pos++; // the one whitespace byte before the pixels
  if (!(iw > 0 && ih > 0) || !(maxval > 0 && maxval <= 255)) return 'a bad PPM/PGM header (only 8-bit images are read)';
  const ch = kind === 'P6' ? 3 : 1;
  if (b.length < pos + iw * ih * ch) return 'the image ends before its pixels';
  if (c !== 3 && c !== ch) return `the network takes ${c} channels; a ${kind === 'P6' ? 'colour' : 'grey'} image gives ${ch}`;
  const out = new Float32Array(c * h * w);
  for (let k = 0; k < c; k++) {
    const mean = c === 3 ? MEAN[k] : 0.5;
    const std = c === 3 ? STD[k] : 0.5;
    const src = Math.min(k, ch - 1);
    for (let y = 0; y < h; y++) {
      const sy = Math.min(ih - 1, Math.floor(((y + 0.5) * ih) / h));
      for (let x = 0; x < w; x++) {
        const sx = Math.min(iw - 1, Math.floor(((x + 0.5) * iw) / w));
        const v = b[pos + (sy * iw + sx) * ch + src] / maxval;
        out[(k * h + y) * w + x] = (v - mean) / std;
      }
    }
  }
  return out;
}
