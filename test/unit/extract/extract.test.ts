import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePython } from '../../../extension/core/python/parse';
import { evaluateWithOrphans } from '../../../extension/core/python/evaluate';
import { extract, type Extracted } from '../../../extension/core/extract';
import type { Value } from '../../../extension/core/python/values';

const SEED = fs.readFileSync(path.join(__dirname, '../../../../examples/configs/mixvargenet_imagenet.py'), 'utf8');

function ex(text: string): Extracted {
  const parsed = parsePython(text);
  return extract(parsed, evaluateWithOrphans(parsed));
}

const HEAD = [
  'import torch',
  'from hat.models.backbones.mixvargenet import MixVarGENetConfig',
  'from horizon_plugin_pytorch.march import March',
  '',
].join('\n');

const stage = (cin: number, cout: number, stride = 2) =>
  `[MixVarGENetConfig(in_channels=${cin}, out_channels=${cout}, head_op="mixvarge_f2", stack_ops=[], stride=${stride})]`;
const list = (...stages: string[]) => `[\n    ${stages.join(',\n    ')},\n]`;
const backbone = (netConfig: string, extra = '') => `dict(type="MixVarGENet", net_config=${netConfig}, num_classes=1000${extra})`;

function int(v: Value | undefined): number | undefined {
  return v && v.k === 'int' ? v.v : undefined;
}

function channels(e: Extracted): (number | undefined)[][] {
  return (e.netConfig?.stages ?? []).map((s) => [int(s.configs[0]?.args.get('in_channels')?.value), int(s.configs[0]?.args.get('out_channels')?.value)]);
}

const at = (text: string, r: { start: number; end: number } | undefined) => (r ? text.slice(r.start, r.end) : undefined);

describe('extract', () => {
  describe('backbone and net_config', () => {
    it('the seed: backbone inside model = dict(...), net_config through it, deploy_model as another backbone', () => {
      const e = ex(SEED);
      assert.ok(e.backbone);
      assert.ok(e.backbone.dict.node.start > SEED.indexOf('\nmodel = dict('));
      assert.ok(e.backbone.dict.node.start < SEED.indexOf('\ndeploy_model = dict('));
      assert.equal(e.backbone.complete, true);
      assert.equal(int(e.backbone.entries.get('num_classes')?.value), 1000);
      assert.equal(e.otherBackbones.length, 1);
      assert.ok(e.otherBackbones[0].dict.node.start > SEED.indexOf('\ndeploy_model = dict('));
      const nc = e.netConfig!;
      assert.equal(nc.source, 'backbone');
      assert.equal(nc.recovered, false);
      assert.equal(nc.partial, false);
      assert.equal(at(SEED, nc.argRange), 'net_config=net_config');
      assert.ok(at(SEED, nc.range)!.startsWith('[\n    [MixVarGENetConfig(in_channels=32'), 'range is where the list is written');
      assert.deepEqual(channels(e), [
        [32, 32],
        [32, 32],
        [32, 64],
        [64, 96],
        [96, 160],
      ]);
      assert.equal(e.configs.length, 5);
      assert.equal(e.mentionsConfig, true);
      for (const s of nc.stages) {
        assert.equal(s.configs.length, 1);
        assert.equal(s.notAList, false);
        assert.equal(s.unknown, false);
        assert.ok(at(SEED, s.range)!.startsWith('[MixVarGENetConfig('));
      }
    });

    it('prefers the backbone in model = dict(...) over deploy_model, even when deploy_model comes first', () => {
      const text =
        HEAD +
        `small = ${list(stage(16, 16, 1))}\n` +
        `big = ${list(stage(32, 32, 1), stage(32, 64))}\n` +
        `deploy_model = dict(type="Classifier", backbone=${backbone('small')})\n` +
        `model = dict(type="Classifier", backbone=${backbone('big')})\n` +
        `float_model = dict(type="Classifier", backbone=${backbone('small')})\n`;
      const e = ex(text);
      assert.equal(e.netConfig?.source, 'backbone');
      assert.deepEqual(channels(e), [
        [32, 32],
        [32, 64],
      ]);
      assert.ok(e.backbone!.dict.node.start > text.indexOf('\nmodel = '));
      assert.equal(e.otherBackbones.length, 2);
      assert.equal(at(text, e.netConfig?.argRange), 'net_config=big');
    });

    it('without a model = ..., the first backbone dict is used', () => {
      const text = HEAD + `a = ${list(stage(8, 8, 1))}\nb = ${list(stage(16, 16, 1))}\nx = ${backbone('a')}\ny = ${backbone('b')}\n`;
      const e = ex(text);
      assert.deepEqual(channels(e), [[8, 8]]);
      assert.equal(e.otherBackbones.length, 1);
    });

    it('a backbone whose type is a reference (type=MixVarGENet, imported) counts too', () => {
      const text = HEAD + 'from hat.models.backbones import MixVarGENet\n' + `cfg = ${list(stage(32, 32, 1))}\nmodel = dict(backbone=dict(type=MixVarGENet, net_config=cfg))\n`;
      const e = ex(text);
      assert.ok(e.backbone);
      assert.equal(e.netConfig?.source, 'backbone');
    });

    it('net_config as a module-level variable, without any backbone', () => {
      const text = HEAD + `net_config = ${list(stage(32, 32, 1), stage(32, 64))}\n`;
      const e = ex(text);
      assert.equal(e.backbone, undefined);
      assert.equal(e.netConfig?.source, 'variable');
      assert.deepEqual(channels(e), [
        [32, 32],
        [32, 64],
      ]);
      assert.ok(at(text, e.netConfig?.range)!.startsWith('[\n    [MixVarGENetConfig'));
    });

    it('net_config built by appends and +=, then passed to the backbone: every stage', () => {
      const text =
        HEAD +
        `net_config = [${stage(32, 32, 1)}]\nnet_config.append(${stage(32, 64)})\nnet_config += [${stage(64, 96)}]\n` +
        `model = dict(type="Classifier", backbone=${backbone('net_config')})\n`;
      const e = ex(text);
      assert.equal(e.netConfig?.source, 'backbone');
      assert.deepEqual(channels(e), [
        [32, 32],
        [32, 64],
        [64, 96],
      ]);
    });

    it('net_config variable extended with +=: every stage', () => {
      const text = HEAD + `net_config = [${stage(32, 32, 1)}]\nnet_config += [${stage(32, 64)}]\n`;
      const e = ex(text);
      assert.equal(e.netConfig?.source, 'variable');
      assert.equal(e.netConfig?.stages.length, 2);
    });

    it('a net_config variable built by append keeps the appended stages', () => {
      const text = HEAD + `net_config = [${stage(32, 32, 1)}]\nnet_config.append(${stage(32, 64)})\n`;
      const e = ex(text);
      assert.equal(e.netConfig?.source, 'variable');
      assert.equal(e.netConfig?.stages.length, 2);
      assert.ok(at(text, e.netConfig?.range)!.startsWith('[[MixVarGENetConfig'));
    });

    it('a list of stage lists under another name, with no backbone and no net_config', () => {
      const text = HEAD + `settings = [1, 2]\nstages = ${list(stage(32, 32, 1), stage(32, 48))}\n`;
      const e = ex(text);
      assert.equal(e.netConfig?.source, 'list');
      assert.deepEqual(channels(e), [
        [32, 32],
        [32, 48],
      ]);
    });

    it('a backbone whose net_config is written inline', () => {
      const text = HEAD + `model = dict(type="Classifier", backbone=${backbone(list(stage(32, 32, 1)))})\n`;
      const e = ex(text);
      assert.equal(e.netConfig?.source, 'backbone');
      assert.equal(e.netConfig?.stages.length, 1);
    });

    it('a backbone whose net_config cannot be known is partial with no stages, never guessed', () => {
      const text = HEAD + `model = dict(type="Classifier", backbone=${backbone('load_config()')})\n`;
      const e = ex(text);
      assert.ok(e.backbone);
      assert.ok(!e.netConfig || (e.netConfig.stages.length === 0 && e.netConfig.partial));
    });

    it('stage items that are not lists, or unknown, are flagged', () => {
      const text = HEAD + `net_config = [\n    ${stage(32, 32, 1).slice(1, -1)},\n    some_stage(),\n    ${stage(32, 64)},\n]\n`;
      const e = ex(text);
      const s = e.netConfig!.stages;
      assert.equal(s.length, 3);
      assert.equal(s[0].notAList, true);
      assert.equal(s[0].configs.length, 1);
      assert.equal(s[1].unknown, true);
      assert.equal(s[1].configs.length, 0);
      assert.equal(s[2].notAList, false);
      assert.equal(e.netConfig!.partial, true);
    });

    it('a file without MixVarGENet', () => {
      const e = ex('x = 1\nmodel = dict(type="ResNet")\n');
      assert.equal(e.netConfig, undefined);
      assert.equal(e.backbone, undefined);
      assert.equal(e.mentionsConfig, false);
      assert.deepEqual(e.configs, []);
      assert.equal(e.input.source, 'default');
      assert.deepEqual(e.input.shape, [1, 3, 224, 224]);
    });
  });

  describe('recovered stages', () => {
    it('stage 1 with an unclosed bracket: one stage per config call, in order, marked recovered', () => {
      let cut = -1;
      for (let i = 0; i < 2; i++) cut = SEED.indexOf(')],', cut + 1);
      const text = SEED.slice(0, cut + 1) + SEED.slice(cut + 2); // drop stage 1's `]`
      const e = ex(text);
      const nc = e.netConfig!;
      assert.equal(nc.recovered, true);
      assert.equal(nc.partial, true);
      assert.deepEqual(channels(e), [
        [32, 32],
        [32, 32],
        [32, 64],
        [64, 96],
        [96, 160],
      ]);
      nc.stages.forEach((s, i) => {
        assert.equal(s.index, i);
        assert.ok(at(text, s.range)!.startsWith('MixVarGENetConfig('));
      });
      assert.ok(e.backbone);
      assert.equal(e.input.source, 'deploy_inputs');
    });

    it('a net_config variable cut off in the middle of a stage (the half-typed file)', () => {
      const text = HEAD + `net_config = [\n    ${stage(32, 32, 1)},\n    ${stage(32, 64)},\n    [MixVarGENetConfig(in_channels=64, out_ch`;
      const e = ex(text);
      assert.equal(e.netConfig?.recovered, true);
      const ch = channels(e);
      assert.deepEqual(ch.slice(0, 2), [
        [32, 32],
        [32, 64],
      ]);
      assert.ok(ch.length <= 3);
      if (ch.length === 3) assert.equal(ch[2][0], 64);
    });
  });

  describe('input shape', () => {
    const cases: { name: string; code: string; shape: number[]; source: string; text?: string }[] = [
      { name: 'deploy_inputs = dict(img=torch.randn((1, 3, 512, 512)))', code: 'deploy_inputs = dict(img=torch.randn((1, 3, 512, 512)))', shape: [1, 3, 512, 512], source: 'deploy_inputs', text: 'torch.randn((1, 3, 512, 512))' },
      { name: 'deploy_inputs = torch.randn(1, 3, 256, 256)', code: 'deploy_inputs = torch.randn(1, 3, 256, 256)', shape: [1, 3, 256, 256], source: 'deploy_inputs', text: 'torch.randn(1, 3, 256, 256)' },
      { name: 'dict(img=torch.randn([1, 3, 320, 480]))', code: 'deploy_inputs = dict(img=torch.randn([1, 3, 320, 480]))', shape: [1, 3, 320, 480], source: 'deploy_inputs' },
      { name: 'torch.zeros(size=(2, 3, 128, 128))', code: 'deploy_inputs = dict(img=torch.zeros(size=(2, 3, 128, 128)))', shape: [2, 3, 128, 128], source: 'deploy_inputs' },
      { name: 'a 3-d tensor gets N = 1', code: 'deploy_inputs = dict(img=torch.rand(3, 64, 64))', shape: [1, 3, 64, 64], source: 'deploy_inputs' },
      { name: 'another key when there is no img', code: 'deploy_inputs = dict(data=torch.randn(1, 3, 96, 96))', shape: [1, 3, 96, 96], source: 'deploy_inputs' },
      { name: 'dims from names', code: 'H, W = 384, 640\ndeploy_inputs = dict(img=torch.randn((1, 3, H, W)))', shape: [1, 3, 384, 640], source: 'deploy_inputs' },
      { name: 'data_shape = (3, 320, 320)', code: 'data_shape = (3, 320, 320)', shape: [1, 3, 320, 320], source: 'data_shape', text: '(3, 320, 320)' },
      { name: 'data_shape = [3, 224, 448]', code: 'data_shape = [3, 224, 448]', shape: [1, 3, 224, 448], source: 'data_shape' },
      { name: 'deploy_inputs wins over data_shape', code: 'data_shape = (3, 320, 320)\ndeploy_inputs = dict(img=torch.randn(1, 3, 160, 160))', shape: [1, 3, 160, 160], source: 'deploy_inputs' },
      { name: 'an unknown dim falls back to data_shape', code: 'data_shape = (3, 320, 320)\ndeploy_inputs = dict(img=torch.randn(1, 3, size, size))', shape: [1, 3, 320, 320], source: 'data_shape' },
      { name: 'an unknown dim and no data_shape: the default', code: 'deploy_inputs = dict(img=torch.randn(1, 3, size, size))', shape: [1, 3, 224, 224], source: 'default' },
      { name: 'a non-positive dim is not a shape', code: 'deploy_inputs = dict(img=torch.randn(1, 3, 0, 224))', shape: [1, 3, 224, 224], source: 'default' },
      { name: 'a 2-d tensor is not an image', code: 'deploy_inputs = dict(img=torch.randn(3, 224))', shape: [1, 3, 224, 224], source: 'default' },
      { name: 'nothing said: the default 1x3x224x224', code: 'x = 1', shape: [1, 3, 224, 224], source: 'default' },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const text = HEAD + `net_config = ${list(stage(32, 32, 1))}\n` + c.code + '\n';
        const e = ex(text);
        assert.deepEqual(e.input.shape, c.shape);
        assert.equal(e.input.source, c.source);
        if (c.text) assert.equal(at(text, e.input.range), c.text);
      });
    }
  });

  describe('march', () => {
    const cases: [string, string | undefined, string | undefined][] = [
      ['march = March.BAYES', 'BAYES', 'J5'],
      ['march = March.BAYES_E', 'BAYES_E', 'J5'],
      ['march = March.NASH', 'NASH', 'J6'],
      ['march = March.NASH_E', 'NASH_E', 'J6'],
      ['march = March.NASH_M', 'NASH_M', 'J6'],
      ['march = "bayes"', 'bayes', 'J5'],
      ['march = "nash-e"', 'nash-e', 'J6'],
      ['march = March.BERNOULLI2', 'BERNOULLI2', 'XJ3'],
      ['march = March.SOMETHING_NEW', 'SOMETHING_NEW', undefined],
      ['march = get_march()', undefined, undefined],
      ['x = 1', undefined, undefined],
    ];
    for (const [code, name, target] of cases) {
      it(`${code} → ${target ?? 'no target'}`, () => {
        const text = HEAD + code + '\n';
        const e = ex(text);
        assert.equal(e.march?.name, name);
        assert.equal(e.marchTarget, target);
        if (name) assert.equal(at(text, e.march!.range), code.split(' = ')[1]);
      });
    }

    it('the seed is BAYES → J5', () => {
      const e = ex(SEED);
      assert.equal(e.march?.name, 'BAYES');
      assert.equal(e.marchTarget, 'J5');
      assert.equal(at(SEED, e.march!.range), 'March.BAYES');
    });
  });
});
