// The graph preview (issue 4) in a real VS Code: the panel opens beside the config, the webview draws the stages
// and fusion edges (counted in its DOM, which the webview reports through `mixvargenet._graphState`), a click on a
// node selects its config text, edits redraw it, a syntax error keeps the last picture under a banner, the cursor
// highlights the node under it, and "Export Graph as SVG" writes a file that parses.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DomReport } from '../../../extension/core/graph/types';
import { addRun, emptyStore, serializeStore, type RunRecord } from '../../../extension/core/hat/results';
import { api, closeAll, open, pos, until, withSettings, wsUri } from './lib/ext';

interface GraphState {
  open: boolean;
  uri?: string;
  ready?: boolean;
  visible?: boolean;
  viewColumn?: number;
  title?: string;
  modelVersion?: number | null;
  stale?: { line: number; message: string } | null;
  highlighted?: string | null;
  lastReveal?: { nodeId: string; range: [number, number] } | null;
  html?: string;
  dom: DomReport | null;
}

type Action = { click?: string; dblclick?: string; measure?: string; find?: string };

function graphState(uri: vscode.Uri, action?: Action): Thenable<GraphState> {
  return vscode.commands.executeCommand<GraphState>('mixvargenet._graphState', uri.toString(), action);
}

/** The panel's DOM report once `pred` holds. */
async function dom(uri: vscode.Uri, pred: (d: DomReport, s: GraphState) => boolean, what: string, ms = 20_000): Promise<DomReport> {
  let last: GraphState | undefined;
  try {
    return await until(async () => {
      last = await graphState(uri);
      return last.dom && pred(last.dom, last) ? last.dom : undefined;
    }, what, ms);
  } catch (e) {
    const d = last?.dom;
    throw new Error(`${(e as Error).message}\n  last: ${JSON.stringify(d ? { ...d, nodeTitles: undefined } : last)?.slice(0, 1500)}`);
  }
}

async function openPreview(rel: string): Promise<{ doc: vscode.TextDocument; editor: vscode.TextEditor }> {
  const a = await api();
  const opened = await open(rel);
  await a.whenAnalyzed(opened.doc);
  await vscode.commands.executeCommand('mixvargenet.openGraphPreview');
  await until(async () => (await graphState(opened.doc.uri)).ready, 'the preview to load');
  return opened;
}

describe('graph preview', function () {
  this.timeout(120_000);
  afterEach(closeAll);

  it('opens beside the seed config: 5 stage nodes, no fusion edges, the totals in the header, a strict CSP', async () => {
    const { doc } = await openPreview('configs/mixvargenet_imagenet.py');
    const d = await dom(doc.uri, (x) => x.stageNodes > 0, 'stage nodes');
    const s = await graphState(doc.uri);
    assert.equal(s.title, 'Graph: mixvargenet_imagenet.py');
    assert.equal(s.viewColumn, vscode.ViewColumn.Two, 'beside the editor');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), doc.uri.toString(), 'the editor keeps the focus');
    assert.equal(d.stageNodes, 5);
    assert.equal(d.blockNodes, 0, 'stages start collapsed');
    assert.equal(d.fusionEdges, 0);
    assert.match(d.header, /2[.,]31\s*M/, 'params in the header');
    assert.match(d.header, /1[.,]03\s*G/, 'MACs in the header');
    assert.ok(d.edgeLabels.some((l) => l.includes('32×56×56')), `a flow edge labelled with its shape: ${d.edgeLabels.join(' | ')}`);
    assert.match(s.html!, /Content-Security-Policy/);
    assert.match(s.html!, /default-src 'none'/);
    assert.match(s.html!, /script-src 'nonce-[A-Za-z0-9+/]{24}'/);
    assert.doesNotMatch(s.html!, /<script(?![^>]*nonce=)/, 'every script carries the nonce');
    // One panel per config: opening again reveals the same one.
    await vscode.commands.executeCommand('mixvargenet.openGraphPreview', doc.uri);
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.label.startsWith('Graph: '));
    assert.equal(tabs.length, 1);
  });

  it('fusion example: fusion edges from each downsample to the head it feeds, labelled with stride and channels', async () => {
    const { doc } = await openPreview('configs/mixvargenet_fusion.py');
    const d = await dom(doc.uri, (x) => x.stageNodes === 5, 'stage nodes');
    assert.equal(d.fusionEdges, 6);
    assert.ok(d.edgeLabels.includes('fusion s8 · 64ch'), d.edgeLabels.join(' | '));
    assert.ok(d.edgeLabels.includes('fusion s16 · 96ch'), d.edgeLabels.join(' | '));
  });

  it('the header counts the J5 hints VS Code leaves out of the Problems panel, and follows the severity setting', async () => {
    const { doc } = await openPreview('configs/mixvargenet_fusion.py');
    // One hint in the fusion example: MVG203 (stage 1's map consumed by stage 4, three stages later).
    const hints = vscode.languages.getDiagnostics(doc.uri).filter((x) => x.source === 'mixvargenet' && x.severity === vscode.DiagnosticSeverity.Hint);
    assert.equal(hints.length, 1, 'one hint in the file');
    const d = await dom(doc.uri, (x) => /1 hint\b/.test(x.header), 'the hint counted in the header');
    assert.match(d.header, /0 errors\s*0 warnings\s*1 hint\b/);
    assert.doesNotMatch(d.header, /\binfo\b/);
    // The stage the hint is on names it in its tooltip.
    assert.ok(Object.values(d.nodeTitles).some((t) => /MVG203/.test(t)), 'a node names MVG203');
    // The status bar counts it too (VS Code's own problems item does not count hints).
    const status = await vscode.commands.executeCommand<{ text: string }>('mixvargenet._status');
    assert.match(status.text, / · 1 hint$/);
    await withSettings({ 'severity.guidance': 'information' }, async () => {
      const info = await dom(doc.uri, (x) => /1 info\b/.test(x.header), 'the hint counted as information');
      assert.doesNotMatch(info.header, /hint/);
      await until(async () => !/hint/.test((await vscode.commands.executeCommand<{ text: string }>('mixvargenet._status')).text), 'the status bar without hints');
    });
  });

  it('a click on a node selects its config text; expanding a stage shows its blocks, whose click selects the op string', async () => {
    const { doc } = await openPreview('configs/mixvargenet_imagenet.py');
    await dom(doc.uri, (x) => x.stageNodes === 5, 'stage nodes');
    await graphState(doc.uri, { click: 's2' });
    const sel = await until(() => {
      const ed = vscode.window.visibleTextEditors.find((e) => e.document === doc);
      return ed && !ed.selection.isEmpty ? ed.selection : undefined;
    }, 'a selection in the editor');
    assert.match(doc.getText(sel), /^MixVarGENetConfig\(in_channels=32, out_channels=64,/);

    await graphState(doc.uri, { dblclick: 's3' });
    const d = await dom(doc.uri, (x) => x.blockNodes === 7, 'stage 3 expanded to its 7 blocks');
    assert.ok(d.expanded.includes('s3'));
    await graphState(doc.uri, { click: 's3.b0' });
    await until(() => {
      const ed = vscode.window.visibleTextEditors.find((e) => e.document === doc);
      return ed && doc.getText(ed.selection) === '"mixvarge_f2_gb16"' && doc.offsetAt(ed.selection.start) === doc.getText().indexOf('head_op="mixvarge_f2_gb16"') + 'head_op='.length;
    }, 'stage 3 head_op selected');
    const after = await dom(doc.uri, (x) => x.selected === 's3.b0', 'the node selected');
    assert.equal(after.selected, 's3.b0');
  });

  it('edits redraw the picture, keeping the expansion; a syntax error keeps it under a stale banner', async () => {
    const { doc, editor } = await openPreview('configs/mixvargenet_imagenet.py');
    await dom(doc.uri, (x) => x.stageNodes === 5, 'stage nodes');
    await graphState(doc.uri, { dblclick: 's1' });
    await dom(doc.uri, (x) => x.blockNodes === 3, 'stage 1 expanded');
    const before = (await graphState(doc.uri)).dom!;
    const s4Before = before.nodeTitles['s4'];

    // stage 4: 160 → 192 output channels
    const at = pos(doc, 'out_channels=|160');
    await editor.edit((b) => b.replace(new vscode.Range(at, at.translate(0, 3)), '192'));
    const changed = await dom(doc.uri, (x) => x.nodeTitles['s4'] !== s4Before, 'stage 4 redrawn');
    assert.match(changed.nodeTitles['s4'], /192/);
    assert.notEqual(changed.header, before.header, 'the totals changed');
    assert.equal(changed.blockNodes, 3, 'stage 1 is still expanded');

    // a syntax error: the picture stays, a banner names the line
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    await editor.edit((b) => b.insert(end, '\nbroken = [(\n'));
    const stale = await dom(doc.uri, (x) => !!x.staleBanner, 'the stale banner');
    assert.match(stale.staleBanner!, /line \d+/i);
    assert.equal(stale.stageNodes, 5, 'the last good picture stays');
    assert.match(stale.nodeTitles['s4'], /192/);
    await vscode.commands.executeCommand('undo');
    await dom(doc.uri, (x) => !x.staleBanner, 'the banner gone after the fix');
  });

  it('moving the cursor in the editor highlights the node under it', async () => {
    const { doc, editor } = await openPreview('configs/mixvargenet_imagenet.py');
    await dom(doc.uri, (x) => x.stageNodes === 5, 'stage nodes');
    const p = pos(doc, 'in_channels=64, |out_channels=96');
    editor.selection = new vscode.Selection(p, p);
    await dom(doc.uri, (x) => x.highlighted === 's3', 'stage 3 highlighted');
    const q = pos(doc, 'in_channels=96, |out_channels=160');
    editor.selection = new vscode.Selection(q, q);
    await dom(doc.uri, (x) => x.highlighted === 's4', 'stage 4 highlighted');
  });

  it('colours by a chosen measure with a legend, and finds nodes by op', async () => {
    const { doc } = await openPreview('configs/mixvargenet_imagenet.py');
    const d0 = await dom(doc.uri, (x) => x.stageNodes === 5, 'stage nodes');
    assert.equal(d0.measure, 'macs');
    assert.match(d0.legend, /MAC/i);
    await graphState(doc.uri, { measure: 'params' });
    const d1 = await dom(doc.uri, (x) => x.measure === 'params', 'measure params');
    assert.match(d1.legend, /param/i);
    assert.notEqual(d1.legend, d0.legend);
    // Find: stages 3 and 4 (and only they) are built from mixvarge_f2_gb16 in the seed.
    const text = doc.getText();
    const gb16Stages = [...text.matchAll(/MixVarGENetConfig\(([^)]*)\)/g)].map((m, i) => (m[1].includes('mixvarge_f2_gb16') ? `s${i}` : null)).filter((x) => x);
    assert.deepEqual(gb16Stages, ['s3', 's4']);
    await graphState(doc.uri, { find: 'mixvarge_f2_gb16' });
    const found = await dom(doc.uri, (x) => (x.matches ?? []).length > 0, 'find matches');
    const stageMatches = (found.matches ?? []).filter((id) => /^s\d+$/.test(id)).sort();
    assert.deepEqual(stageMatches, gb16Stages);
    assert.ok((found.matches ?? []).every((id) => /^s[34](\.|$)/.test(id)), `only stage 3 and 4 nodes match: ${found.matches}`);
  });

  it('"Export Graph as SVG" writes a standalone SVG of the view', async () => {
    const { doc } = await openPreview('configs/mixvargenet_fusion.py');
    await dom(doc.uri, (x) => x.stageNodes === 5, 'stage nodes');
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-svg-')), 'graph.svg');
    const r = await vscode.commands.executeCommand<{ ok: boolean; path?: string; bytes?: number; error?: string }>('mixvargenet.graph.exportSvg', { path: out, uri: doc.uri.toString() });
    assert.ok(r?.ok, r?.error);
    const svg = fs.readFileSync(out, 'utf8');
    assert.match(svg, /^(<\?xml[^>]*>\s*)?<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg, /<\/svg>\s*$/);
    assert.doesNotMatch(svg, /var\(--vscode/, 'theme variables resolved to colours');
    // node and edge groups: class="node kind-stage …" / class="edge kind-fusion …" (not their labels' classes)
    assert.equal((svg.match(/class="node kind-stage\b/g) ?? []).length, 5, 'the 5 stages');
    assert.equal((svg.match(/class="edge kind-fusion\b/g) ?? []).length, 6, 'the 6 fusion edges');
    assert.ok(svg.includes('fusion s8 · 64ch'));
  });

  it('shows the latest HAT results of the config in its header, and follows the results store', async () => {
    const store = wsUri('.mixvargenet/results.json');
    const run = (stage: RunRecord['stage'], minutesAgo: number, extra: Partial<RunRecord>): RunRecord => ({
      id: `t${stage}${minutesAgo}`,
      stage,
      time: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
      status: 'ok',
      source: 'run',
      ...extra,
    });
    const key = 'configs/mixvargenet_imagenet.py';
    let st = addRun(emptyStore(), key, run('float_predict', 30, { task: 'imagenet', accuracy: 0.7132 }));
    await vscode.workspace.fs.writeFile(store, Buffer.from(serializeStore(st)));
    try {
      const { doc } = await openPreview('configs/mixvargenet_imagenet.py');
      const d = await dom(doc.uri, (x) => /HAT:/.test(x.header), 'the HAT results in the header');
      assert.match(d.header, /71\.32%/);
      assert.doesNotMatch(d.header, /FPS/);
      st = addRun(st, key, run('compile_perf', 1, { fps: 5790, latencyMs: 0.17, march: 'bayes' }));
      await vscode.workspace.fs.writeFile(store, Buffer.from(serializeStore(st)));
      const after = await dom(doc.uri, (x) => /5790 FPS/.test(x.header), 'the new compile_perf result in the header');
      assert.match(after.header, /71\.32%/);
    } finally {
      await vscode.workspace.fs.delete(wsUri('.mixvargenet'), { recursive: true }).then(undefined, () => undefined);
    }
  });

  it('colours by measured time once "Measure Latency" has timed the network', async function () {
    if (!vscode.workspace.isTrusted) this.skip();
    const { doc } = await openPreview('configs/mixvargenet_imagenet.py');
    const d0 = await dom(doc.uri, (x) => x.stageNodes === 5, 'stage nodes');
    assert.doesNotMatch(d0.header, /measured/);
    const r = await vscode.commands.executeCommand<{ ok: boolean; error?: string }>('mixvargenet.measureLatency', { uri: doc.uri.toString(), runs: 3, warmup: 1, threads: 1, silent: true });
    assert.ok(r.ok, r.error);
    await dom(doc.uri, (x) => /measured/.test(x.header), 'the measured time in the header');
    await graphState(doc.uri, { measure: 'time' });
    const d1 = await dom(doc.uri, (x) => x.measure === 'time', 'colour by time');
    assert.match(d1.legend, /ms/);
    assert.match(d1.nodeTitles['s1'], /ms/);
  });

  it('with int8 measured beside fp32 (mixvargenet.perf.precision both), the picture is coloured by the int8 time', async function () {
    if (!vscode.workspace.isTrusted) this.skip();
    const { doc } = await openPreview('configs/mixvargenet_imagenet.py');
    await dom(doc.uri, (x) => x.stageNodes === 5, 'stage nodes');
    await withSettings({ 'perf.precision': 'both' }, async () => {
      const r = await vscode.commands.executeCommand<{ ok: boolean; error?: string; precisions?: { fp32: { latencyMs: { median: number } }; int8: { latencyMs: { median: number } } } }>(
        'mixvargenet.measureLatency',
        { uri: doc.uri.toString(), runs: 3, warmup: 1, threads: 1, silent: true },
      );
      assert.ok(r.ok, r.error);
      const q = r.precisions!.int8.latencyMs.median;
      const f = r.precisions!.fp32.latencyMs.median;
      const d = await dom(doc.uri, (x) => /measured [\d.]+ ms/.test(x.header), 'the measured time in the header');
      const shown = Number(/measured ([\d.]+) ms/.exec(d.header)![1]);
      // The header's total is the int8 median (to its 3 significant digits), not fp32's.
      assert.ok(Math.abs(shown - q) <= 0.01 * q + 0.01 && Math.abs(shown - q) < Math.abs(shown - f), `header ${shown} ms, int8 ${q} ms, fp32 ${f} ms`);
    });
    await vscode.commands.executeCommand('mixvargenet._perfCache', { newSession: true });
  });

  it('shows the findings of a config on the nodes they belong to', async () => {
    const { doc } = await openPreview('configs/mistakes.py');
    const d = await dom(doc.uri, (x) => x.stageNodes > 0, 'stage nodes');
    const diags = vscode.languages.getDiagnostics(doc.uri).filter((x) => x.source === 'mixvargenet' && x.severity === vscode.DiagnosticSeverity.Error);
    assert.ok(diags.length > 0, 'the file has errors');
    const withCodes = Object.entries(d.nodeTitles).filter(([, t]) => /MVG\d{3}/.test(t));
    assert.ok(withCodes.length > 0, `a node names a finding: ${JSON.stringify(d.nodeTitles).slice(0, 800)}`);
    assert.match(d.header, /[1-9]\d* errors?/);
  });
});
