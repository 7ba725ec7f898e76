// "MixVarGENet: Compare with HEAD" on a config in a temporary git repository: an edit's delta at the end of the
// stage's MixVarGENetConfig( line, the status summary, live while editing, and clear messages when git cannot help.
// Expected numbers: PyTorch's counts of the seed (test/fixtures/expected) and of the edited seed
// (test/fixtures/diff/seed_edited.json, whose stage 4 is the seed's stage 4 at 192 channels), by hand subtraction.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DomReport } from '../../../extension/core/graph/types';
import type { DiffState } from '../../../extension/features/diff/diff';
import { api, closeAll, open, readWs, until, withSettings } from './lib/ext';

const state = (uri: vscode.Uri) => vscode.commands.executeCommand<DiffState>('mixvargenet._diffState', uri.toString());

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
}

describe('diff: Compare with HEAD', function () {
  this.timeout(60_000);
  let repo = '';
  let seedText = '';
  before(async () => {
    await api();
    assert.ok(vscode.workspace.isTrusted, 'the test workspace is trusted (git runs only there)');
    seedText = await readWs('configs/mixvargenet_imagenet.py');
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-diff-repo-'));
    fs.writeFileSync(path.join(repo, 'm.py'), seedText);
    fs.writeFileSync(path.join(repo, 'untracked.py'), seedText);
    git(repo, 'init', '-q');
    git(repo, 'add', 'm.py');
    git(repo, 'commit', '-q', '-m', 'seed');
  });
  after(async () => {
    await closeAll();
    // The latency test measured the seed's network: leave no cached measurement for the suites that expect a fresh start.
    await vscode.commands.executeCommand('mixvargenet._perfCache', { newSession: true, clearDisk: true });
    if (repo) fs.rmSync(repo, { recursive: true, force: true });
  });

  /** A new file holding the seed, committed, then opened and analysed. */
  async function committedSeed(name: string): Promise<{ doc: vscode.TextDocument; editor: vscode.TextEditor }> {
    fs.writeFileSync(path.join(repo, name), seedText);
    git(repo, 'add', name);
    git(repo, 'commit', '-q', '-m', name);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(repo, name)));
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    await (await api()).whenAnalyzed(doc);
    return { doc, editor };
  }

  it('an edit of stage 4 (160 → 192 channels): its delta on its line, the total on net_config and in the status bar, live', async () => {
    const a = await api();
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(repo, 'm.py')));
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    await a.whenAnalyzed(doc);
    const at = doc.getText().indexOf('in_channels=96, out_channels=160') + 'in_channels=96, out_channels='.length;
    await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(at), doc.positionAt(at + 3)), '192'));
    await a.analyzeNow(doc);

    const r = await vscode.commands.executeCommand<DiffState & { error?: string }>('mixvargenet.compareWithHead', doc.uri);
    assert.equal(r.error, undefined, r.error);
    const st = await until(async () => {
      const s = await state(doc.uri);
      return s.active && s.decorations.length > 0 && s;
    }, 'the comparison decorations');
    assert.equal(st.base, 'HEAD');
    // The stage line: `[MixVarGENetConfig(in_channels=96, out_channels=192, …` (0-based line of the call).
    const stageLine = doc.positionAt(doc.getText().indexOf('MixVarGENetConfig(in_channels=96')).line;
    // PyTorch: stage 4 params 272,704 → 346,176 (+73,472 = +73.5K), MACs 13,146,112 → 16,708,608 (+3,562,496 = +3.56M).
    assert.deepEqual(
      st.decorations.filter((d) => d.line === stageLine).map((d) => d.text),
      ['+73.5K params · +3.56M MACs'],
    );
    assert.match(st.decorations.find((d) => d.line === stageLine)!.hover, /out_channels 160 → 192/);
    // No other stage changed: only the stage line and the net_config line carry a delta.
    const ncLine = doc.positionAt(doc.getText().indexOf('net_config = [')).line;
    assert.deepEqual(st.decorations.map((d) => d.line).sort((x, y) => x - y), [ncLine, stageLine].sort((x, y) => x - y));
    // The whole network: stage 4 plus the head's fc (160 → 192 inputs): +73,472 + (1,226,680 − 1,193,912) = +106,240 params,
    // +3,562,496 + (10,657,792 − 9,052,160) = +5,168,128 MACs.
    assert.equal(st.decorations.find((d) => d.line === ncLine)!.text, 'vs HEAD: +106K params · +5.17M MACs');
    assert.equal(st.status?.visible, true);
    assert.equal(st.status?.text, '$(diff) vs HEAD: +106K params · +5.17M MACs');
    assert.match(st.status!.tooltip, /1 stage changed/);

    // Live: undo the edit by typing the old value back; the stage's delta goes and the totals return to zero.
    const at2 = doc.getText().indexOf('out_channels=192') + 'out_channels='.length;
    await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(at2), doc.positionAt(at2 + 3)), '160'));
    const back = await until(async () => {
      const s = await state(doc.uri);
      return s.decorations.length === 1 && s;
    }, 'the decorations after typing the old value back');
    assert.equal(back.decorations[0].text, 'vs HEAD: ±0 params · ±0 MACs');
    assert.ok(back.diff!.stages.every((s) => s.status === 'same'));

    // Clear: nothing left on the document or in the status bar.
    const cleared = await vscode.commands.executeCommand<DiffState>('mixvargenet.clearComparison', doc.uri);
    assert.equal(cleared.active, false);
    assert.equal(cleared.status?.visible, false);
    assert.deepEqual((await state(doc.uri)).decorations, []);
  });

  it('an untracked file, an unknown revision, a file in no repository: a clear message, no comparison', async () => {
    const untracked = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(repo, 'untracked.py')));
    await vscode.window.showTextDocument(untracked);
    const r1 = await vscode.commands.executeCommand<{ error?: string }>('mixvargenet.compareWithHead', untracked.uri);
    assert.match(r1.error ?? '', /HEAD does not hold untracked\.py \(the file is untracked/);
    assert.equal((await state(untracked.uri)).active, false);

    const m = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(repo, 'm.py')));
    const r2 = await vscode.commands.executeCommand<{ error?: string }>('mixvargenet.compareWithRevision', m.uri, 'no-such-branch');
    assert.match(r2.error ?? '', /'no-such-branch' is not a revision of this repository/);

    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-diff-norepo-'));
    try {
      fs.writeFileSync(path.join(outside, 'c.py'), seedText);
      const lone = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(outside, 'c.py')));
      const r3 = await vscode.commands.executeCommand<{ error?: string }>('mixvargenet.compareWithHead', lone.uri);
      assert.match(r3.error ?? '', /is not in a git repository/);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('Compare with File: another config as the old side', async () => {
    const a = await api();
    const { doc } = await open({ content: seedText.replace('stack_ops=["mixvarge_f2_gb16"] * 6', 'stack_ops=["mixvarge_f2_gb16"] * 4') });
    await a.whenAnalyzed(doc);
    const seed = (await open('configs/mixvargenet_imagenet.py')).doc;
    await vscode.window.showTextDocument(doc);
    const r = await vscode.commands.executeCommand<DiffState & { error?: string }>('mixvargenet.compareWithFile', doc.uri, seed.uri);
    assert.equal(r.error, undefined, r.error);
    assert.equal(r.base, 'mixvargenet_imagenet.py');
    // Two fewer mixvarge_f2_gb16 blocks at 96×14×14; PyTorch: stage 3 319,488 → 225,600 params (−93,888 = −93.9K),
    // 61,415,424 → 43,352,064 MACs (−18,063,360 = −18.1M).
    assert.ok(r.decorations.some((d) => d.text === '−93.9K params · −18.1M MACs'), JSON.stringify(r.decorations));
    await vscode.commands.executeCommand('mixvargenet.clearComparison', doc.uri);
  });

  it('Compare with File on a hostile file: a symlink to /dev/zero is refused at once with why; a symlink to a config is followed', async () => {
    const a = await api();
    const { doc } = await open({ content: seedText });
    await a.whenAnalyzed(doc);
    fs.symlinkSync('/dev/zero', path.join(repo, 'zero.py'));
    fs.symlinkSync(path.join(repo, 'm.py'), path.join(repo, 'link.py'));
    const t0 = Date.now();
    const z = await vscode.commands.executeCommand<{ error?: string }>('mixvargenet.compareWithFile', doc.uri, vscode.Uri.file(path.join(repo, 'zero.py')));
    assert.match(z.error ?? '', /cannot read .*zero\.py: it is not a regular file/);
    assert.ok(Date.now() - t0 < 5000, `answered in ${Date.now() - t0} ms`);
    assert.equal((await state(doc.uri)).active, false, 'no comparison');
    const l = await vscode.commands.executeCommand<DiffState & { error?: string }>('mixvargenet.compareWithFile', doc.uri, vscode.Uri.file(path.join(repo, 'link.py')));
    assert.equal(l.error, undefined, l.error);
    assert.equal(l.base, 'link.py');
    await vscode.commands.executeCommand('mixvargenet.clearComparison', doc.uri);
  });

  it('text from the files stays text in the hovers: an op name with a backtick and a link is one code span', async () => {
    const a = await api();
    const sneaky = 'mixvarge_f2`](https://example.invalid/x.png)';
    const { doc } = await open({ content: seedText.replace('head_op="mixvarge_f2", stack_ops=[]', `head_op="${sneaky}", stack_ops=[]`) });
    await a.whenAnalyzed(doc);
    const seed = (await open('configs/mixvargenet_imagenet.py')).doc;
    await vscode.window.showTextDocument(doc);
    const r = await vscode.commands.executeCommand<DiffState>('mixvargenet.compareWithFile', doc.uri, seed.uri);
    const hover = r.decorations.find((d) => /head_op/.test(d.hover))?.hover ?? '';
    // A fence of two backticks around text holding one: the link is inside the code span, not Markdown.
    assert.ok(hover.includes(`- \`\`head_op "mixvarge_f2" → "${sneaky}"\`\``), hover);
    await vscode.commands.executeCommand('mixvargenet.clearComparison', doc.uri);
  });

  it('the graph preview in diff mode: the changed and the added stage marked, the old values in the tooltip, a legend; cleared with the comparison', async () => {
    const a = await api();
    const { doc, editor } = await committedSeed('g.py');
    // Stage 4 to 192 channels, and a stride-1 stage 5 appended (the edited seed of test/fixtures/diff, less its stage-3 edit).
    const edited = fs.readFileSync(path.join(__dirname, '../../../test/fixtures/diff/seed_edited.py'), 'utf8').replace('stack_ops=["mixvarge_f2_gb16"] * 4', 'stack_ops=["mixvarge_f2_gb16"] * 6');
    await editor.edit((e) => e.replace(new vscode.Range(0, 0, doc.lineCount, 0), edited));
    await a.analyzeNow(doc);
    await vscode.commands.executeCommand('mixvargenet.openGraphPreview', doc.uri);
    const graph = (action?: object) => vscode.commands.executeCommand<{ ready?: boolean; dom: DomReport | null }>('mixvargenet._graphState', doc.uri.toString(), action);
    await until(async () => (await graph()).ready, 'the preview to load');
    await vscode.commands.executeCommand('mixvargenet.compareWithHead', doc.uri);
    const d = await until(async () => {
      const g = await graph();
      return g.dom && Object.keys(g.dom.diffMarks ?? {}).length > 0 && g.dom;
    }, 'nodes marked in the graph');
    assert.deepEqual(d.diffMarks, { s4: 'changed', s5: 'added' });
    // The old values of stage 4 in its tooltip (PyTorch: 272,704 params and 13,146,112 MACs in the seed).
    assert.match(d.nodeTitles.s4, /~ changed since the compared version/);
    assert.match(d.nodeTitles.s4, /was out_channels 160 → 192/);
    assert.match(d.nodeTitles.s4, /was 272,704 params · 13,146,112 MACs/);
    assert.match(d.nodeTitles.s5, /\+ added since the compared version\nnot in HEAD/);
    assert.doesNotMatch(d.nodeTitles.s3, /compared version/);
    assert.match(d.legend, /added.*changed vs HEAD/);
    assert.match(d.header, /vs HEAD: \+/);
    // With the preview beside it the editor is half as wide: the stage deltas are on the lines above the stages (with
    // the stage numbers), only the short net_config line keeps its decoration. PyTorch: stage 5 has 739,008 params
    // and 36,126,720 MACs.
    const s = await until(async () => {
      const x = await state(doc.uri);
      return x.lenses.length === 2 && x;
    }, 'the stage deltas above the stages');
    const lineOf = (needle: string) => doc.positionAt(doc.getText().indexOf(needle)).line;
    assert.deepEqual(s.lenses, [
      { line: lineOf('MixVarGENetConfig(in_channels=96'), text: 'Δ +73.5K params · +3.56M MACs' },
      { line: lineOf('MixVarGENetConfig(in_channels=192'), text: 'Δ new stage: +739K params · +36.1M MACs' },
    ]);
    assert.deepEqual(s.decorations.map((x) => x.line), [lineOf('net_config = [')]);
    // The exported SVG carries the outlines' key and what the picture is compared with.
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-diff-svg-')), 'g.svg');
    const exportSvg = async () => {
      const r = await vscode.commands.executeCommand<{ ok: boolean; error?: string }>('mixvargenet.graph.exportSvg', { path: out, uri: doc.uri.toString() });
      assert.ok(r?.ok, r?.error);
      return fs.readFileSync(out, 'utf8');
    };
    const svg = await exportSvg();
    if (process.env.MVG_KEEP_SVG) fs.copyFileSync(out, process.env.MVG_KEEP_SVG);
    assert.match(svg, /<g class="export-diff-key"><g class="node diff-added">.*>added<\/text><g class="node diff-changed">.*>changed vs HEAD: \+[^<]*<\/text><\/g>/);
    assert.equal((svg.match(/class="node kind-stage\b[^"]*\bdiff-changed\b/g) ?? []).length, 1, 'stage 4 marked changed in the picture');
    // The head is wider than the one-column graph: the picture is as wide as its head, the legend right of the totals.
    const [W, H] = /<svg[^>]*\swidth="(\d+)"[^>]*\sheight="(\d+)"/.exec(svg)!.slice(1).map(Number);
    const legendX = Number(/<text class="export-sub" x="(\d+(?:\.\d+)?)" y="18">MACs per node/.exec(svg)?.[1]);
    assert.equal(legendX, W - 24 - 160, 'the legend at the right edge');
    // The PNG is the same picture at twice the size (its IHDR: width and height, big-endian, at bytes 16 and 20).
    const png = path.join(path.dirname(out), 'g.png');
    const rp = await vscode.commands.executeCommand<{ ok: boolean; error?: string }>('mixvargenet.graph.exportPng', { path: png, uri: doc.uri.toString() });
    assert.ok(rp?.ok, rp?.error);
    const head = fs.readFileSync(png);
    assert.equal(head.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', 'a PNG');
    assert.deepEqual([head.readUInt32BE(16), head.readUInt32BE(20)], [2 * W, 2 * H]);
    await vscode.commands.executeCommand('mixvargenet.clearComparison', doc.uri);
    const cleared = await until(async () => {
      const g = await graph();
      return g.dom && Object.keys(g.dom.diffMarks ?? {}).length === 0 && g.dom;
    }, 'the marks to go');
    assert.doesNotMatch(cleared.legend, /changed vs/);
    assert.doesNotMatch(cleared.header, /vs HEAD/);
    assert.doesNotMatch(await exportSvg(), /export-diff-key/, 'no key once the comparison is cleared');
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });

  it('latency: once both versions were measured (the old one from the result cache), the CPU time delta joins the cost delta', async () => {
    const a = await api();
    const { doc, editor } = await committedSeed('l.py');
    type Measured = { ok: boolean; error?: string; latencyMs: { median: number }; stages: { index: number; latencyMs: number }[] };
    const measure = () => vscode.commands.executeCommand<Measured>('mixvargenet.measureLatency', { uri: doc.uri.toString(), silent: true });
    const before = await measure();
    assert.equal(before.ok, true, before.error);
    const at = doc.getText().indexOf('in_channels=96, out_channels=160') + 'in_channels=96, out_channels='.length;
    await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(at), doc.positionAt(at + 3)), '192'));
    await a.analyzeNow(doc);
    await vscode.commands.executeCommand('mixvargenet.compareWithHead', doc.uri);
    const stageLine = doc.positionAt(doc.getText().indexOf('MixVarGENetConfig(in_channels=96')).line;
    const unmeasured = await until(async () => {
      const s = await state(doc.uri);
      return s.decorations.some((d) => d.line === stageLine) && s;
    }, 'the cost delta');
    // The edited version is not measured yet: no time delta, only the cost.
    assert.ok(unmeasured.decorations.every((d) => !/ms CPU/.test(d.text)), JSON.stringify(unmeasured.decorations));
    const after = await measure();
    assert.equal(after.ok, true, after.error);
    const ms = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x) >= 10 ? Math.abs(x).toFixed(1) : Math.abs(x).toFixed(2)} ms CPU`;
    const stageMs = after.stages.find((s) => s.index === 4)!.latencyMs - before.stages.find((s) => s.index === 4)!.latencyMs;
    const totalMs = after.latencyMs.median - before.latencyMs.median;
    const st = await until(async () => {
      const s = await state(doc.uri);
      return s.decorations.some((d) => /ms CPU/.test(d.text)) && s;
    }, 'the time delta once both versions are measured');
    assert.equal(st.decorations.find((d) => d.line === stageLine)!.text, `+73.5K params · +3.56M MACs · ${ms(stageMs)}`);
    assert.ok(st.decorations.some((d) => d.text === `vs HEAD: +106K params · +5.17M MACs · ${ms(totalMs)}`), JSON.stringify(st.decorations));
    assert.ok(st.status!.text.endsWith(ms(totalMs)));
    await vscode.commands.executeCommand('mixvargenet.clearComparison', doc.uri);
  });

  it('a change of the analysis settings applies to both sides: no finding turns "fixed" because a rule was disabled', async () => {
    const a = await api();
    // 56 channels do not split into groups of 16: MVG003 on both sides.
    const broken = seedText.replace('in_channels=64, out_channels=96', 'in_channels=64, out_channels=56');
    const old = (await open({ content: broken })).doc;
    const { doc } = await open({ content: broken });
    await a.whenAnalyzed(doc);
    const r = await vscode.commands.executeCommand<DiffState & { error?: string }>('mixvargenet.compareWithFile', doc.uri, old.uri);
    assert.equal(r.error, undefined, r.error);
    assert.deepEqual(r.diff!.findings, { new: [], fixed: [] });
    await withSettings({ disabledRules: ['MVG003'] }, async () => {
      await until(() => a.snapshot(doc.uri)?.findings.every((f) => f.code !== 'MVG003'), 'the document analysed without MVG003');
      const s = await until(async () => {
        const x = await state(doc.uri);
        return x.diff && x.diff.findings.fixed.length === 0 && !x.diff.findings.fixed.some((f) => f.code === 'MVG003') && x;
      }, 'the old side analysed with the same settings');
      assert.deepEqual(s.diff!.findings.new, []);
    });
    await vscode.commands.executeCommand('mixvargenet.clearComparison', doc.uri);
  });
});
