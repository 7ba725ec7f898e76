// Problems-panel diagnostics in a real VS Code: codes linking to the rule docs, lines, messages (the
// same as `mvg lint`), related information, tags, severities, settings, and a file that does not parse.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { api, closeAll, codeOf, diagnostics, open, ours, readWs, sleep, until, withSettings, wsUri } from './lib/ext';

describe('diagnostics', function () {
  this.timeout(60_000);
  afterEach(closeAll);

  it('reports the mistakes of mistakes.py with code, line, message and related information', async () => {
    const a = await api();
    const { doc } = await open('configs/mistakes.py');
    const d = await diagnostics(doc.uri, (x) => x.some((y) => codeOf(y) === 'MVG001'), 'the unknown-op error');
    // (asked after a config was opened: the worker starts with the first config, whatever ran before this test)
    assert.equal(a.engineKind(), 'worker', 'the analysis runs in a worker thread');
    const byCode = (c: string) => d.filter((x) => codeOf(x) === c);
    const line = (text: string) => doc.getText().split('\n').findIndex((l) => l.includes(text));

    const chain = byCode('MVG002')[0];
    assert.ok(chain, 'channel-chain error');
    assert.equal(chain.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(chain.range.start.line, line('MixVarGENetConfig(in_channels=96, out_channels=160'));
    assert.equal(doc.getText(chain.range), '96');
    assert.match(chain.message, /^Stage 4 expects 96 channels, stage 3 gives 56\. in_channels=96, but stage 3's out_channels is 56/);
    assert.equal(chain.relatedInformation?.length, 1);
    assert.equal(doc.getText(chain.relatedInformation![0].location.range), '56');
    assert.match(chain.relatedInformation![0].message, /out_channels=56/);
    // The code links to the rule's documentation.
    const target = (chain.code as { value: string; target: vscode.Uri }).target;
    assert.equal(target.scheme, 'command');
    assert.equal(target.path, 'mixvargenet.showRuleDoc');
    assert.deepEqual(JSON.parse(decodeURIComponent(target.query)), ['MVG002']);

    const op = byCode('MVG001')[0];
    assert.equal(doc.getText(op.range), '"mixvarge_f2_bg16"');
    assert.match(op.message, /^Unknown op "mixvarge_f2_bg16" in stack_ops: did you mean "mixvarge_f2_gb16"\? /);
    assert.equal(byCode('MVG012')[0] && doc.getText(byCode('MVG012')[0].range), 'stack_factr');

    // The dropped downsample is drawn faded.
    const dropped = d.find((x) => x.tags?.includes(vscode.DiagnosticTag.Unnecessary));
    assert.ok(dropped, `a finding tagged Unnecessary among ${d.map(codeOf).join(', ')}`);
    assert.equal(dropped.severity, vscode.DiagnosticSeverity.Warning);

    // Same findings as the snapshot the worker produced (the core's, as `mvg lint` prints them).
    const snap = a.snapshot(doc.uri)!;
    assert.deepEqual(d.map((x) => `${codeOf(x)} ${x.message}`).sort(), snap.findings.map((f) => `${f.code} ${f.message}`).sort());
  });

  it('is silent on the seed, and on Python files that are not configs', async () => {
    const a = await api();
    const { doc } = await open('configs/mixvargenet_imagenet.py');
    const snap = await a.whenAnalyzed(doc);
    assert.ok(snap, 'the seed was analysed');
    assert.equal(snap.params, 2_310_744);
    assert.deepEqual(ours(doc.uri).map((x) => `${codeOf(x)} ${x.message}`), []);
    const plain = await open({ content: 'import os\n\nprint(os.getcwd())\nx = [1, 2\n' });
    await sleep(600);
    assert.equal(a.snapshot(plain.doc.uri), undefined, 'no analysis for a file without MixVarGENetConfig');
    assert.deepEqual(ours(plain.doc.uri), [], 'not even a syntax error');
  });

  it('shows J5 hints as hints, and the hints setting removes them', async () => {
    const { doc } = await open('configs/mixvargenet_fusion.py');
    const d = await diagnostics(doc.uri, (x) => x.length > 0, 'a hint on the fusion example');
    const hint = d.find((x) => codeOf(x) === 'MVG203');
    assert.ok(hint, `the long-fusion hint (have ${d.map(codeOf).join(', ')})`);
    assert.equal(hint.severity, vscode.DiagnosticSeverity.Hint);
    await withSettings({ hints: false }, async () => {
      await diagnostics(doc.uri, (x) => !x.some((y) => y.severity === vscode.DiagnosticSeverity.Hint), 'hints gone');
    });
    await diagnostics(doc.uri, (x) => x.some((y) => codeOf(y) === 'MVG203'), 'hints back');
  });

  it('mixvargenet.severity.guidance lists the J5 hints as information, or turns them off; errors stay errors', async () => {
    const a = await api();
    const { doc } = await open('configs/mixvargenet_fusion.py');
    const d0 = await diagnostics(doc.uri, (x) => x.some((y) => codeOf(y) === 'MVG203'), 'the long-fusion hint');
    assert.equal(d0.find((y) => codeOf(y) === 'MVG203')!.severity, vscode.DiagnosticSeverity.Hint);
    await withSettings({ 'severity.guidance': 'information' }, async () => {
      const d = await diagnostics(doc.uri, (x) => x.some((y) => codeOf(y) === 'MVG203' && y.severity === vscode.DiagnosticSeverity.Information), 'MVG203 as information');
      assert.deepEqual(d.map((y) => `${codeOf(y)} ${y.severity}`), [`MVG203 ${vscode.DiagnosticSeverity.Information}`]);
      assert.deepEqual(a.snapshot(doc.uri)!.counts, { error: 0, warning: 0, info: 1, hint: 0 });
    });
    await withSettings({ 'severity.guidance': 'off' }, async () => {
      await diagnostics(doc.uri, (x) => x.length === 0, 'no MVG203 at all');
      assert.equal(a.snapshot(doc.uri)!.counts.hint, 0);
    });
    await diagnostics(doc.uri, (x) => x.some((y) => codeOf(y) === 'MVG203' && y.severity === vscode.DiagnosticSeverity.Hint), 'a hint again');
    // The silent category's choice moves its warnings; crash errors are errors whatever is chosen.
    const m = await open('configs/mistakes.py');
    const before = await diagnostics(m.doc.uri, (x) => x.some((y) => codeOf(y) === 'MVG101'), 'the dropped-downsample warning');
    const errors = before.filter((y) => y.severity === vscode.DiagnosticSeverity.Error).map(codeOf).sort();
    assert.equal(before.find((y) => codeOf(y) === 'MVG101')!.severity, vscode.DiagnosticSeverity.Warning);
    await withSettings({ 'severity.silent': 'error', 'severity.guidance': 'off' }, async () => {
      const d = await diagnostics(m.doc.uri, (x) => x.some((y) => codeOf(y) === 'MVG101' && y.severity === vscode.DiagnosticSeverity.Error), 'MVG101 as an error');
      assert.deepEqual(d.filter((y) => y.severity === vscode.DiagnosticSeverity.Error).map(codeOf).sort(), [...errors, 'MVG101'].sort());
    });
  });

  it('honours disabledRules and the diagnostics switch', async () => {
    const { doc } = await open('configs/mistakes.py');
    await diagnostics(doc.uri, (x) => x.some((y) => codeOf(y) === 'MVG002'), 'MVG002');
    await withSettings({ disabledRules: ['MVG002', 'unknown-op'] }, async () => {
      const d = await diagnostics(doc.uri, (x) => x.length > 0 && !x.some((y) => ['MVG002', 'MVG001'].includes(codeOf(y))), 'MVG002 and MVG001 off');
      assert.ok(d.some((y) => codeOf(y) === 'MVG012'), 'the other rules still run');
    });
    await withSettings({ 'diagnostics.enabled': false }, async () => {
      await diagnostics(doc.uri, (x) => x.length === 0, 'no diagnostics');
    });
    await diagnostics(doc.uri, (x) => x.some((y) => codeOf(y) === 'MVG002'), 'diagnostics back');
  });

  it('updates on change, debounced, and drops nothing but stale results', async () => {
    const a = await api();
    const { doc, editor } = await open({ content: await readWs('configs/mixvargenet_imagenet.py') });
    await a.whenAnalyzed(doc);
    assert.deepEqual(ours(doc.uri), []);
    // Type "48" over "96" in stage 4's in_channels, one character at a time.
    const start = doc.positionAt(doc.getText().indexOf('in_channels=96') + 'in_channels='.length);
    await editor.edit((e) => e.replace(new vscode.Range(start, start.translate(0, 2)), '4'));
    await editor.edit((e) => e.insert(start.translate(0, 1), '8'));
    const snap = await a.whenAnalyzed(doc, doc.version);
    assert.equal(snap?.version, doc.version, 'the snapshot describes the last version');
    const d = await diagnostics(doc.uri, (x) => x.some((y) => codeOf(y) === 'MVG002'), 'the channel-chain error');
    assert.equal(doc.getText(d.find((y) => codeOf(y) === 'MVG002')!.range), '48');
  });

  it("half_typed.py: one syntax error, at stage 3's `[MixVarGENetConfig(` that was never closed", async () => {
    const { doc } = await open('configs/half_typed.py');
    const d = await diagnostics(doc.uri, (x) => x.some((y) => codeOf(y) === 'MVG000'), 'the syntax error');
    const syntax = d.filter((y) => codeOf(y) === 'MVG000');
    assert.equal(syntax.length, 1, syntax.map((y) => `${y.range.start.line + 1}: ${y.message}`).join('\n'));
    const line = doc.getText().split('\n').findIndex((l) => l.includes('[MixVarGENetConfig(in_channels=64, out_channels=96'));
    assert.equal(syntax[0].range.start.line, line);
    assert.equal(line + 1, 25, 'the line the file itself names');
    assert.equal(doc.getText(syntax[0].range), '[MixVarGENetConfig(');
    assert.equal(syntax[0].message, "'[' and '(' were never closed");
    assert.equal(syntax[0].severity, vscode.DiagnosticSeverity.Error);
  });

  it('still lints the intact stages of a file that does not parse', async () => {
    const a = await api();
    // half_typed.py has stage 3 left open; break stage 4's channel chain too.
    const text = (await readWs('configs/half_typed.py')).replace('MixVarGENetConfig(in_channels=96, out_channels=160', 'MixVarGENetConfig(in_channels=80, out_channels=160');
    const { doc } = await open({ content: text });
    const d = await diagnostics(doc.uri, (x) => x.some((y) => codeOf(y) === 'MVG000') && x.some((y) => codeOf(y) === 'MVG002'), 'syntax + chain errors');
    const chain = d.find((y) => codeOf(y) === 'MVG002')!;
    assert.equal(doc.getText(chain.range), '80');
    assert.match(chain.message, /^Stage 4 expects 80 channels, stage 3 gives 96\. /);
    const snap = a.snapshot(doc.uri)!;
    assert.equal(snap.recovered, true);
    assert.equal(snap.stages.length, 5, 'every stage is still read');
  });

  it('opens the rule documentation from the code link', async () => {
    const md = await vscode.commands.executeCommand<string>('mixvargenet.showRuleDoc', 'MVG002');
    assert.match(md, /^# MVG002 · channel-chain/);
    assert.match(md, /previous stage's out_channels/);
    const docs = await until(() => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'mixvargenet-doc'), 'the rule doc document');
    assert.match(docs.getText(), /# MVG002/);
    void wsUri;
  });
});
