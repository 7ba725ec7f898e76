// Quick fixes in a real VS Code: offered for a diagnostic, applied as one edit, the diagnostic gone,
// undo restoring it; "fix all of this kind", source.fixAll.mixvargenet and the Fix All command.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { api, closeAll, codeOf, diagnostics, open, ours, pos, readWs } from './lib/ext';

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
    assert.match(chain.message, /^Stage 4 expects 96 channels, stage 3 gives 56\. /, 'the headline first');
    // (Code actions returned through the API command do not carry their diagnostics back.)
    const actions = (await actionsAt(doc, chain.range)).filter((x) => x.kind && vscode.CodeActionKind.QuickFix.contains(x.kind));
    // Both ways to mend the chain are offered; in_channels=56 would leave stage 4's gb16 head with
    // int(56/16) = 3 groups (a new error), so stage 3's out_channels=96 is the preferred one, and first.
    assert.deepEqual(actions.map((x) => [x.title, !!x.isPreferred]), [
      ['Set stage 3 out_channels to 96', true],
      ['Set in_channels to 56', false],
    ]);
    const fix = actions[0];
    assert.equal(fix.edit?.size, 1);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    const out3 = pos(doc, 'in_channels=64, out_channels=|96');
    assert.equal(doc.getText(new vscode.Range(out3, out3.translate(0, 2))), '96');
    await a.whenAnalyzed(doc, doc.version);
    // The same edit mends the group-count error of stage 3 too: neither comes back, nothing new appears.
    const after = await diagnostics(doc.uri, (x) => !x.some((y) => codeOf(y) === 'MVG002'), 'MVG002 gone');
    assert.deepEqual(after.filter((y) => y.severity === vscode.DiagnosticSeverity.Error).map(codeOf).sort(), ['MVG001', 'MVG006', 'MVG012']);
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), before, 'one undo restores the file');
    await diagnostics(doc.uri, (x) => x.some((y) => codeOf(y) === 'MVG002'), 'MVG002 back after undo');
  });

  it('applying the preferred quick fix of the first error, one at a time as a user clicks them, ends with no errors on mistakes.py', async () => {
    const a = await api();
    const { doc } = await open({ content: await readWs('configs/mistakes.py') });
    const applied: string[] = [];
    for (let step = 0; step < 10; step++) {
      await a.whenAnalyzed(doc, doc.version);
      const errors = ours(doc.uri).filter((y) => y.severity === vscode.DiagnosticSeverity.Error);
      if (errors.length === 0) break;
      const first = errors.sort((x, y) => x.range.start.compareTo(y.range.start))[0];
      // What Ctrl+. lists on that squiggle: the preferred fix is the one a user takes.
      const offered = (await actionsAt(doc, first.range)).filter((x) => x.kind && vscode.CodeActionKind.QuickFix.contains(x.kind) && !/^Fix all /.test(x.title));
      const fix = offered.find((x) => x.isPreferred);
      assert.ok(fix, `${codeOf(first)} "${first.message}" offers a preferred fix among: ${offered.map((x) => x.title).join(' | ')}`);
      applied.push(`${codeOf(first)}: ${fix.title}`);
      const v = doc.version;
      assert.ok(await vscode.workspace.applyEdit(fix.edit!));
      assert.ok(doc.version > v);
    }
    await a.whenAnalyzed(doc, doc.version);
    await diagnostics(doc.uri, (x) => !x.some((y) => y.severity === vscode.DiagnosticSeverity.Error), 'no errors left');
    // By hand (see examples/configs/mistakes.py): the field name; the width 56 → 96 (what stage 4 takes:
    // 6 groups of 16, chain mended too); the fusion order; the op name.
    assert.deepEqual(applied, [
      'MVG012: Rename to stack_factor',
      'MVG003: Set stage 3 out_channels to 96',
      'MVG006: Set fusion_strides to [4, 8] (the maps in the order they arrive)',
      'MVG001: Change to "mixvarge_f2_gb16"',
    ]);
  });

  it('after the non-preferred "Set in_channels to 56", the group-count error offers widths, and clicking on still ends with no errors', async () => {
    const a = await api();
    const { doc } = await open({ content: await readWs('configs/mistakes.py') });
    await a.whenAnalyzed(doc, doc.version);
    const chain = (await diagnostics(doc.uri, (x) => x.some((y) => codeOf(y) === 'MVG002'), 'MVG002')).find((y) => codeOf(y) === 'MVG002')!;
    const to56 = (await actionsAt(doc, chain.range)).find((x) => x.title === 'Set in_channels to 56');
    assert.ok(to56);
    assert.ok(await vscode.workspace.applyEdit(to56.edit!));
    await a.whenAnalyzed(doc, doc.version);
    const groups = (await diagnostics(doc.uri, (x) => x.some((y) => codeOf(y) === 'MVG003'), 'MVG003')).filter((y) => codeOf(y) === 'MVG003');
    assert.equal(groups.length, 1, 'the width 56 of stages 3 and 4 is one mistake: one diagnostic');
    assert.match(groups[0].message, /^56 channels don't split into 3 groups \(stage 3, mixvarge_f2_gb16\)\./);
    assert.ok((groups[0].relatedInformation ?? []).length >= 3, 'the blocks it breaks, as related locations');
    const offered = (await actionsAt(doc, groups[0].range)).filter((x) => !/^Fix all /.test(x.title));
    assert.deepEqual(offered.map((x) => x.title), ['Set stage 3 out_channels and stage 4 in_channels to 48', 'Set stage 3 out_channels and stage 4 in_channels to 64']);
    assert.ok(await vscode.workspace.applyEdit(offered[0].edit!));
    await a.whenAnalyzed(doc, doc.version);
    await diagnostics(doc.uri, (x) => !x.some((y) => ['MVG002', 'MVG003'].includes(codeOf(y))), 'the chain and the groups mended');
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
    // MVG012, MVG003 (out_channels → 96, which MVG002 also offers: applied once), MVG006, MVG101, MVG001.
    assert.equal(applied, 5);
    await a.whenAnalyzed(doc, doc.version);
    await diagnostics(doc.uri, (x) => x.length === 0, 'nothing left, not even the group-count error');
  });
});
