/** The user's calibration inputs (.npy, raw float32, PPM/PGM) and the CPU's ISA flags. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeCalibrationFile, isCalibrationFile } from '../../../extension/core/onnx/calibrationData';
import { isaFromCpuinfo } from '../../../extension/ort/isa';
import { PY, pythonImports } from './helpers';
import { requireOrSkip } from '../../requires';

describe('calibration inputs', () => {
  it('.npy written by numpy: float32 [1,2,2,3] read in C order; other dtypes and counts refused with the reason', function () {
    requireOrSkip(this, pythonImports('numpy'), 'numpy for /usr/bin/python3', 'apt-get install python3-numpy');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-npy-'));
    try {
      const r = spawnSync(
        PY,
        ['-c', `import numpy as np; np.save("${dir}/a.npy", np.arange(12, dtype="<f4").reshape(1,2,2,3) / 4); np.save("${dir}/d.npy", np.zeros(12)); np.save("${dir}/f.npy", np.asfortranarray(np.zeros((2,6), dtype="<f4")))`],
        { encoding: 'utf8' },
      );
      assert.equal(r.status, 0, r.stderr);
      const a = decodeCalibrationFile('a.npy', fs.readFileSync(path.join(dir, 'a.npy')), [2, 2, 3]);
      assert.ok(a instanceof Float32Array);
      assert.deepEqual([...a], Array.from({ length: 12 }, (_, i) => i / 4));
      assert.match(decodeCalibrationFile('d.npy', fs.readFileSync(path.join(dir, 'd.npy')), [2, 2, 3]) as string, /dtype <f8/);
      assert.match(decodeCalibrationFile('f.npy', fs.readFileSync(path.join(dir, 'f.npy')), [2, 2, 3]) as string, /Fortran/);
      assert.match(decodeCalibrationFile('a.npy', fs.readFileSync(path.join(dir, 'a.npy')), [3, 2, 3]) as string, /holds 12 values, but one image is 18/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('raw float32 of exactly one image; anything else refused', () => {
    const f = new Float32Array([1.5, -2, 0.25, 8]);
    const got = decodeCalibrationFile('x.f32', new Uint8Array(f.buffer), [1, 2, 2]);
    assert.deepEqual([...(got as Float32Array)], [1.5, -2, 0.25, 8]);
    assert.match(decodeCalibrationFile('x.raw', new Uint8Array(12), [1, 2, 2]) as string, /12 bytes, but one 1×2×2 float32 image is 16/);
  });

  it('PPM (P6) resized by nearest neighbour and ImageNet-normalised; PGM grey to every channel; ASCII PPM refused', () => {
    // 2×1 image: a red pixel, then a white one; read into 1×2 (same size) and 2×4 (each pixel twice across, rows repeated).
    const ppm = new Uint8Array([...Buffer.from('P6\n# c\n2 1\n255\n'), 255, 0, 0, 255, 255, 255]);
    const mean = [0.485, 0.456, 0.406];
    const std = [0.229, 0.224, 0.225];
    const n = (v: number, c: number) => Math.fround((v - mean[c]) / std[c]);
    const same = decodeCalibrationFile('a.ppm', ppm, [3, 1, 2]) as Float32Array;
    assert.deepEqual([...same], [n(1, 0), n(1, 0), n(0, 1), n(1, 1), n(0, 2), n(1, 2)]);
    const big = decodeCalibrationFile('a.ppm', ppm, [3, 2, 4]) as Float32Array;
    assert.deepEqual([...big.subarray(0, 8)], [n(1, 0), n(1, 0), n(1, 0), n(1, 0), n(1, 0), n(1, 0), n(1, 0), n(1, 0)]);
    assert.deepEqual([...big.subarray(8, 12)], [n(0, 1), n(0, 1), n(1, 1), n(1, 1)]);
    const pgm = new Uint8Array([...Buffer.from('P5 1 1 255 '), 0]);
    assert.deepEqual([...(decodeCalibrationFile('g.pgm', pgm, [3, 1, 1]) as Float32Array)], [n(0, 0), n(0, 1), n(0, 2)]);
    assert.match(decodeCalibrationFile('a.ppm', new Uint8Array(Buffer.from('P3 1 1 255 0 0 0')), [3, 1, 1]) as string, /only binary PPM/);
    assert.ok(isCalibrationFile('A.NPY') && isCalibrationFile('x.pgm') && !isCalibrationFile('x.png') && !isCalibrationFile('x.jpg'));
  });
});

describe('CPU ISA from /proc/cpuinfo', () => {
  it('names the int8-relevant extensions of the first processor, in a fixed order', () => {
    const avx2 = 'processor\t: 0\nflags\t\t: fpu sse4_1 avx fma avx2 bmi2\n\nprocessor\t: 1\nflags\t\t: fpu avx512f\n';
    assert.deepEqual(isaFromCpuinfo(avx2), ['sse4.1', 'avx', 'avx2', 'fma']);
    const vnni = 'flags : avx2 avx512f avx512bw avx512_vnni avx_vnni amx_int8';
    assert.deepEqual(isaFromCpuinfo(vnni), ['avx2', 'avx-vnni', 'avx512f', 'avx512bw', 'avx512-vnni', 'amx-int8']);
    assert.deepEqual(isaFromCpuinfo('Features\t: fp asimd asimddp i8mm'), ['neon', 'neon-dotprod', 'i8mm']);
    assert.deepEqual(isaFromCpuinfo('no flags here'), []);
  });
});
