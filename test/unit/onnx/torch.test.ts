/**
 * Independent numeric check: the ONNX graph (run by onnxruntime in the timing worker) against
 * test/fixtures/torch/reference.py's torch network (written from MIXVARGENET.md, not from our
 * TypeScript) loaded with the same weights, via scripts/onnx-check.py. Skipped without torch.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import '../../../extension/ort/worker'; // compiled next to measure.js (see measure.test.ts)
import { buildOnnx } from '../../../extension/core/onnx/build';
import { readFloatInitializers } from '../../../extension/core/onnx/read';
import { uniformArray } from '../../../extension/core/onnx/random';
import { measure } from '../../../extension/ort/measure';
import { BACKBONE_FUSION, example, netOf, PY, pythonImports, ROOT, SMALL_CLASSIFIER, writeConfig } from './helpers';
import { requireOrSkip } from '../../requires';


describe('ONNX graph vs torch reference (numeric)', function () {
  this.timeout(300_000);
  let tmp: string;
  before(function () {
    requireOrSkip(this, pythonImports('torch', 'numpy'), 'PyTorch and numpy for /usr/bin/python3', 'apt-get install python3-torch');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-onnx-torch-'));
  });
  after(() => tmp && fs.rmSync(tmp, { recursive: true, force: true }));

  const cases: [string, () => string][] = [
    ['the fusion example (classifier, 3 fusion inputs into stage 4)', () => example('mixvargenet_fusion.py')],
    ['an inline backbone-only config (dropped map, no final ReLU, bias=False)', () => BACKBONE_FUSION],
    ['a small classifier (k3k3, _r shortcut, fc_filter)', () => SMALL_CLASSIFIER],
  ];
  cases.forEach(([name, text], i) => {
    it(`ORT output equals torch's for ${name}`, async () => {
      const src = text();
      const net = netOf(src);
      const dir = path.join(tmp, `case${i}`);
      fs.mkdirSync(dir);
      const config = writeConfig(dir, 'config.py', src);
      const bytes = buildOnnx(net, { batch: 1 });
      // Weights and the input the worker will generate (same seed), for torch.
      const tensors: Record<string, { file: string; dims: number[] }> = {};
      for (const [tname, t] of readFloatInitializers(bytes)) {
        const file = `${tname}.bin`;
        fs.writeFileSync(path.join(dir, file), Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
        tensors[tname] = { file, dims: t.dims };
      }
      const dims = [1, net.stem!.cin, net.input[2], net.input[3]];
      const input = uniformArray(dims.reduce((a, b) => a * b, 1), 5);
      fs.writeFileSync(path.join(dir, 'input.bin'), Buffer.from(input.buffer));
      fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ input: { file: 'input.bin', dims }, tensors }));

      const r = await measure(bytes, { runs: 1, warmup: 0, threads: 1, profile: false, cache: false, returnOutputs: true, inputSeed: 5 });
      if (!r.ok) assert.fail(`${r.kind}: ${r.error}`);

      const py = spawnSync(PY, [path.join(ROOT, 'scripts', 'onnx-check.py'), config, dir], { encoding: 'utf8', timeout: 240_000 });
      assert.equal(py.status, 0, `${py.stdout}\n${py.stderr}`);
      const res = JSON.parse(py.stdout) as { outputs: { file: string; dims: number[] }[]; loaded: number; convs: number };
      assert.equal(res.loaded, res.convs, 'every torch conv got ONNX weights');
      assert.equal(res.outputs.length, r.outputs.length);
      res.outputs.forEach((o, k) => {
        const ortOut = r.outputs[k];
        // torch keeps NCHW (or the flattened logits); ORT's dims must be the same.
        assert.deepEqual(ortOut.dims, o.dims, `output ${k} dims`);
        const buf = fs.readFileSync(path.join(dir, o.file));
        const t = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
        const v = ortOut.values!;
        assert.equal(v.length, t.length);
        let maxAbs = 0;
        let maxDiff = 0;
        for (let j = 0; j < t.length; j++) {
          maxAbs = Math.max(maxAbs, Math.abs(t[j]));
          maxDiff = Math.max(maxDiff, Math.abs(t[j] - v[j]));
        }
        assert.ok(maxAbs > 0.1, `output ${k} is not degenerate (max |x| ${maxAbs})`);
        assert.ok(maxDiff <= 1e-4 * Math.max(1, maxAbs), `output ${k}: max |ORT - torch| = ${maxDiff} (max |x| ${maxAbs})`);
      });
    });
  });

  it('the check is not vacuous: negating one fusion conv in torch changes the output', async () => {
    const src = example('mixvargenet_fusion.py');
    const net = netOf(src);
    const dir = path.join(tmp, 'swapped');
    fs.mkdirSync(dir);
    const config = writeConfig(dir, 'config.py', src);
    const bytes = buildOnnx(net, { batch: 1 });
    const inits = readFloatInitializers(bytes);
    const tensors: Record<string, { file: string; dims: number[] }> = {};
    for (const [tname, t] of inits) {
      // stage4.block0.fusion1 (64→160): torch gets the negated weights.
      const data = tname === 'stage4.block0.fusion1.weight' ? t.data.map((x) => -x) : t.data;
      fs.writeFileSync(path.join(dir, `${tname}.bin`), Buffer.from(data.buffer, data.byteOffset, data.byteLength));
      tensors[tname] = { file: `${tname}.bin`, dims: t.dims };
    }
    const dims = [1, 3, 224, 224];
    fs.writeFileSync(path.join(dir, 'input.bin'), Buffer.from(uniformArray(3 * 224 * 224, 5).buffer));
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ input: { file: 'input.bin', dims }, tensors }));
    const r = await measure(bytes, { runs: 1, warmup: 0, threads: 1, profile: false, cache: false, returnOutputs: true, inputSeed: 5 });
    if (!r.ok) assert.fail(r.error);
    const py = spawnSync(PY, [path.join(ROOT, 'scripts', 'onnx-check.py'), config, dir], { encoding: 'utf8', timeout: 240_000 });
    assert.equal(py.status, 0, py.stderr);
    const o = (JSON.parse(py.stdout) as { outputs: { file: string }[] }).outputs[0];
    const buf = fs.readFileSync(path.join(dir, o.file));
    const t = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    let maxDiff = 0;
    for (let j = 0; j < t.length; j++) maxDiff = Math.max(maxDiff, Math.abs(t[j] - r.outputs[0].values![j]));
    assert.ok(maxDiff > 1e-2, `the perturbed torch model differs (max diff ${maxDiff})`);
  });
});
