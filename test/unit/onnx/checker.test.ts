/**
 * The ONNX models we build are valid for the ONNX project's own checker, not only for onnxruntime:
 * `onnx.checker.check_model(model, full_check=True)` (structure, opset/IR rules, and strict shape
 * inference), plus shape inference's output shape compared with the core's. Runs Debian's python3-onnx
 * with /usr/bin/python3 (`apt-get install python3-onnx`; scripts/setup.sh installs it): skipped without it, a failure under CI=true.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildOnnx, planOnnx } from '../../../extension/core/onnx/build';
import { encodeQdq, quantPoints } from '../../../extension/core/onnx/quantize';
import { BACKBONE_FUSION, example, netOf, PY, pythonImports, SMALL_CLASSIFIER } from './helpers';
import { requireOrSkip } from '../../requires';

const CHECK = `
import json, sys
import onnx
from onnx import checker, shape_inference
m = onnx.load(sys.argv[1])
if len(sys.argv) > 2:  # negative control: one node reads a value nothing produces
    m.graph.node[len(m.graph.node) // 2].input[0] = "no_such_value"
checker.check_model(m, full_check=True)
inf = shape_inference.infer_shapes(m, check_type=True, strict_mode=True)
def dims(v):
    return [d.dim_value if d.HasField("dim_value") else d.dim_param for d in v.type.tensor_type.shape.dim]
print(json.dumps({
    "onnx": onnx.__version__,
    "ir": m.ir_version,
    "opset": [o.version for o in m.opset_import if o.domain in ("", "ai.onnx")],
    "outputs": [dims(o) for o in inf.graph.output],
    "nodes": len(m.graph.node),
}))
`;

interface Checked {
  onnx: string;
  ir: number;
  opset: number[];
  outputs: (number | string)[][];
  nodes: number;
}

function check(file: string): Checked {
  const r = spawnSync(PY, ['-c', CHECK, file], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.error, undefined, String(r.error));
  assert.equal(r.status, 0, `onnx.checker rejected ${path.basename(file)}:\n${r.stderr}`);
  return JSON.parse(r.stdout) as Checked;
}

describe('ONNX models pass onnx.checker (full_check) and shape inference', function () {
  this.timeout(300_000);
  let tmp: string;
  before(function () {
    requireOrSkip(this, pythonImports('onnx.checker'), 'onnx for /usr/bin/python3', 'apt-get install python3-onnx');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-onnx-checker-'));
  });
  after(() => tmp && fs.rmSync(tmp, { recursive: true, force: true }));

  const cases: [string, () => string, number | undefined, (n: ReturnType<typeof netOf>, b: number | string) => (number | string)[][]][] = [
    ['the seed classifier (batch 1)', () => example('mixvargenet_imagenet.py'), 1, (_n, b) => [[b, 1000]]],
    ['the fusion example (symbolic batch)', () => example('mixvargenet_fusion.py'), undefined, (_n, b) => [[b, 1000]]],
    [
      'the backbone-only example (the stages in output_list)',
      () => example('mixvargenet_backbone_only.py'),
      2,
      (n, b) => n.outputs.map((i) => [b, ...n.stages[i].outShape!]),
    ],
    ['an inline backbone-only config with a dropped fusion map', () => BACKBONE_FUSION, 1, (n, b) => n.outputs.map((i) => [b, ...n.stages[i].outShape!])],
    ['a small classifier (k3k3, _r shortcut, fc_filter)', () => SMALL_CLASSIFIER, 4, (_n, b) => [[b, 10]]],
  ];
  for (const [name, text, batch, expected] of cases) {
    it(name, () => {
      const net = netOf(text());
      const file = path.join(tmp, `${name.replace(/\W+/g, '_')}.onnx`);
      fs.writeFileSync(file, buildOnnx(net, batch === undefined ? {} : { batch }));
      const c = check(file);
      assert.ok(c.ir >= 7, `IR version ${c.ir}`);
      assert.ok(c.opset.length === 1 && c.opset[0] >= 11, `opset ${c.opset}`);
      const out = c.outputs;
      if (batch === undefined) {
        assert.equal(typeof out[0][0], 'string', 'symbolic batch dimension');
        assert.deepEqual(out, expected(net, out[0][0]));
      } else assert.deepEqual(out, expected(net, batch));
    });
  }

  // The int8 QDQ model (issue 15): uint8/int8/int32 initializers, per-channel DequantizeLinear (axis 0), opset 13.
  for (const [name, text, batch, expected] of cases.slice(0, 4)) {
    it(`int8 QDQ: ${name}`, () => {
      const net = netOf(text());
      const plan = planOnnx(net, batch === undefined ? {} : { batch });
      // Any positive ranges make a valid model; the values are the calibration's business.
      const ranges = Object.fromEntries(quantPoints(plan).map((p, i) => [p.value, 0.5 + (i % 7)]));
      const file = path.join(tmp, `${name.replace(/\W+/g, '_')}.int8.onnx`);
      fs.writeFileSync(file, encodeQdq(plan, ranges).bytes);
      const c = check(file);
      assert.deepEqual(c.opset, [13]);
      const out = c.outputs;
      if (batch === undefined) assert.deepEqual(out, expected(net, out[0][0]));
      else assert.deepEqual(out, expected(net, batch));
    });
  }

  it('the same model with one dangling node input is rejected (negative control)', () => {
    const file = path.join(tmp, 'dangling.onnx');
    fs.writeFileSync(file, buildOnnx(netOf(SMALL_CLASSIFIER), { batch: 1 }));
    const r = spawnSync(PY, ['-c', CHECK, file, 'break'], { encoding: 'utf8', timeout: 120_000 });
    assert.notEqual(r.status, 0, 'a graph reading an undefined value must not pass');
    assert.match(r.stderr, /no_such_value/);
  });
});
