// Signature help for MixVarGENetConfig( in a real VS Code.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { api, closeAll, open, pos } from './lib/ext';

describe('signature help', function () {
  this.timeout(60_000);
  afterEach(closeAll);

  it('shows the fields with the one at the cursor active', async () => {
    const a = await api();
    const { doc } = await open('configs/mixvargenet_imagenet.py');
    await a.whenAnalyzed(doc);
    const help = await vscode.commands.executeCommand<vscode.SignatureHelp>('vscode.executeSignatureHelpProvider', doc.uri, pos(doc, 'stride=|2,\n                       fusion_strides=[], extra_downsample_num=0)],                              # stride 8'), ',');
    assert.ok(help && help.signatures.length === 1);
    const sig = help.signatures[0];
    assert.match(sig.label, /^MixVarGENetConfig\(in_channels: int, out_channels: int, head_op: str, stack_ops: list\[str\], stride: int, stack_factor: int = 1/);
    const active = sig.parameters[help.activeParameter];
    assert.equal(sig.label.slice(...(active.label as [number, number])).split(':')[0], 'stride');
    assert.match((sig.documentation as vscode.MarkdownString).value, /Stage 2 · input 32×56×56/);
    const inList = await vscode.commands.executeCommand<vscode.SignatureHelp>('vscode.executeSignatureHelpProvider', doc.uri, pos(doc, '["mixvarge_f4", |"mixvarge_f4"]'), ',');
    const p = inList.signatures[0].parameters[inList.activeParameter];
    assert.equal(inList.signatures[0].label.slice(...(p.label as [number, number])).split(':')[0], 'stack_ops');
  });
});
