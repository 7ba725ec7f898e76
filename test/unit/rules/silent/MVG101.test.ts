import { strict as assert } from 'node:assert';
import { simulateRouting, stageEdns } from '../../../../extension/core/rules/support/routing';
import { RULE_BY_CODE } from '../../../../extension/core/rules/index';
import { at, applyFix, config, example, fusionConfig, inStage, only, preferred, run } from './helpers';

const CODE = 'MVG101';

describe('MVG101 dropped-downsamples', () => {
  it('is registered as a silent warning with a doc', () => {
    const r = RULE_BY_CODE.get(CODE);
    assert.ok(r);
    assert.equal(r.name, 'dropped-downsamples');
    assert.equal(r.severity, 'warning');
    assert.equal(r.category, 'silent');
    assert.match(r.doc, /final ReLU/);
  });

  it('fires on the emitting stage when the next head has fusion_strides=[]', () => {
    const text = config({ stages: { 3: { extra_downsample_num: 1 } } });
    const a = run(text);
    const fs = a.findings.filter((f) => f.code === CODE);
    assert.equal(fs.length, 1);
    const f = fs[0];
    assert.equal(f.severity, 'warning');
    assert.equal(at(text, f.range), '1');
    assert.ok(inStage(a, f.range, 3), 'range is stage 3\'s extra_downsample_num');
    assert.equal(f.stage, 3);
    assert.equal(f.unnecessary, true);
    assert.match(f.message, /extra_downsample_num=1/);
    assert.match(f.message, /^Stage 4 drops stage 3's 2x map \(no fusion_strides\)\..*stage 3's 2x map arrives at stage 4's head, which fuses nothing/);
    assert.match(f.message, /stage 3's 2x map arrives at stage 4's head, which fuses nothing: it is dropped/);
    assert.match(f.message, /final ReLU is skipped/);
    // The claim matches HAT's behaviour as modelled: stage 4's head loses its ReLU.
    assert.equal(a.network?.stages[4].blocks[0].finalRelu, false);
    assert.ok(f.related && at(text, f.related[0].range) === '[]' && inStage(a, f.related[0].range, 4));
  });

  it('preferred fix sets extra_downsample_num=0 and gives back the seed', () => {
    const text = config({ stages: { 3: { extra_downsample_num: 1 } } });
    const [f] = only(text, CODE);
    const fixed = applyFix(text, preferred(f));
    assert.equal(fixed, config());
    assert.equal(run(fixed).network?.params, 2_310_744);
  });

  it('second fix fuses the map: fusion_strides=[16] on the next stage (replaces the empty list)', () => {
    const text = config({ stages: { 3: { extra_downsample_num: 1 } } });
    const [f] = only(text, CODE);
    const fuse = f.fixes?.find((x) => !x.preferred);
    assert.ok(fuse);
    assert.match(fuse.title, /fusion_strides=\[16\]/);
    const fixed = applyFix(text, fuse);
    assert.equal(fixed, config({ stages: { 3: { extra_downsample_num: 1 }, 4: { fusion_strides: [16] } } }));
    const a = run(fixed);
    assert.equal(a.findings.filter((x) => x.severity === 'error' || x.severity === 'warning').length, 0);
    // seed + the 96→96 downsample (83,232) + one 1x1 fusion conv 96→160 with bias and BN (15,840)
    assert.equal(a.network?.params, 2_310_744 + 83_232 + 15_840);
    assert.equal(a.network?.stages[4].blocks[0].finalRelu, true);
  });

  it('inserts fusion_strides when the next stage does not write it', () => {
    const text = config({ stages: { 3: { extra_downsample_num: 1 }, 4: { fusion_strides: null } } });
    const [f] = only(text, CODE);
    assert.match(f.message, /^Stage 4 drops stage 3's 2x map \(no fusion_strides\)\..*stage 3's 2x map arrives at stage 4's head, which fuses nothing/);
    const fuse = f.fixes?.find((x) => !x.preferred);
    assert.ok(fuse);
    const fixed = applyFix(text, fuse);
    assert.match(fixed, /extra_downsample_num=0, fusion_strides=\[16\]\)\],\n\]/);
    assert.equal(only(fixed, CODE).length, 0);
  });

  it('inserts fusion_strides before a comment that ends the call, not into it', () => {
    const base = config({ stages: { 3: { extra_downsample_num: 1 }, 4: { fusion_strides: null } } });
    const cut = base.lastIndexOf('extra_downsample_num=0)') + 'extra_downsample_num=0'.length;
    const text = `${base.slice(0, cut)}  # the last stage\n    ${base.slice(cut)}`;
    const fuse = only(text, CODE)[0]?.fixes?.find((x) => !x.preferred);
    assert.ok(fuse);
    const fixed = applyFix(text, fuse);
    assert.match(fixed, /extra_downsample_num=0, fusion_strides=\[16\]  # the last stage\n {4}\)\],\n\]/);
    assert.equal(only(fixed, CODE).length, 0);
  });

  it('names every map that arrives (8x, 4x, 2x from three stages)', () => {
    // The fusion example with stage 4's fusion_strides removed: stage 4 receives stage 1's 8x,
    // stage 2's 4x and stage 3's 2x maps (MIXVARGENET.md §3) and drops all three.
    const src = example('mixvargenet_fusion.py');
    const text = src.replace('fusion_strides=[4, 8, 16], extra_downsample_num=0)', 'fusion_strides=[], extra_downsample_num=0)');
    assert.notEqual(text, src);
    const fs = only(text, CODE);
    assert.equal(fs.length, 1);
    assert.match(fs[0].message, /^Stage 4 drops stage 1's 8x, stage 2's 4x and stage 3's 2x maps \(no fusion_strides\)\..*they are dropped/);
    assert.equal(fs[0].stage, 3);
    // Stage 3's own map is not used anywhere, so its extra_downsample_num is dead.
    assert.equal(fs[0].unnecessary, true);
    // Stage 3 → 0 is offered: stage 4 then gets a plain x, and nothing after it changes.
    const pf = fs[0].fixes?.find((x) => x.preferred);
    assert.ok(pf);
    const fixed = applyFix(text, pf);
    assert.equal(only(fixed, CODE).length, 0);
    assert.equal(run(fixed).network?.stages[4].blocks[0].finalRelu, true);
    const fuse = fs[0].fixes?.find((x) => !x.preferred);
    assert.ok(fuse && /\[4, 8, 16\]/.test(fuse.title));
  });

  it('withholds extra_downsample_num=0 when later stages would receive other maps', () => {
    // stage 1 emits 2x and 4x; stage 2 drops the 2x but stage 3 fuses the 4x (with stage 2's 2x).
    const text = config({ stages: { 1: { extra_downsample_num: 2 }, 2: { extra_downsample_num: 1 }, 3: { fusion_strides: [4, 8] } } });
    const fs = only(text, CODE);
    assert.equal(fs.length, 1);
    const f = fs[0];
    assert.equal(f.stage, 1);
    assert.equal(f.unnecessary, false, "stage 1's 4x map is used by stage 3");
    assert.ok(!f.fixes?.some((x) => x.preferred));
    const fuse = f.fixes?.[0];
    assert.ok(fuse);
    const fixed = applyFix(text, fuse);
    assert.equal(fixed, config({ stages: { 1: { extra_downsample_num: 2 }, 2: { extra_downsample_num: 1, fusion_strides: [4] }, 3: { fusion_strides: [4, 8] } } }));
    assert.equal(run(fixed).findings.filter((x) => x.severity !== 'hint').length, 0);
  });

  it('does not fire on the seed, the valid fusion config, or the shipped examples', () => {
    assert.equal(only(config(), CODE).length, 0);
    assert.equal(only(fusionConfig(), CODE).length, 0);
    for (const name of ['mixvargenet_imagenet.py', 'mixvargenet_fusion.py', 'mixvargenet_backbone_only.py', 'mixvargenet_expressions.py'])
      assert.equal(only(example(name), CODE).length, 0, name);
  });

  it('does not fire when the routing cannot be known, or on the last stage', () => {
    const unknownEdn = config({ prelude: 'from my_settings import EDN', stages: { 2: { extra_downsample_num: 'EDN' } } });
    assert.equal(only(unknownEdn, CODE).length, 0);
    const unknownFusion = config({ prelude: 'from my_settings import FS', stages: { 3: { extra_downsample_num: 1 }, 4: { fusion_strides: 'FS' } } });
    assert.equal(only(unknownFusion, CODE).length, 0);
    // the last stage emitting: a crash with the top (another rule), dead weight without (MVG106)
    assert.equal(only(config({ stages: { 4: { extra_downsample_num: 1 } } }), CODE).length, 0);
    assert.equal(only(config({ stages: { 4: { extra_downsample_num: 1 } }, backbone: { include_top: 'False' } }), CODE).length, 0);
  });

  it('does not rewrite a config call shared by several stages', () => {
    const text = [
      'from hat.models.backbones.mixvargenet import MixVarGENetConfig',
      'def st(cin, cout, head, stack, stride=2, **kw):',
      '    return [MixVarGENetConfig(in_channels=cin, out_channels=cout, head_op=head, stack_ops=stack, stack_factor=1, stride=stride, **kw)]',
      'net_config = [',
      '    st(32, 32, "mixvarge_f2", [], stride=1),',
      '    st(32, 32, "mixvarge_f4", ["mixvarge_f4"] * 2),',
      '    st(32, 64, "mixvarge_f4", ["mixvarge_f4"] * 2, extra_downsample_num=1),',
      '    st(64, 96, "mixvarge_f2_gb16", ["mixvarge_f2_gb16"] * 6),',
      '    st(96, 160, "mixvarge_f2_gb16", ["mixvarge_f2_gb16"] * 2),',
      ']',
      'model = dict(type="Classifier", backbone=dict(type="MixVarGENet", net_config=net_config, num_classes=1000, bn_kwargs={}))',
      '',
    ].join('\n');
    const fs = only(text, CODE);
    assert.equal(fs.length, 1);
    assert.equal(fs[0].stage, 2);
    assert.equal(at(text, fs[0].range), '1');
    // Setting this stage's own literal is fine; inserting fusion_strides into the shared call is not.
    assert.deepEqual(fs[0].fixes?.map((x) => x.edits[0].newText), ['0']);
  });

  it('follows HAT\'s routing exactly as the network model does', () => {
    for (const name of ['mixvargenet_fusion.py', 'mixvargenet_backbone_only.py', 'mixvargenet_expressions.py']) {
      const a = run(example(name));
      const ctx = { net: a.network, ex: a.extracted, stageConfigs: a.extracted.netConfig!.stages.map((s) => s.configs[0]) };
      const routed = simulateRouting(stageEdns(ctx as never));
      a.network!.stages.forEach((s, i) => {
        const mine = routed[i];
        const model = s.received;
        assert.deepEqual(mine?.map((m) => `${m.fromStage}.${m.scale}`) ?? null, model?.map((m) => `${m.fromStage}.${m.scale}`) ?? null, `${name} stage ${i}`);
      });
    }
    // Hand-worked routing of the helper's fusion config (MIXVARGENET.md §3).
    const routed = simulateRouting([0, 0, 2, 1, 0]);
    assert.deepEqual(routed.map((r) => r?.map((m) => `${m.fromStage}.${m.scale}x`) ?? r), [
      null,
      null,
      null,
      ['2.2x'],
      ['2.4x', '3.2x'],
      null,
    ]);
    // A gap in the chain: stage 1 emits, stage 2 does not, stage 3 does: after stage 3, i = 2 and
    // 2x has two entries only, so stage 4 receives no map (a list holding x alone).
    assert.deepEqual(simulateRouting([0, 1, 0, 1, 0])[4], []);
  });
});
