// Hovers in a real VS Code: an op (its settings and the convs it becomes here), a field, MixVarGENetConfig.
import { strict as assert } from 'node:assert';
import { api, closeAll, hoverText, open, pos } from './lib/ext';

describe('hover', function () {
  this.timeout(60_000);
  afterEach(closeAll);

  it('on an op: its settings and the convs it becomes at this position', async () => {
    const a = await api();
    const { doc } = await open('configs/mixvargenet_imagenet.py');
    await a.whenAnalyzed(doc);
    const md = await hoverText(doc, pos(doc, '["mixvarge_f2_|gb16"] * 6'));
    assert.match(md, /\*\*mixvarge_f2_gb16\*\* · J5 toolkit/);
    assert.match(md, /\| conv1 \| 3x3, widens ×2 \| groups = int\(cin\/16\) \|/);
    assert.match(md, /stage 3 stack blocks 1–6 \(6 blocks\): 96 → 192 → 96, stride 1, 96×14×14 → 96×14×14/);
    assert.match(md, /\| conv1 \| 96→192 \| 3x3 \| 1 \| 6 \| 192×14×14 \| 28,224 \| 5,419,008 \|/);
    assert.match(md, /6 blocks: \*\*281,664 params\*\*/);
  });

  it('on MixVarGENetConfig: the stage summary', async () => {
    const a = await api();
    const { doc } = await open('configs/mixvargenet_fusion.py');
    await a.whenAnalyzed(doc);
    const md = await hoverText(doc, pos(doc, 'MixVar|GENetConfig(in_channels=64'));
    assert.match(md, /\*\*Stage 3\*\* of 5 · 64×28×28 → \*\*96×14×14\*\* · output stride 16/);
    assert.match(md, /params \(\d+(\.\d)?% of the network\)/);
    assert.match(md, /Fusion inputs arriving\*\* \(by position\): 0: stage 1 ↓4 \(32 ch, 14×14\) · 1: stage 2 ↓2 \(64 ch, 14×14\)/);
  });

  it('on a field: its documentation from the schema', async () => {
    const a = await api();
    const { doc } = await open('configs/mixvargenet_imagenet.py');
    await a.whenAnalyzed(doc);
    const md = await hoverText(doc, pos(doc, 'fusion_str|ides=[]'));
    assert.match(md, /\*\*fusion_strides\*\*: `list\[int\]` = \[\]/);
    assert.match(md, /Strides of earlier feature maps added into this stage's head block, ascending/);
    assert.equal(await hoverText(doc, pos(doc, 'batch_size_per|_gpu = 128')), '', 'nothing elsewhere');
  });
});
