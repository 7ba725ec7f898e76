import { strict as assert } from 'node:assert';
import { RULE_BY_CODE } from '../../../../extension/core/rules/index';
import { at, config, example, only } from './helpers';

const CODE = 'MVG301';

describe('MVG301 input-assumed', () => {
  it('is registered as guidance info', () => {
    const r = RULE_BY_CODE.get(CODE);
    assert.equal(r?.name, 'input-assumed');
    assert.equal(r?.severity, 'info');
    assert.equal(r?.category, 'guidance');
  });

  it('fires at the backbone type when there is no deploy_inputs', () => {
    const text = config({ input: null });
    const fs = only(text, CODE);
    assert.equal(fs.length, 1);
    assert.equal(fs[0].severity, 'info');
    assert.equal(at(text, fs[0].range), '"MixVarGENet"');
    assert.match(fs[0].message, /No deploy_inputs or data_shape .*assume a 1x3x224x224 input/);
  });

  it('says when deploy_inputs exists but its shape cannot be known', () => {
    const text = config({ input: null, prelude: 'from x import S' }) + 'deploy_inputs = dict(img=torch.randn((1, 3, S, S)))\n';
    const [f] = only(text, CODE);
    assert.match(f.message, /The shape of deploy_inputs cannot be known without running code/);
  });

  it('falls back to the first config when there is no backbone dict', () => {
    const text = [
      'from hat.models.backbones.mixvargenet import MixVarGENetConfig',
      'net_config = [',
      '    [MixVarGENetConfig(in_channels=32, out_channels=32, head_op="mixvarge_f2", stack_ops=[], stride=1)],',
      ']',
      '',
    ].join('\n');
    const [f] = only(text, CODE);
    assert.ok(f);
    assert.equal(at(text, f.range), 'MixVarGENetConfig');
  });

  it('does not fire with deploy_inputs or data_shape, or with hints off', () => {
    assert.equal(only(config(), CODE).length, 0);
    assert.equal(only(config({ input: null, prelude: 'data_shape = (3, 224, 224)' }), CODE).length, 0);
    assert.equal(only(example('mixvargenet_imagenet.py'), CODE).length, 0);
    assert.equal(only(config({ input: null }), CODE, { hints: false }).length, 0);
  });
});
