// Every edge label of the graph preview against the network (issue 13, point 3): "96×14×14 · /8" between stage 3's
// blocks was wrong (14×14 of a 224×224 input is /16). The stride each label and each edge states is derived here
// independently, by hand: input size / spatial size of the map on the edge, never from the model's own strides.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../extension/core/analyze';
import { toSnapshot } from '../../../extension/core/ide/snapshot';
import { buildGraph } from '../../../extension/core/graph/model';
import { expandAllIds, layoutGraph } from '../../../extension/core/graph/layout';
import type { GraphEdge, GraphModel, GraphNode, LaidEdge, Shape3 } from '../../../extension/core/graph/types';
import { ROOT } from '../ide/helpers';

const DIR = join(ROOT, 'examples', 'configs');
const EXAMPLES = readdirSync(DIR).filter((f) => f.endsWith('.py')).sort();

function graphOf(file: string): GraphModel {
  return buildGraph(toSnapshot(analyze(readFileSync(join(DIR, file), 'utf8')), { uri: `file:///w/${file}`, version: 1 }));
}

/** Input size / spatial size, in both directions (they must agree and divide exactly to be a stride at all). */
function strideOf(m: GraphModel, s: Shape3): number {
  const [, , H, W] = m.totals.input;
  assert.ok(H % s[1] === 0 && W % s[2] === 0, `${H}×${W} input over a ${s[1]}×${s[2]} map is not a whole stride`);
  assert.equal(H / s[1], W / s[2], `${s.join('×')}: the same stride in both directions`);
  return H / s[1];
}

const shapeText = (s: Shape3) => `${s[0]}×${s[1]}×${s[2]}`;

/** "96×14×14 · /16" → shape text and stride; "fusion s8 · 64ch" → fusion stride and channels. */
function parseFlow(label: string): { shape: string; stride: number | null } {
  const m = /^(\d+×\d+×\d+)(?: · \/(\d+))?$/.exec(label);
  assert.ok(m, `a flow label "${label}"`);
  return { shape: m[1], stride: m[2] ? Number(m[2]) : null };
}
function parseFusion(label: string): { stride: number; channels: number } {
  const m = /^fusion s(\d+) · (\d+)ch$/.exec(label);
  assert.ok(m, `a fusion label "${label}"`);
  return { stride: Number(m[1]), channels: Number(m[2]) };
}

/** Checks one edge (a model edge, or a drawn one between visible nodes) against its source node's output. */
function checkEdge(m: GraphModel, byId: Map<string, GraphNode>, e: Pick<GraphEdge, 'id' | 'kind' | 'from' | 'to' | 'label' | 'problem'> & { stride?: number | null; shape?: Shape3 | null }): number {
  const from = byId.get(e.from)!;
  const to = byId.get(e.to)!;
  const what = `${e.id} "${e.label}"`;
  if (e.kind === 'fusion') {
    // The label names the fusion_strides entry: the stride of the stage whose map it is (its downsample's source).
    const src = m.nodes.find((n) => n.kind === 'stage' && n.stage === from.stage)!;
    const { stride, channels } = parseFusion(e.label);
    assert.ok(src.outShape, what);
    if (stride !== strideOf(m, src.outShape)) {
      // The config names another stage than the one whose map arrives (mistakes.py): the label says what the config
      // wrote, and the edge is drawn as a problem that says so.
      assert.match(e.problem ?? '', new RegExp(`stride ${stride}\\b`), `${what}: names /${stride}, the map comes from /${strideOf(m, src.outShape)}: a problem edge`);
    }
    assert.equal(channels, from.outShape![0], what);
    // The map arrives at the consumer's resolution: its downsample's output, at the head block's output size.
    if (e.stride !== undefined) assert.equal(e.stride, strideOf(m, from.outShape!), `${what}: stride of the arriving map`);
    assert.deepEqual(from.outShape!.slice(1), to.outShape!.slice(1), `${what}: the map matches the head's output size`);
    return 1;
  }
  // Flow and emit edges carry the output of the node they leave.
  if (!from.outShape) return 0;
  const { shape, stride } = parseFlow(e.label);
  assert.equal(shape, shapeText(from.outShape), `${what}: the shape leaving ${from.id}`);
  if (e.shape !== undefined && e.shape !== null) assert.equal(shapeText(e.shape), shape, what);
  const pooled = from.kind === 'head';
  if (e.kind === 'flow' && !pooled) assert.equal(stride, strideOf(m, from.outShape), `${what}: ${from.outShape.join('×')} of a ${m.totals.input.slice(2).join('×')} input`);
  if (e.kind === 'emit') assert.equal(stride, null, `${what}: emit labels give the shape only`);
  if (pooled) assert.equal(stride, null, `${what}: the head pools: no stride`);
  if (e.stride !== undefined && !pooled) assert.equal(e.stride, strideOf(m, from.outShape), `${what}: the edge's stride`);
  return 1;
}

describe('graph edge labels: every stride against input size / spatial size', () => {
  it('the fusion example with stage 3 expanded: its blocks read /16, by hand (224 / 14)', () => {
    const m = graphOf('mixvargenet_fusion.py');
    const lay = layoutGraph(m, { expanded: new Set(['s3']) });
    const label = (from: string, to: string) => lay.edges.find((e) => e.from === from && e.to === to)?.label;
    // 224 / 28 = 8 into stage 3; its head halves 28 → 14: 224 / 14 = 16 from there on; 14 → 7 in stage 4: /32.
    assert.equal(label('s2', 's3.b0'), '64×28×28 · /8');
    assert.equal(label('s3.b0', 's3.b1'), '96×14×14 · /16');
    assert.equal(label('s3.b1', 's3.b2'), '192×14×14 · /16');
    assert.equal(label('s3.b4', 's4'), '96×14×14 · /16');
    assert.equal(label('s4', 'head'), '160×7×7 · /32');
    // Not the stride that entered the stage (the old label).
    assert.ok(!lay.edges.some((e) => e.label === '96×14×14 · /8'), 'no 14×14 map labelled /8');
  });

  it('the seed with every stage expanded: 112 → /2, 56 → /4, 28 → /8, 14 → /16, 7 → /32 (224 input)', () => {
    const m = graphOf('mixvargenet_imagenet.py');
    const lay = layoutGraph(m, { expanded: new Set(expandAllIds(m)) });
    const byShape = new Map<string, Set<string>>();
    for (const e of lay.edges) {
      const { shape, stride } = parseFlow(e.label);
      const hw = shape.split('×').slice(1).join('×');
      const set = byShape.get(hw) ?? new Set();
      set.add(String(stride));
      byShape.set(hw, set);
    }
    assert.deepEqual(
      Object.fromEntries([...byShape].map(([k, v]) => [k, [...v].sort()])),
      { '224×224': ['1'], '112×112': ['2'], '56×56': ['4'], '28×28': ['8'], '14×14': ['16'], '7×7': ['32'], '1×1': ['null'] },
    );
  });

  it('the webview fixtures (test/fixtures/graph, drawn by the harness and the label tests) carry the same edge labels', () => {
    for (const [fixture, file] of [['seed', 'mixvargenet_imagenet.py'], ['fusion', 'mixvargenet_fusion.py']]) {
      const saved = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'graph', `${fixture}.model.json`), 'utf8')) as GraphModel;
      assert.deepEqual(saved.edges.map((e) => `${e.id} ${e.label}`), graphOf(file).edges.map((e) => `${e.id} ${e.label}`), fixture);
    }
  });

  for (const file of EXAMPLES) {
    it(`${file}: every model edge, and every drawn edge collapsed, expanded and with the convs shown`, () => {
      const m = graphOf(file);
      const byId = new Map(m.nodes.map((n) => [n.id, n] as const));
      let checked = 0;
      for (const e of m.edges) checked += checkEdge(m, byId, e);
      // The nodes' own output strides (tooltips: "out 96×14×14 · stride /16").
      for (const n of m.nodes) if (n.outShape && n.outStride !== null && n.kind !== 'head' && n.kind !== 'output') assert.equal(n.outStride, strideOf(m, n.outShape), `${n.id} out stride`);
      // What is drawn: collapsed, every stage expanded, every stage and block/downsample expanded (conv rows).
      const views: Set<string>[] = [new Set(), new Set(expandAllIds(m)), new Set(expandAllIds(m, 'convs'))];
      for (const expanded of views) {
        const lay = layoutGraph(m, { expanded });
        for (const e of lay.edges as LaidEdge[]) checked += checkEdge(m, byId, e);
      }
      // Conv rows (an expanded block, stem, head or downsample): the stride each row shows is its input size over its
      // output size; conv1 and the shortcut see the block's input, conv2 and the fusion convs the block's output size.
      for (const n of m.nodes) {
        const into = m.edges.find((e) => e.to === n.id && e.kind !== 'fusion');
        if (!into?.shape) continue;
        for (const c of n.convs) {
          if (!c.outShape || c.problem) continue;
          const inH: number = c.name === 'conv1' || c.name === 'shortcut' || c.name === 'stem' || c.name === 'downsample' ? into.shape[1] : n.outShape![1];
          if (c.name === 'fc' || c.name === 'cls') continue;
          assert.equal(c.stride, inH / c.outShape[1], `${n.id} ${c.name}: s${c.stride} for ${inH} → ${c.outShape[1]}`);
        }
      }
      if (m.empty) assert.equal(checked, 0);
      else assert.ok(checked >= m.edges.length, `${file}: ${checked} labels checked`);
    });
  }
});
