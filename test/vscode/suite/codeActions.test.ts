// Quick fixes in a real VS Code: offered for a diagnostic, applied as one edit, the diagnostic gone,
// undo restoring it; "fix all of this kind", source.fixAll.mixvargenet and the Fix All command.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { api, closeAll, codeOf, diagnostics, open, readWs } from './lib/ext';

async function actionsAt(doc: vscode.TextDocument, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, range, kind)) ?? [];
}

describe('quick fixes', function () {
  this.timeout(60_000);
  afterEach(closeAll);

  it('applies the preferred fix as one edit; the diagnostic goes; undo brings it back', async () => {
    const a = await api();
    const { doc } = await open({ content: await readWs('configs/mistakes.py') });
    const before = doc.getText();
    const d = await diagnostics(doc.uri, (x) => x.some((y) => codeOf(y) === 'MVG002'), 'MVG002');
    const chain = d.find((y) => codeOf(y) === 'MVG002')!;
    // (Code actions returned through the API command do not carry their diagnostics back.)
    const actions = await actionsAt(doc, chain.range);
    const fix = actions.find((x) => x.isPreferred);
    assert.ok(fix, `a preferred fix among ${actions.map((x) => x.title).join(' | ')}`);
    assert.equal(fix.title, 'Set in_channels to 56');
    assert.ok(fix.kind && vscode.CodeActionKind.QuickFix.contains(fix.kind));
    assert.equal(fix.edit?.size, 1);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    assert.equal(doc.getText(chain.range), '56');
    await a.whenAnalyzed(doc, doc.version);
    await diagnostics(doc.uri, (x) => !x.some((y) => codeOf(y) === 'MVG002'), 'MVG002 gone');
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), before, 'one undo restores the file');
    await diagnostics(doc.uri, (x) => x.some((y) => codeOf(y) === 'MVG002'), 'MVG002 back after undo');
  });

  it('fixes a misspelt op and a misspelt field', async () => {
    const a = await api();
    const { doc } = await open({ content: await readWs('configs/mistakes.py') });
    for (const code of ['MVG001', 'MVG012']) {
      // Fixes are offered for the version the diagnostics describe: wait for the analysis of this one.
      await a.whenAnalyzed(doc, doc.version);
      const d = await diagnostics(doc.uri, (x) => x.some((y) => codeOf(y) === code), code);
      const diag = d.find((y) => codeOf(y) === code)!;
      const fix = (await actionsAt(doc, diag.range)).find((x) => x.isPreferred);
      assert.ok(fix, `${code} has a preferred fix`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    }
    assert.ok(doc.getText().includes('"mixvarge_f2_gb16", "mixvarge_f2_gb16"]'));
    assert.ok(doc.getText().includes('stack_factor=1, stride=1'));
    await diagnostics(doc.uri, (x) => !x.some((y) => ['MVG001', 'MVG012'].includes(codeOf(y))), 'both gone');
  });

  it('offers "fix all" for a rule with several findings, and source.fixAll for the file', async () => {
    const a = await api();
    // Three broken chains.
    let text = await readWs('configs/mixvargenet_imagenet.py');
    text = text.replace('in_channels=32, out_channels=64', 'in_channels=31, out_channels=64').replace('in_channels=64, out_channels=96', 'in_channels=63, out_channels=96').replace('in_channels=96, out_channels=160', 'in_channels=95, out_channels=160');
    const { doc } = await open({ content: text });
    const d = await diagnostics(doc.uri, (x) => x.filter((y) => codeOf(y) === 'MVG002').length === 3, 'three MVG002');
    const all = (await actionsAt(doc, d[0].range)).find((x) => /^Fix all MVG002/.test(x.title));
    assert.ok(all, 'a fix-all action for MVG002');
    assert.match(all.title, /\(3\)$/);
    const source = await actionsAt(doc, new vscode.Range(0, 0, 0, 0), 'source.fixAll.mixvargenet');
    assert.equal(source.length, 1);
    assert.ok(source[0].kind?.value.startsWith('source.fixAll'));
    assert.ok(await vscode.workspace.applyEdit(all.edit!));
    assert.ok(doc.getText().includes('in_channels=32, out_channels=64') && doc.getText().includes('in_channels=96, out_channels=160'));
    await a.whenAnalyzed(doc, doc.version);
    await diagnostics(doc.uri, (x) => x.length === 0, 'all fixed');
  });

  it('"MixVarGENet: Fix All in File" applies every preferred fix', async () => {
    const a = await api();
    const { doc } = await open({ content: await readWs('configs/mistakes.py') });
    await diagnostics(doc.uri, (x) => x.some((y) => codeOf(y) === 'MVG002'), 'mistakes');
    await a.whenAnalyzed(doc);
    const applied = await vscode.commands.executeCommand<number>('mixvargenet.fixAll');
    assert.ok(applied >= 4, `applied ${applied} fixes`);
    const d = await diagnostics(doc.uri, (x) => !x.some((y) => ['MVG001', 'MVG002', 'MVG012', 'MVG105'].includes(codeOf(y))), 'the mechanical ones fixed');
    assert.ok(d.some((y) => codeOf(y) === 'MVG003'), 'the group-count error has no mechanical fix and stays');
  });
});
