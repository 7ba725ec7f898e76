import { strict as assert } from 'node:assert';
import { analyze } from '../../../extension/core/analyze';
import { complete } from '../../../extension/core/ide/completion';
import { DEFAULT_OPS } from '../../../extension/core/schema';
import { FIELDS } from '../../../extension/core/schema';
import { FUSION, SEED, at, input, replaceOnce } from './helpers';

const labels = (c: ReturnType<typeof complete>) => (c?.items ?? []).map((i) => i.label);
const byLabel = (c: ReturnType<typeof complete>, l: string) => c?.items.find((i) => i.label === l);
const sorted = (c: ReturnType<typeof complete>) => [...(c?.items ?? [])].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '')).map((i) => i.label);

describe('ide/completion', () => {
  const seedNet = analyze(SEED).network!;

  it('offers every op in head_op with its cost at this position', () => {
    const off = at(SEED, '"mixvarge_f2|_gb16",\n                       stack_ops=["mixvarge_f2_gb16"] * 6');
    const c = complete(input(SEED, off));
    assert.equal(c?.context, 'head_op');
    assert.equal(c?.stage, 3);
    assert.deepEqual(labels(c).sort(), DEFAULT_OPS.names().sort());
    const f2gb16 = byLabel(c, 'mixvarge_f2_gb16')!;
    // The same block the model builds for stage 3's head.
    const head = seedNet.stages[3].blocks[0];
    assert.match(f2gb16.detail!, new RegExp(`${head.params!.toLocaleString('en-US')} params`));
    assert.equal(f2gb16.preselect, true, 'the op that is there is preselected');
    // The whole string content is replaced, without quotes.
    assert.equal(SEED.slice(f2gb16.range.start, f2gb16.range.end), 'mixvarge_f2_gb16');
    assert.equal(f2gb16.insertText, 'mixvarge_f2_gb16');
    assert.match(f2gb16.documentation!, /\| conv1 \| 64→128 \| 3×3 s2 g4 \|/);
  });

  it('sorts ops that would crash here last and marks them; J5 ops first when targeting J5', () => {
    const off = at(SEED, '"mixvarge_f2|_gb16",\n                       stack_ops=["mixvarge_f2_gb16"] * 6');
    const c = complete(input(SEED, off));
    const k3 = byLabel(c, 'mixvarge_k3k3_f2_gb16')!;
    assert.equal(k3.deprecated, true);
    assert.match(k3.labelDetail!, /crash/);
    assert.match(k3.documentation!, /not divisible by groups 6/);
    const order = sorted(c);
    assert.equal(order[order.length - 1].includes('k3k3_f2_gb16'), true);
    const j5 = DEFAULT_OPS.all().filter((o) => o.j5).map((o) => o.name);
    const firstNonJ5 = order.findIndex((l) => !j5.includes(l));
    const lastJ5Ok = Math.max(...order.map((l, i) => (j5.includes(l) && !byLabel(c, l)!.deprecated ? i : -1)));
    assert.ok(lastJ5Ok < firstNonJ5, 'every J5 op that builds comes before the non-J5 ones');
    // With target "any" (and no march in the file), non-J5 ops are not demoted.
    const noMarch = SEED.replace('march = March.BAYES', 'march = None');
    const any = complete(input(noMarch, at(noMarch, '"mixvarge_f2|_gb16",\n                       stack_ops=["mixvarge_f2_gb16"] * 6'), { target: 'any' }));
    assert.equal(byLabel(any, 'mixvarge_f1')!.sortText!.startsWith('0'), true);
  });

  it('costs a stack op at its position in the stack', () => {
    const off = at(SEED, '["mixvarge_f4", "mixvarge_|f4"], stack_factor=1, stride=2,\n                       fusion_strides=[], extra_downsample_num=0)],                              # stride 8');
    const c = complete(input(SEED, off));
    assert.equal(c?.context, 'stack_op');
    assert.equal(c?.stage, 2);
    const blk = seedNet.stages[2].blocks[2];
    assert.equal(blk.op, 'mixvarge_f4');
    assert.match(byLabel(c, 'mixvarge_f4')!.detail!, new RegExp(`stack block 2 of 2: 64→256→64, ${blk.params!.toLocaleString('en-US')} params`));
  });

  it('offers quoted ops in a stack_ops list outside strings', () => {
    const text = replaceOnce(SEED, 'stack_ops=[],', 'stack_ops=[mix],');
    const c = complete(input(text, at(text, 'stack_ops=[mix|]')));
    assert.equal(c?.context, 'stack_op');
    assert.equal(byLabel(c, 'mixvarge_f2')!.insertText, '"mixvarge_f2"');
    assert.equal(text.slice(c!.items[0].range.start, c!.items[0].range.end), 'mix');
  });

  it('completes field names, missing required ones first, with chained defaults', () => {
    const text = replaceOnce(
      SEED,
      'MixVarGENetConfig(in_channels=96, out_channels=160, head_op="mixvarge_f2_gb16",\n                       stack_ops=["mixvarge_f2_gb16"] * 2, stack_factor=1, stride=2,\n                       fusion_strides=[], extra_downsample_num=0)',
      'MixVarGENetConfig(out_channels=160, st, stride=2)',
    );
    const c = complete(input(text, at(text, 'st|, stride=2)')));
    assert.equal(c?.context, 'field');
    assert.equal(c?.stage, 4);
    const names = sorted(c).filter((l) => FIELDS.some((f) => f.name === l));
    assert.ok(!names.includes('out_channels') && !names.includes('stride'), 'fields already given are not offered');
    assert.deepEqual(names, ['in_channels', 'head_op', 'stack_ops', 'stack_factor', 'fusion_strides', 'extra_downsample_num']);
    const inCh = byLabel(c, 'in_channels')!;
    assert.equal(inCh.insertText, 'in_channels=${1:96}', 'in_channels defaults to the previous stage out_channels');
    assert.equal(inCh.snippet, true);
    assert.match(inCh.documentation!, /previous stage \(stage 3\) outputs \*\*96\*\* channels/);
    assert.equal(text.slice(inCh.range.start, inCh.range.end), 'st');
    const all = byLabel(c, 'all missing fields')!;
    assert.match(all.insertText, /^in_channels=\$\{1:96\}, head_op="\$\{2\|/);
    assert.match(all.insertText, /extra_downsample_num=\$\{6\|0,1,2,3\|\}$/);
  });

  it('works in a file that does not parse: a half-typed head_op in the last stage', () => {
    const text = replaceOnce(SEED, 'head_op="mixvarge_f2_gb16",\n                       stack_ops=["mixvarge_f2_gb16"] * 2', 'head_op="mixv\n                       stack_ops=["mixvarge_f2_gb16"] * 2');
    const a = analyze(text);
    assert.ok(a.parsed.syntaxErrors.length > 0, 'the text really is broken');
    const c = complete({ analysis: a, previous: analyze(SEED), ops: DEFAULT_OPS, offset: at(text, 'head_op="mixv|\n') });
    assert.equal(c?.context, 'head_op');
    assert.equal(c?.stage, 4);
    const it = byLabel(c, 'mixvarge_f2_gb16')!;
    assert.equal(it.insertText, 'mixvarge_f2_gb16"', 'closes the unterminated string');
    assert.equal(text.slice(it.range.start, it.range.end), 'mixv');
    const head = seedNet.stages[4].blocks[0];
    assert.match(it.detail!, new RegExp(`96→192→160, ${head.params!.toLocaleString('en-US')} params`));
    // Without the previous analysis too: the recovered stages give the input.
    const alone = complete({ analysis: a, ops: DEFAULT_OPS, offset: at(text, 'head_op="mixv|\n') });
    assert.match(byLabel(alone, 'mixvarge_f2_gb16')!.detail!, /96→192→160/);
  });

  it('offers the fusion strides that are valid at this stage, in order', () => {
    const text = replaceOnce(FUSION, 'fusion_strides=[4, 8]', 'fusion_strides=[]');
    const c = complete(input(text, at(text, 'fusion_strides=[|], extra_downsample_num=0)],\n    [MixVarGENetConfig(in_channels=96')));
    assert.equal(c?.context, 'fusion_strides');
    assert.equal(c?.stage, 3);
    assert.deepEqual(labels(c), ['4', '8']);
    assert.equal(byLabel(c, '4')!.preselect, true);
    assert.match(byLabel(c, '8')!.detail!, /stage 2 ↓2/);
    // After the first entry, the second is the one to write.
    const t2 = replaceOnce(FUSION, 'fusion_strides=[4, 8]', 'fusion_strides=[4, ]');
    const c2 = complete(input(t2, at(t2, 'fusion_strides=[4, |]')));
    assert.deepEqual(labels(c2), ['8']);
    // The value of the field as a whole.
    const t3 = replaceOnce(FUSION, 'fusion_strides=[4, 8]', 'fusion_strides=');
    const c3 = complete(input(t3, at(t3, 'fusion_strides=|, extra_downsample_num=0)],\n    [MixVarGENetConfig(in_channels=96')));
    assert.equal(c3?.context, 'value');
    assert.deepEqual(labels(c3), ['[4, 8]']);
    // A stage whose predecessor emits nothing: no stride is valid, and a note says why.
    const none = complete(input(FUSION, at(FUSION, 'fusion_strides=[|]', 2)));
    assert.equal(none?.stage, 4);
    assert.deepEqual(labels(none), ['(no fusion map arrives at this stage)']);
    assert.equal(none!.items[0].kind, 'note');
  });

  it('offers a whole-stage snippet after the last stage, chained and at twice the stride', () => {
    const text = replaceOnce(SEED, '# stride 32\n]', '# stride 32\n    \n]');
    const c = complete(input(text, at(text, '# stride 32\n    |')));
    assert.equal(c?.context, 'stage');
    const it = c!.items[0];
    assert.match(it.label, /^stage 5 \(stride 64\)$/);
    assert.match(it.insertText, /^\[MixVarGENetConfig\(in_channels=160, out_channels=\$\{1:320\}, head_op="\$\{2\|mixvarge_f2_gb16,/);
    assert.match(it.insertText, /stride=2, fusion_strides=\[\$\{4:\}\], extra_downsample_num=\$\{5:0\}\)\],\$0$/);
    assert.ok(it.insertText.includes('\n' + ' '.repeat('[MixVarGENetConfig('.length) + 'stack_factor=1'), 'continuation aligned like the seed');
    assert.equal(it.additionalEdits, undefined, 'the previous stage already ends with a comma');
    // Not offered between stages.
    const mid = replaceOnce(SEED, '# stride 16\n', '# stride 16\n    \n');
    assert.equal(complete(input(mid, at(mid, '# stride 16\n    |'))), null);
    // A missing comma after the last stage is added.
    const noComma = replaceOnce(SEED, 'extra_downsample_num=0)],                              # stride 32', 'extra_downsample_num=0)]\n    ');
    const c2 = complete(input(noComma, at(noComma, 'extra_downsample_num=0)]\n    |')));
    assert.deepEqual(c2!.items[0].additionalEdits?.map((e) => e.newText), [',']);
  });

  it('offers stride and extra_downsample_num values with what they do here', () => {
    const text = replaceOnce(SEED, 'stack_factor=1, stride=2,\n                       fusion_strides=[], extra_downsample_num=0)],                              # stride 16', 'stack_factor=1, stride=,\n                       fusion_strides=[], extra_downsample_num=0)],                              # stride 16');
    const c = complete(input(text, at(text, 'stride=|,\n')));
    assert.equal(c?.context, 'value');
    assert.deepEqual(labels(c), ['1', '2']);
    assert.equal(byLabel(c, '2')!.preselect, true);
    assert.match(byLabel(c, '2')!.documentation!, /output stride 16, 14×14 map/);
    const e = complete(input(SEED, at(SEED, 'extra_downsample_num=|0)],                              # stride 32')));
    assert.match(byLabel(e, '1')!.documentation!, /last stage/);
  });

  it('offers nothing outside MixVarGENetConfig contexts', () => {
    assert.equal(complete(input(SEED, at(SEED, 'task_name = "mixv|argenet_imagenet"'))), null);
    assert.equal(complete(input(SEED, at(SEED, '# stri|de 8'))), null);
    assert.equal(complete(input(SEED, at(SEED, 'type="Classifier|"'))), null);
    assert.equal(complete(input('import os\nx = f("mixv")\n', 15)), null);
  });
});

describe('ide/completion: where nothing of ours fits, one note says why (and keeps word suggestions away)', () => {
  it('every field given: a note that inserts nothing', () => {
    const off = at(SEED, 'extra_downsample_num=0)],   # stride 2') + 'extra_downsample_num=0'.length;
    const text = SEED.slice(0, off) + ', ' + SEED.slice(off);
    const c = complete(input(text, off + 2));
    assert.equal(c?.context, 'field');
    assert.equal(c!.items.length, 1, JSON.stringify(c!.items.map((i) => i.label)));
    const n = c!.items[0];
    assert.equal(n.kind, 'note');
    assert.equal(n.label, '(every field of MixVarGENetConfig is given)');
    assert.equal(n.insertText, '');
    assert.equal(n.range.start, n.range.end, 'replaces nothing');
    // Negative control: with a field left out, the field is offered and no note.
    const fewer = replaceOnce(text, 'stack_factor=1, stride=1, ', 'stride=1, ');
    const c2 = complete(input(fewer, at(fewer, 'extra_downsample_num=0, |)]')));
    assert.deepEqual(c2!.items.map((i) => i.label), ['stack_factor']);
  });

  it('fusion_strides=[ where no map arrives: a note naming extra_downsample_num on the stage before', () => {
    const off = at(SEED, 'fusion_strides=[|], extra_downsample_num=0)],                              # stride 8');
    const c = complete(input(SEED, off));
    assert.equal(c?.context, 'fusion_strides');
    assert.equal(c!.items.length, 1);
    assert.equal(c!.items[0].kind, 'note');
    assert.equal(c!.items[0].label, '(no fusion map arrives at this stage)');
    assert.match(c!.items[0].detail!, /extra_downsample_num on stage 1/);
    // Where maps arrive (the fusion example's stage 3), the strides are offered instead.
    const text = replaceOnce(FUSION, 'fusion_strides=[4, 8]', 'fusion_strides=[]');
    const c2 = complete(input(text, at(text, 'fusion_strides=[|], extra_downsample_num=0)],\n    [MixVarGENetConfig(in_channels=96')));
    assert.ok(c2!.items.length > 0 && c2!.items.every((i) => i.kind === 'value'));
  });

  it('the op list: the J5 mark first, then the block\'s total (no "+"), crash marked', () => {
    const c = complete(input(SEED, at(SEED, '"mixvarge_f2|_gb16",\n                       stack_ops=["mixvarge_f2_gb16"] * 6')));
    assert.equal(byLabel(c, 'mixvarge_f2_gb16')!.labelDetail, '  J5 · 37.8K params · 7.23 MMAC');
    assert.equal(byLabel(c, 'mixvarge_f2_gb16')!.labelDescription, undefined);
    assert.ok(c!.items.every((i) => !/\+/.test(i.labelDetail ?? '')));
    assert.equal(byLabel(c, 'mixvarge_k3k3_f2_gb16')!.labelDetail, '  ✗ crashes here');
  });
});
