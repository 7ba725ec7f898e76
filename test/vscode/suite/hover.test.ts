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
    assert.match(md, /\*\*Settings:\*\* conv1 3×3 widens ×2, groups int\(cin\/16\) · conv2 1×1/);
    assert.match(md, /stage 3 stack blocks 1–6 \(6 blocks\): 96 → 192 → 96, stride 1, 96×14×14 → 96×14×14/);
    // Stride and groups labelled in one cell (three bare numbers side by side read as one): 3×3, stride 1, 6 groups.
    assert.match(md, /\| conv1 \| 96→192 \| 3×3 s1 g6 \| 192×14×14 \| 28,224 \| 5,419,008 \|/);
    assert.match(md, /6 blocks: \*\*281,664 params\*\*/);
    // Essentials first: where and what it costs come before the conv table and the op's settings; a link to the rest.
    assert.ok(md.indexOf('6 blocks:') < md.indexOf('| conv1') && md.indexOf('| conv1') < md.indexOf('Settings:'), md);
    assert.match(md, /\[\$\(list-tree\) Network summary\]\(command:mixvargenet\.showNetworkSummary/);
    assert.ok(md.split('\n').length <= 16, `short: ${md.split('\n').length} lines`);
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

  it('on net_config: every part with its share, the stem and head included, adding up to the total', async () => {
    const a = await api();
    const { doc } = await open('configs/mixvargenet_imagenet.py');
    await a.whenAnalyzed(doc);
    const md = await hoverText(doc, pos(doc, 'net_con|fig = ['));
    assert.match(md, /^\*\*MixVarGENet · 5 stages · 2\.31M params · 1\.03 GMAC · J5\*\*/);
    const rows = md.split('\n').filter((l) => /^\| (stem|stage \d|head|total)/.test(l)).map((l) => l.split('|')[1].trim().split(' ')[0] + (l.includes('stage') ? l.split('|')[1].trim().split(' ')[1] : ''));
    assert.deepEqual(rows, ['stem', 'stage0', 'stage1', 'stage2', 'stage3', 'stage4', 'head', 'total']);
    // The head's classifier is more than half of the seed's parameters: 1,193,912 of 2,310,744 (docs/cli.md) = 51.7%.
    assert.match(md, /\| head \| 1000×1×1 \| 1\.19M \(52%\) \|/);
    assert.match(md, /\| total \| {2}\| 2\.31M \| 1\.03G \|/);
    assert.match(md, /Network summary\]\(command:mixvargenet\.showNetworkSummary/);
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
