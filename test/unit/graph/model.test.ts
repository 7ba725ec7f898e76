import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../extension/core/analyze';
import { toSnapshot } from '../../../extension/core/ide/snapshot';
import { buildGraph, nodeAtOffset } from '../../../extension/core/graph/model';
import type { GraphModel } from '../../../extension/core/graph/types';
import { parseHostMessage, parseWebviewMessage } from '../../../extension/core/graph/types';
import { ROOT, SEED } from '../ide/helpers';

const example = (f: string) => readFileSync(join(ROOT, 'examples', 'configs', f), 'utf8');
function graphOf(text: string, opts: Parameters<typeof buildGraph>[1] = {}): GraphModel {
  return buildGraph(toSnapshot(analyze(text), { uri: 'file:///w/c.py', version: 3 }), opts);
}
const fusionEdges = (g: GraphModel) =>
  g.edges
    .filter((e) => e.kind === 'fusion')
    .map((e) => `${e.from}->${e.to}`)
    .sort();

describe('graph model', () => {
  it('seed: the spine input, stem, five stages, head, output; blocks per stage as the config says', () => {
    const g = graphOf(SEED);
    const top = g.nodes.filter((n) => n.parent === null).map((n) => n.id);
    assert.deepEqual(top, ['input', 'stem', 's0', 's1', 's2', 's3', 's4', 'head', 'output']);
    const blocksOf = (s: string) => g.nodes.filter((n) => n.parent === s).length;
    // head op + stack ops: [], ×2, ×2, ×6, ×2
    assert.deepEqual(['s0', 's1', 's2', 's3', 's4'].map(blocksOf), [1, 3, 3, 7, 3]);
    assert.equal(g.totals.blocks, 17);
    assert.equal(g.edges.filter((e) => e.kind === 'fusion').length, 0);
    assert.equal(g.empty, false);
  });

  it('seed: the parts add up to the torch-verified totals', () => {
    const g = graphOf(SEED);
    assert.equal(g.totals.params, 2310744);
    assert.equal(g.totals.macs, 1033746432);
    const parts = g.nodes.filter((n) => n.kind !== 'block');
    assert.equal(parts.reduce((t, n) => t + (n.params ?? 0), 0), 2310744);
    assert.equal(parts.reduce((t, n) => t + (n.macs ?? 0), 0), 1033746432);
    const shares = g.stages.reduce((t, s) => t + (s.share ?? 0), 0);
    assert.ok(shares > 0.5 && shares < 1, `stage shares ${shares} leave room for stem and head`);
  });

  it('seed: flow edges carry the output shape and stride of what flows', () => {
    const g = graphOf(SEED);
    const into = (id: string) => g.edges.find((e) => e.kind === 'flow' && e.to === id)!;
    assert.equal(into('stem').label, '3×224×224 · /1');
    assert.equal(into('s0.b0').label, '32×112×112 · /2');
    assert.equal(into('s1.b0').label, '32×112×112 · /2');
    assert.equal(into('s2.b0').label, '32×56×56 · /4');
    assert.equal(into('head').label, '160×7×7 · /32');
    assert.deepEqual(g.nodes.find((n) => n.id === 's4')!.outShape, [160, 7, 7]);
  });

  it('a block selects its op string; a stage its MixVarGENetConfig call', () => {
    const g = graphOf(SEED);
    const b = g.nodes.find((n) => n.id === 's3.b4')!;
    assert.equal(SEED.slice(b.range!.start, b.range!.end), '"mixvarge_f2_gb16"');
    const s = g.nodes.find((n) => n.id === 's2')!;
    assert.ok(SEED.slice(s.range!.start, s.range!.end).startsWith('MixVarGENetConfig(in_channels=32, out_channels=64'));
    assert.equal(nodeAtOffset(g, b.range!.start + 3), 's3.b1', 'the stack ops of stage 3 are one `* 6` list: its blocks share the literal, the first is highlighted');
    assert.equal(nodeAtOffset(g, s.range!.start + 2), 's2');
    assert.equal(nodeAtOffset(g, 0), null);
  });

  it('fusion example: fusion edges follow the positional routing of MIXVARGENET.md', () => {
    const g = graphOf(example('mixvargenet_fusion.py'));
    // stage 1 emits 3 downsamples, stage 2 two, stage 3 one (extra_downsample_num 3, 2, 1)
    assert.deepEqual(g.nodes.filter((n) => n.kind === 'downsample').map((n) => n.id), ['s1.d0', 's1.d1', 's1.d2', 's2.d0', 's2.d1', 's3.d0']);
    assert.deepEqual(fusionEdges(g), ['s1.d0->s2.b0', 's1.d1->s3.b0', 's1.d2->s4.b0', 's2.d0->s3.b0', 's2.d1->s4.b0', 's3.d0->s4.b0']);
    const e = g.edges.find((x) => x.kind === 'fusion' && x.from === 's2.d0')!;
    assert.equal(e.label, 'fusion s8 · 64ch');
    assert.equal(e.problem, undefined);
    // the emit chain: last block of stage 1 → ↓2 → ↓4 → ↓8
    const emits = g.edges.filter((x) => x.kind === 'emit' && x.id.includes('s1.')).map((x) => `${x.from}->${x.to}`);
    assert.deepEqual(emits, ['s1.b2->s1.d0', 's1.d0->s1.d1', 's1.d1->s1.d2']);
    assert.deepEqual(g.nodes.find((n) => n.id === 's1.d1')!.outShape, [32, 14, 14]);
  });

  it('mistakes: a mis-routed fusion edge carries its problem and the stage its findings', () => {
    const text = example('mistakes.py');
    const snap = toSnapshot(analyze(text), { uri: 'file:///w/m.py', version: 1 });
    const g = buildGraph(snap);
    const bad = g.edges.filter((e) => e.kind === 'fusion' && e.problem);
    assert.ok(bad.length >= 1, 'a fusion edge with a problem');
    const errs = snap.findings.filter((f) => f.severity === 'error' && f.stage !== undefined).length;
    const onStages = g.nodes.filter((n) => n.kind === 'stage').reduce((t, n) => t + n.diag.error, 0);
    assert.equal(onStages, errs, 'every error of a stage is on its stage node');
    // A finding in an op string sits on its block: stage 3's head op at 40 channels makes 2 groups of 20 (MVG102).
    const narrow = SEED.replace('in_channels=64, out_channels=96', 'in_channels=40, out_channels=96').replace('in_channels=32, out_channels=64', 'in_channels=32, out_channels=40');
    const ng = buildGraph(toSnapshot(analyze(narrow), { uri: 'file:///w/n.py', version: 1 }));
    assert.ok(ng.nodes.some((n) => n.kind === 'block' && n.id === 's3.b0' && n.diag.warning > 0), 'findings in an op string sit on the block');
  });

  it('a file without MixVarGENetConfig gives an empty model', () => {
    const g = graphOf('import os\nx = 1\n');
    assert.equal(g.empty, true);
    assert.equal(g.nodes.filter((n) => n.kind === 'stage').length, 0);
  });

  it('measured stage times reach the stage nodes, the table and the totals', () => {
    const g = graphOf(SEED, { measured: { stages: { 0: 0.5, 3: 1.25 }, description: 'ORT CPU', totalMs: 4 } });
    assert.equal(g.nodes.find((n) => n.id === 's3')!.timeMs, 1.25);
    assert.equal(g.nodes.find((n) => n.id === 's1')!.timeMs, null);
    assert.equal(g.stages[0].timeMs, 0.5);
    assert.equal(g.totals.timeMs, 4);
    assert.equal(graphOf(SEED).measured, null);
  });

  it('the model is plain data (survives JSON) and node ids are unique', () => {
    const g = graphOf(example('mixvargenet_fusion.py'));
    assert.deepEqual(JSON.parse(JSON.stringify(g)), g);
    assert.equal(new Set(g.nodes.map((n) => n.id)).size, g.nodes.length);
    assert.equal(new Set(g.edges.map((e) => e.id)).size, g.edges.length);
    for (const e of g.edges) assert.ok(g.nodes.some((n) => n.id === e.from) && g.nodes.some((n) => n.id === e.to), e.id);
  });
});

describe('graph messages', () => {
  it('accepts well-formed webview messages and rejects the rest', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'reveal', nodeId: 's1.b0' }), { type: 'reveal', nodeId: 's1.b0' });
    assert.equal(parseWebviewMessage({ type: 'reveal', nodeId: 3 }), null);
    assert.equal(parseWebviewMessage({ type: 'export', format: 'gif', data: '' }), null);
    assert.equal(parseWebviewMessage({ type: 'nope' }), null);
    assert.equal(parseWebviewMessage('reveal'), null);
    assert.equal(parseWebviewMessage(null), null);
    const state = { expanded: ['s1'], measure: 'macs', selected: null, transform: { k: 1, x: 0, y: 0 }, showTable: false };
    assert.deepEqual(parseWebviewMessage({ type: 'viewState', state }), { type: 'viewState', state });
    assert.equal(parseWebviewMessage({ type: 'viewState', state: { ...state, measure: 'colour' } }), null);
    assert.equal(parseWebviewMessage({ type: 'viewState', state: { ...state, transform: { k: 0, x: 0, y: 0 } } }), null);
    assert.deepEqual(parseWebviewMessage({ type: 'ready', state: { bad: 1 } }), { type: 'ready', state: null });
  });

  it('accepts well-formed host messages and rejects the rest', () => {
    const g = graphOf(SEED);
    assert.equal(parseHostMessage({ type: 'model', model: g, stale: null })?.type, 'model');
    assert.equal(parseHostMessage({ type: 'model', model: { nodes: [] }, stale: null }), null);
    assert.equal(parseHostMessage({ type: 'model', model: g, stale: { line: 'x' } }), null);
    assert.deepEqual(parseHostMessage({ type: 'stale', stale: { line: 4, message: 'x' } }), { type: 'stale', stale: { line: 4, message: 'x' } });
    assert.deepEqual(parseHostMessage({ type: 'command', command: 'fit' }), { type: 'command', command: 'fit' });
    assert.equal(parseHostMessage({ type: 'command', command: 'rm -rf' }), null);
  });
});
