import { strict as assert } from 'node:assert';
import { hover } from '../../../extension/core/ide/hover';
import { FIELD_BY_NAME } from '../../../extension/core/schema';
import { FUSION, SEED, at, input, replaceOnce } from './helpers';

describe('ide/hover', () => {
  it('shows an op, the convs it becomes here and their cost', () => {
    const h = hover(input(SEED, at(SEED, '"mixv|arge_f4", "mixvarge_f4"], stack_factor=1, stride=2,\n                       fusion_strides=[], extra_downsample_num=0)],                              # stride 8')));
    assert.equal(h?.kind, 'op');
    assert.equal(SEED.slice(h!.range.start, h!.range.end), '"mixvarge_f4"');
    const md = h!.markdown;
    assert.match(md, /\*\*mixvarge_f4\*\* · J5 toolkit/);
    assert.match(md, /stage 2 stack block 1: 64 → 256 → 64, stride 1, 64×28×28 → 64×28×28/);
    // conv1 3x3 64→256 at 28x28: 147,456 weights + 256 bias + 512 BN = 148,224 params; 147,456*784 MACs.
    assert.match(md, /\| conv1 \| 64→256 \| 3×3 s1 \| 256×28×28 \| 148,224 \| 115,605,504 \|/);
    assert.match(md, /\| conv2 \| 256→64 \| 1×1 s1 \| 64×28×28 \|/);
    assert.doesNotMatch(md, /\| shortcut \| 64→/, 'identity shortcut at stride 1 with equal widths');
  });

  it('sums the blocks of a repeated op (["op"] * 6)', () => {
    const h = hover(input(SEED, at(SEED, '["mixvarge_f2_|gb16"] * 6')));
    assert.match(h!.markdown, /stack blocks 1–6 \(6 blocks\)/);
    assert.match(h!.markdown, /\| conv1 \| 96→192 \| 3×3 s1 g6 \|/);
    assert.match(h!.markdown, /6 blocks: \*\*281,664 params\*\*/);
  });

  it('shows the stage summary on MixVarGENetConfig', () => {
    const h = hover(input(SEED, at(SEED, 'MixVar|GENetConfig(in_channels=64')));
    assert.equal(h?.kind, 'config');
    const md = h!.markdown;
    assert.match(md, /\*\*Stage 3\*\* of 5 · 64×28×28 → \*\*96×14×14\*\* · output stride 16/);
    assert.match(md, /319,488 params \(14% of the network\)/);
    assert.match(md, /\| head \| mixvarge_f2_gb16 \| 64→128→96 \| 2 \| 96×14×14 \| 37,824 \|/);
  });

  it('shows fusion inputs on a fusing stage', () => {
    const h = hover(input(FUSION, at(FUSION, 'MixVar|GENetConfig(in_channels=64')));
    assert.match(h!.markdown, /Fusion inputs arriving\*\* \(by position\): 0: stage 1 ↓4 \(32 ch, 14×14\) · 1: stage 2 ↓2 \(64 ch, 14×14\)/);
    const v = hover(input(FUSION, at(FUSION, 'fusion_strides=[4, |8]')));
    assert.equal(v?.kind, 'value');
    assert.match(v!.markdown, /Arriving in position 1: \*\*stage 2 ↓2/);
  });

  it('shows the schema doc on a field name, and names a misspelt one', () => {
    const h = hover(input(SEED, at(SEED, 'extra_down|sample_num')));
    assert.equal(h?.kind, 'field');
    assert.ok(h!.markdown.includes(FIELD_BY_NAME.get('extra_downsample_num')!.description));
    const typo = replaceOnce(SEED, 'stack_factor=1, stride=1', 'stack_factr=1, stride=1');
    const u = hover(input(typo, at(typo, 'stack_fac|tr')));
    assert.equal(u?.kind, 'unknown-field');
    assert.match(u!.markdown, /unexpected keyword argument 'stack_factr'/);
    assert.match(u!.markdown, /Did you mean `stack_factor`/);
  });

  it('summarises the network on net_config and is silent elsewhere', () => {
    const h = hover(input(SEED, at(SEED, 'net_con|fig = [')));
    assert.equal(h?.kind, 'net_config');
    assert.match(h!.markdown, /MixVarGENet · 5 stages · 2\.31M params · 1\.03 GMAC · J5/);
    assert.equal(hover(input(SEED, at(SEED, 'batch_size_per|_gpu = 128'))), null);
    assert.equal(hover(input(SEED, at(SEED, 'type="Classi|fier"'))), null);
  });
});
