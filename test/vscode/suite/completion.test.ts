// Completion in a real VS Code: ops in head_op (with costs), fields in the call, fusion_strides values,
// the whole-stage snippet, and a file that does not parse.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { api, closeAll, completions, labelOf, open, pos, readWs } from './lib/ext';

const J5_OPS = ['mixvarge_f2', 'mixvarge_f4', 'mixvarge_f2_gb16', 'mixvarge_f4_gb16', 'mixvarge_k3k3_f2', 'mixvarge_k3k3_f2_gb16', 'mixvarge_f2_r', 'mixvarge_f2_r_gb16'];

describe('completion', function () {
  this.timeout(60_000);
  afterEach(closeAll);

  it('offers the ops inside head_op="…", with params and MACs at this position', async () => {
    const a = await api();
    const { doc } = await open('configs/mixvargenet_imagenet.py');
    await a.whenAnalyzed(doc);
    const items = await completions(doc, pos(doc, 'head_op="mixvarge_f2|_gb16",\n                       stack_ops=["mixvarge_f2_gb16"] * 6'), '"');
    const labels = items.map(labelOf);
    for (const op of J5_OPS) assert.ok(labels.includes(op), op);
    const it = items.find((i) => labelOf(i) === 'mixvarge_f2_gb16')!;
    assert.equal(it.kind, vscode.CompletionItemKind.EnumMember);
    // The J5 mark first (a right-aligned description is what the suggest widget cuts), then the block's total cost:
    // stage 3's head block with mixvarge_f2_gb16 (64→128→96) has 37,824 params (hand count in test/unit/model).
    assert.equal(typeof it.label === 'object' && it.label.detail, '  J5 · 37.8K params · 7.23 MMAC');
    assert.equal(typeof it.label === 'object' && it.label.description, undefined);
    assert.match((it.documentation as vscode.MarkdownString).value, /\| conv1 \| 64→128 \| 3×3 s2 g4 \|/);
    const range = it.range as { replacing: vscode.Range };
    assert.equal(doc.getText(range.replacing), 'mixvarge_f2_gb16', 'replaces the whole string content');
    const crash = items.find((i) => labelOf(i) === 'mixvarge_k3k3_f2_gb16')!;
    assert.deepEqual(crash.tags, [vscode.CompletionItemTag.Deprecated], 'an op that would crash here is struck through');
  });

  it('offers the missing fields inside MixVarGENetConfig(, required first, as snippets', async () => {
    const a = await api();
    const text = (await readWs('configs/mixvargenet_imagenet.py')).replace(
      'MixVarGENetConfig(in_channels=96, out_channels=160, head_op="mixvarge_f2_gb16",',
      'MixVarGENetConfig(out_channels=160, ',
    );
    const { doc } = await open({ content: text });
    await a.whenAnalyzed(doc);
    // The rest of the call (stack_ops=..., stride=..., on the next line) is given: only two fields are missing.
    const items = await completions(doc, pos(doc, 'MixVarGENetConfig(out_channels=160, |'));
    const fields = items.filter((i) => i.kind === vscode.CompletionItemKind.Field).map(labelOf).sort();
    assert.deepEqual(fields, ['head_op', 'in_channels'], 'given fields (before and after the cursor) are not offered');
    const all = items.find((i) => labelOf(i) === 'all missing fields')!;
    assert.match((all.insertText as vscode.SnippetString).value, /^in_channels=\$\{1:96\}, head_op="\$\{2\|mixvarge_f2_gb16,/);
    const inCh = items.find((i) => labelOf(i) === 'in_channels')!;
    assert.equal(inCh.kind, vscode.CompletionItemKind.Field);
    assert.equal((inCh.insertText as vscode.SnippetString).value, 'in_channels=${1:96}');
    assert.match((inCh.documentation as vscode.MarkdownString).value, /outputs \*\*96\*\* channels/);
  });

  it('offers the fusion_strides that are valid at this stage', async () => {
    const a = await api();
    const text = (await readWs('configs/mixvargenet_fusion.py')).replace('fusion_strides=[4, 8], extra_downsample_num=1', 'fusion_strides=[], extra_downsample_num=1');
    const { doc } = await open({ content: text });
    await a.whenAnalyzed(doc);
    const items = await completions(doc, pos(doc, 'fusion_strides=[|], extra_downsample_num=1'), '[');
    assert.deepEqual(items.map(labelOf), ['4', '8']);
    assert.equal(items[0].preselect, true);
    assert.match(items[1].detail ?? '', /stage 2 ↓2 \(64 ch/);
  });

  it('offers a whole stage after the last one, chained and at twice the stride', async () => {
    const a = await api();
    const text = (await readWs('configs/mixvargenet_imagenet.py')).replace('# stride 32\n]', '# stride 32\n    \n]');
    const { doc } = await open({ content: text });
    await a.whenAnalyzed(doc);
    const items = await completions(doc, pos(doc, '# stride 32\n    |'));
    const stage = items.find((i) => /^stage 5/.test(labelOf(i)));
    assert.ok(stage, `a stage item among ${items.map(labelOf).join(', ')}`);
    assert.equal(labelOf(stage), 'stage 5 (stride 64)');
    assert.equal(stage.kind, vscode.CompletionItemKind.Snippet);
    assert.match((stage.insertText as vscode.SnippetString).value, /^\[MixVarGENetConfig\(in_channels=160, out_channels=\$\{1:320\}/);
  });

  it('completes in a file that does not parse yet', async () => {
    const a = await api();
    const { doc, editor } = await open({ content: await readWs('configs/half_typed.py') });
    await a.whenAnalyzed(doc);
    // Start typing the head op of the last stage: an unterminated string.
    const p = pos(doc, 'MixVarGENetConfig(in_channels=96, out_channels=160, head_op="|mixvarge_f2_gb16"');
    await editor.edit((e) => e.replace(new vscode.Range(p, doc.lineAt(p.line).range.end), 'mixv'));
    const at = pos(doc, 'out_channels=160, head_op="mixv|');
    const items = await completions(doc, at, '"');
    const it = items.find((i) => labelOf(i) === 'mixvarge_f2_gb16');
    assert.ok(it, `ops offered in the broken file: ${items.map(labelOf).slice(0, 5).join(', ')}`);
    assert.match(it.detail ?? '', /stage 4 head block: 96→192→160/);
    assert.equal(it.insertText, 'mixvarge_f2_gb16"', 'closes the string');
  });
});
