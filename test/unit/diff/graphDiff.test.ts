/** The graph preview's diff mode in the core: markDiff's marks, and the webview's validation of them. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../../extension/core/analyze';
import { diffConfigs } from '../../../extension/core/diff/diff';
import { markDiff } from '../../../extension/core/graph/diff';
import { buildGraph } from '../../../extension/core/graph/model';
import { parseHostMessage } from '../../../extension/core/graph/types';
import { toSnapshot } from '../../../extension/core/ide/snapshot';

const ROOT = path.resolve(__dirname, '../../../..');
const SEED = fs.readFileSync(path.join(ROOT, 'examples/configs/mixvargenet_imagenet.py'), 'utf8');
const EDITED = fs.readFileSync(path.join(ROOT, 'test/fixtures/diff/seed_edited.py'), 'utf8');
const refSeed = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/expected/mixvargenet_imagenet.json'), 'utf8')) as { stages: { params: number; macs: number }[] };

describe('graph diff mode (core/graph/diff)', () => {
  const model = buildGraph(toSnapshot(analyze(EDITED), { uri: 'file:///e.py', version: 1 }));

  it('marks the changed and added stage nodes with what they were; leaves the rest and the input model alone', () => {
    const marked = markDiff(model, diffConfigs(SEED, EDITED), 'HEAD');
    const byId = new Map(marked.nodes.map((n) => [n.id, n]));
    assert.equal(byId.get('s3')!.diff!.status, 'changed');
    assert.equal(byId.get('s4')!.diff!.status, 'changed');
    assert.deepEqual(byId.get('s4')!.diff!.was, ['was out_channels 160 → 192', `was 272,704 params · 13,146,112 MACs`]);
    assert.equal(refSeed.stages[4].params, 272_704);
    assert.equal(refSeed.stages[4].macs, 13_146_112);
    assert.deepEqual(byId.get('s5')!.diff, { status: 'added', was: ['not in HEAD'] });
    assert.equal(byId.get('s0')!.diff, undefined);
    assert.equal(marked.diff!.base, 'HEAD');
    assert.deepEqual(marked.diff!.removed, []);
    assert.ok(model.nodes.every((n) => n.diff === undefined), 'the model given is not changed');
  });

  it('a removed stage is listed on the model, not marked on a node', () => {
    const back = markDiff(buildGraph(toSnapshot(analyze(SEED), { uri: 'file:///s.py', version: 1 })), diffConfigs(EDITED, SEED), 'main');
    assert.deepEqual(back.diff!.removed, ['stage 5 (739K params · 36.1M MACs)']);
    assert.ok(!back.nodes.some((n) => n.diff?.status === 'added'));
  });

  it('the webview keeps valid marks and drops malformed ones', () => {
    const marked = markDiff(model, diffConfigs(SEED, EDITED), 'HEAD');
    const ok = parseHostMessage(JSON.parse(JSON.stringify({ type: 'model', model: marked, stale: null })));
    assert.ok(ok && ok.type === 'model');
    assert.equal(ok.model.nodes.find((n) => n.id === 's5')!.diff!.status, 'added');
    assert.equal(ok.model.diff!.base, 'HEAD');
    const bad = JSON.parse(JSON.stringify({ type: 'model', model: marked, stale: null }));
    bad.model.diff = { base: 3, summary: 'x', removed: [] };
    bad.model.nodes.find((n: { id: string }) => n.id === 's5').diff = { status: '<img>', was: [] };
    bad.model.nodes.find((n: { id: string }) => n.id === 's4').diff = { status: 'changed', was: [1] };
    const parsed = parseHostMessage(bad);
    assert.ok(parsed && parsed.type === 'model');
    assert.equal(parsed.model.diff, null);
    assert.ok(parsed.model.nodes.every((n) => n.diff === undefined || n.id === 's3'));
  });
});
