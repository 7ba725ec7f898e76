/**
 * Live check against PyTorch: generate random-but-valid configs from a seeded PRNG, run them
 * through test/fixtures/torch/reference.py (real nn.Modules, a real forward pass) and compare
 * with analyze(). Skipped when /usr/bin/python3 cannot import torch.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze } from '../../../extension/core/analyze';
import { differences, REPO, type RefResult } from './reference-compare';
import { requireOrSkip } from '../../requires';

const PYTHON = '/usr/bin/python3';
const REFERENCE = path.join(REPO, 'test/fixtures/torch/reference.py');

/** The ops of the J5 toolkit, with their BLOCK_CONFIG settings (MIXVARGENET.md §2). */
const J5_OPS: Record<string, { factor: number; gb1?: number; gb2?: number }> = {
  mixvarge_f2: { factor: 2 },
  mixvarge_f4: { factor: 4 },
  mixvarge_f2_gb16: { factor: 2, gb1: 16 },
  mixvarge_f4_gb16: { factor: 4, gb1: 16 },
  mixvarge_k3k3_f2: { factor: 2 },
  mixvarge_k3k3_f2_gb16: { factor: 2, gb1: 16, gb2: 16 },
  mixvarge_f2_r: { factor: 2 },
  mixvarge_f2_r_gb16: { factor: 2, gb1: 16 },
};
const OP_NAMES = Object.keys(J5_OPS);

/** mulberry32: a small seeded PRNG, so every run generates the same configs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Would nn.Conv2d accept both convs of this block? */
function blockValid(op: string, cin: number, cout: number): boolean {
  const s = J5_OPS[op];
  const mid = s.factor === 1 ? cout : Math.trunc(cin * s.factor);
  const g1 = s.gb1 ? Math.trunc(cin / s.gb1) : 1;
  const g2 = s.gb2 ? Math.trunc(cout / s.gb2) : 1;
  return g1 >= 1 && g2 >= 1 && cin % g1 === 0 && mid % g1 === 0 && mid % g2 === 0 && cout % g2 === 0;
}

interface GenStage {
  cin: number;
  cout: number;
  head: string;
  stack: string[];
  stride: number;
  factor: number;
  fusion: number[];
  edn: number;
}

interface GenOptions {
  stages: number;
  input: [number, number];
  canonicalStrides: boolean;
  includeTop: boolean;
  bias: boolean;
}

const conv3s2 = (h: number) => Math.floor((h + 2 - 3) / 2) + 1;

function generate(rand: () => number, o: GenOptions): { text: string; stages: GenStage[] } {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const width = () => 16 * (1 + Math.floor(rand() * 12)); // 16..192
  const op = (cin: number, cout: number): string => {
    for (let t = 0; t < 50; t++) {
      const c = pick(OP_NAMES);
      if (blockValid(c, cin, cout)) return c;
    }
    return 'mixvarge_f2';
  };
  const stages: GenStage[] = [];
  let cin = 16 * (1 + Math.floor(rand() * 4));
  for (let k = 0; k < o.stages; k++) {
    const cout = width();
    const stride = o.canonicalStrides ? (k === 0 ? 1 : 2) : pick([1, 2]);
    const n = Math.floor(rand() * 4); // 0..3 stack ops
    const factor = 1 + Math.floor(rand() * 2); // 1..2
    const stack: string[] = [];
    for (let i = 0; i < n; i++) {
      const bi = n > 1 && i > 0 ? factor * cout : cout;
      const bo = n > 1 && i < n - 1 ? factor * cout : cout;
      stack.push(op(bi, bo));
    }
    stages.push({ cin, cout, head: op(cin, cout), stack, stride, factor, fusion: [], edn: 0 });
    cin = cout;
  }
  // Spatial size after each stage (3x3/s2/p1 and 1x1/s2 give the same size).
  const hw: [number, number][] = [];
  let [h, w] = [conv3s2(o.input[0]), conv3s2(o.input[1])];
  for (const s of stages) {
    if (s.stride === 2) [h, w] = [conv3s2(h), conv3s2(w)];
    hw.push([h, w]);
  }
  // Fusion: choose extra_downsample_num stage by stage, keep the choice only when every map the
  // next head would receive has that head's size and the sources come in ascending order; the
  // next stage then fuses exactly those maps (fusion stride 2^(source+1) names the source stage).
  let start: number | null = null;
  const lists: { src: number; h: number; w: number }[][] = [[], [], []]; // 2x, 4x, 8x
  for (let k = 0; k < stages.length - 1; k++) {
    const want = rand() < 0.5 ? 1 + Math.floor(rand() * 3) : 0;
    for (let edn = want; edn > 0; edn--) {
      const maps: { src: number; h: number; w: number }[] = [];
      let [dh, dw] = hw[k];
      for (let j = 0; j < edn; j++) {
        [dh, dw] = [conv3s2(dh), conv3s2(dw)];
        maps.push({ src: k, h: dh, w: dw });
      }
      const trial = lists.map((l, j) => (j < edn ? [...l, maps[j]] : l));
      const st: number = start ?? k;
      const i = k - st;
      const got: { src: number; h: number; w: number }[] = [];
      if (i - 2 >= 0 && i - 2 < trial[2].length) got.push(trial[2][i - 2]);
      if (i - 1 >= 0 && i - 1 < trial[1].length) got.push(trial[1][i - 1]);
      if (i >= 0 && i < trial[0].length) got.push(trial[0][i]);
      const [nh, nw] = hw[k + 1];
      const sizesOk = got.every((m) => m.h === nh && m.w === nw);
      const ascending = got.every((m, j) => j === 0 || got[j - 1].src < m.src);
      if (!sizesOk || !ascending) continue;
      start = st;
      for (let j = 0; j < 3; j++) lists[j] = trial[j];
      stages[k].edn = edn;
      stages[k + 1].fusion = got.map((m) => 2 ** (m.src + 1));
      break;
    }
  }
  const cfg = (s: GenStage) =>
    `    [MixVarGENetConfig(in_channels=${s.cin}, out_channels=${s.cout}, head_op="${s.head}",\n` +
    `                       stack_ops=[${s.stack.map((x) => `"${x}"`).join(', ')}], stack_factor=${s.factor}, stride=${s.stride},\n` +
    `                       fusion_strides=[${s.fusion.join(', ')}], extra_downsample_num=${s.edn})],\n`;
  const outputList = o.includeTop ? '' : `        include_top=False,\n        output_list=[${stages.map((_, i) => i).filter(() => rand() < 0.6).join(', ')}],\n`;
  const text =
    '# generated by torch-live.test.ts\n' +
    'import torch\n' +
    'from hat.models.backbones.mixvargenet import MixVarGENetConfig\n' +
    'from horizon_plugin_pytorch.march import March\n\n' +
    'march = March.BAYES\n' +
    'num_classes = 10\n' +
    'net_config = [\n' +
    stages.map(cfg).join('') +
    ']\n' +
    'model = dict(\n' +
    '    type="Classifier",\n' +
    '    backbone=dict(\n' +
    '        type="MixVarGENet",\n' +
    '        net_config=net_config,\n' +
    '        num_classes=num_classes,\n' +
    '        bn_kwargs={},\n' +
    `        bias=${o.bias ? 'True' : 'False'},\n` +
    '        fc_filter=256,\n' +
    outputList +
    '    ),\n' +
    ')\n' +
    `deploy_inputs = dict(img=torch.randn((1, 3, ${o.input[0]}, ${o.input[1]})))\n`;
  return { text, stages };
}

/** Is torch installed for /usr/bin/python3? (Finds the package without paying for its import.) */
function torchInstalled(): boolean {
  if (!fs.existsSync(PYTHON)) return false;
  const r = spawnSync(PYTHON, ['-c', 'import importlib.util, sys; sys.exit(importlib.util.find_spec("torch") is None)'], {
    timeout: 15000,
    stdio: 'ignore',
  });
  return r.status === 0;
}

/**
 * MVG_TORCH_SEED and MVG_TORCH_ROUNDS explore further (e.g. MVG_TORCH_ROUNDS=20 checks 60
 * configs); the default, one round from a fixed seed, keeps the suite fast and reproducible.
 */
const SEED = Number(process.env.MVG_TORCH_SEED ?? 20240611);
const ROUNDS = Math.max(1, Number(process.env.MVG_TORCH_ROUNDS ?? 1));

describe('model vs live PyTorch on generated configs', function () {
  this.timeout(60000 * ROUNDS);
  let dir = '';
  let refs: RefResult[] = [];
  const rand = prng(SEED);
  const variants: GenOptions[] = [
    // canonical layout with the classifier head at 224x224 (7x7 before the pool)
    { stages: 5, input: [224, 224], canonicalStrides: true, includeTop: true, bias: true },
    // random strides, no top, a non-square input
    { stages: 6, input: [256, 192], canonicalStrides: false, includeTop: false, bias: false },
    // canonical layout at an odd, non-square size: the pool leaves 2x1, so view() makes 2 rows per image
    { stages: 5, input: [232, 200], canonicalStrides: true, includeTop: true, bias: false },
  ];
  const generated = Array.from({ length: ROUNDS }, () => variants.map((v) => generate(rand, v))).flat();

  before(function () {
    requireOrSkip(this, torchInstalled(), 'PyTorch for /usr/bin/python3', 'apt-get install python3-torch');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-torch-'));
    const files = generated.map((g, i) => {
      const f = path.join(dir, `generated_${i}.py`);
      fs.writeFileSync(f, g.text);
      return f;
    });
    const r = spawnSync(PYTHON, [REFERENCE, ...files], { encoding: 'utf8', timeout: 50000 * ROUNDS, maxBuffer: 64 << 20 });
    // torch is there but does not import (a broken install): same as no torch.
    requireOrSkip(this, !(!r.stdout && /No module named 'torch'|ImportError|OSError/.test(r.stderr ?? '')), `a working PyTorch (${r.stderr?.trim().split('\n').pop()})`, 'apt-get install --reinstall python3-torch');
    assert.ok(r.stdout, `reference.py printed nothing: ${r.stderr}`);
    refs = JSON.parse(r.stdout) as RefResult[];
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('generates configs that use fusion and stack_factor', () => {
    const all = generated.flatMap((g) => g.stages);
    assert.ok(all.some((s) => s.fusion.length > 0), 'no generated stage fuses anything');
    assert.ok(all.some((s) => s.factor === 2 && s.stack.length >= 2), 'no stack is widened');
  });

  generated.forEach((g, i) => {
    it(`generated config ${i}: analyze() agrees with PyTorch`, () => {
      const ref = refs[i];
      assert.equal(ref.error, undefined, `the generated config does not build in PyTorch: ${ref.error}\n${g.text}`);
      const a = analyze(g.text);
      assert.deepEqual(differences(a.network, ref), [], g.text);
    });
  });
});
