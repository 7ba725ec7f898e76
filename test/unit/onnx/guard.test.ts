// A config with 10^6 channels must be refused at once, with the reason, before any weight is drawn or any
// process started; and a timing child that grows past its memory budget is killed and says so.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { networkPlan, ONNX_BUDGET, planSize, sizeProblem } from '../../../extension/core/onnx/build';
import { AnalysisService } from '../../../extension/analysis/service';
import '../../../extension/ort/worker';
import { measure } from '../../../extension/ort/measure';
import { runWorker } from '../../../extension/ort/runner';
import { run } from '../../../extension/cli/main';
import { memoryIO } from '../../../extension/cli/io';
import { example, netOf } from './helpers';

/** The seed with its last stage widened to `c` channels (the classifier's 1x1 conv then has c·1024 weights). */
function wide(c: number): string {
  const seed = example('mixvargenet_imagenet.py');
  const out = seed.replace('MixVarGENetConfig(in_channels=96, out_channels=160,', `MixVarGENetConfig(in_channels=96, out_channels=${c},`);
  assert.notEqual(out, seed);
  return out;
}

describe('ONNX size guard', function () {
  this.timeout(60_000);

  it('the seed\'s size, by hand: the largest tensor is stage 0\'s conv1 output, weights below the params', () => {
    const net = netOf(example('mixvargenet_imagenet.py'));
    const size = planSize(net);
    // Stage 0 is mixvarge_f2 at stride 1 on the stem's 32×112×112: its conv1 widens 2× to 64×112×112.
    assert.equal(size.maxActivationElements, 64 * 112 * 112);
    // Folding BatchNorm leaves one bias per channel where PyTorch counts BN weight and bias as well.
    assert.ok(size.weightElements > 2_000_000 && size.weightElements < net.params!, `${size.weightElements} vs ${net.params}`);
    assert.equal(sizeProblem(size), undefined);
  });

  it('10^6 channels: planning refuses with the reason, in well under a second, and nothing is allocated', async () => {
    const text = wide(1_000_000);
    const net = netOf(text);
    const t0 = Date.now();
    const why = sizeProblem(planSize(net));
    assert.match(why ?? '', /fp32 weights would take [\d,]+ MB .*over the 1074 MB budget/);
    assert.throws(() => networkPlan(net), /over the 1074 MB budget/);
    const r = await measure(net, { threads: 1 });
    assert.equal(!r.ok && r.kind, 'invalid');
    assert.match(!r.ok ? r.error : '', /over the 1074 MB budget/);
    const s = new AnalysisService().onnxPlan('u', 1, text, { target: 'J5', hints: true, disabled: [] });
    assert.equal(s.ok, false);
    assert.match(!s.ok ? s.error : '', /over the 1074 MB budget/);
    assert.ok(Date.now() - t0 < 1000, `took ${Date.now() - t0} ms`);
    assert.ok(process.memoryUsage().rss < ONNX_BUDGET.weightBytes, 'no gigabyte was allocated');
  });

  it('mvg perf on such a config exits 2 with the reason (and writes no --onnx file)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-guard-'));
    try {
      fs.writeFileSync(path.join(dir, 'wide.py'), wide(1_000_000));
      const io = memoryIO({ cwd: dir });
      const t0 = Date.now();
      assert.equal(await run(['perf', 'wide.py', '--onnx', 'wide.onnx'], io), 2);
      assert.ok(Date.now() - t0 < 2000);
      assert.match(io.err, /wide\.py: not timed: the model's fp32 weights would take/);
      assert.ok(!fs.existsSync(path.join(dir, 'wide.onnx')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a large batch is refused by its activations, the same network at batch 1 is not', () => {
    const net = netOf(example('mixvargenet_imagenet.py'));
    const size = planSize(net);
    const tooMany = Math.ceil(ONNX_BUDGET.activationBytes / (size.maxActivationElements * 4)) + 1;
    assert.match(sizeProblem(size, tooMany) ?? '', new RegExp(`largest activation at batch ${tooMany} would take`));
    assert.equal(sizeProblem(size, 1), undefined);
  });

  it('the timing child is killed when its memory goes over the budget', async function () {
    if (!fs.existsSync('/proc/self/status')) this.skip(); // not Linux: no /proc to watch
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-hog-'));
    try {
      // A "worker" that keeps allocating and touching memory, and never answers.
      const hog = path.join(dir, 'hog.js');
      fs.writeFileSync(hog, 'const keep = []; setInterval(() => { const b = Buffer.alloc(64 << 20, 1); keep.push(b); }, 20);\n');
      const t0 = Date.now();
      const r = await runWorker(hog, { type: 'export', plan: { version: 1, steps: [], input: { name: 'input', dims: [1] }, outputs: [], seed: 0, structureHash: '0' }, path: path.join(dir, 'x.onnx') }, 60_000, { memoryLimitBytes: 300 << 20 }, undefined, 'exported');
      assert.equal(r.type, 'failure');
      assert.equal(r.type === 'failure' && r.failure.kind, 'memory');
      assert.match(r.type === 'failure' ? r.failure.error : '', /over its 300 MB memory budget; it was killed/);
      assert.ok(Date.now() - t0 < 20_000, `took ${Date.now() - t0} ms`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
