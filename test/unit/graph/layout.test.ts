import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../extension/core/analyze';
import { toSnapshot } from '../../../extension/core/ide/snapshot';
import { buildGraph } from '../../../extension/core/graph/model';
import { expandAllIds, layoutGraph } from '../../../extension/core/graph/layout';
import { syntheticGraph } from '../../../extension/core/graph/synthetic';
import type { Layout, LaidNode, GraphModel } from '../../../extension/core/graph/types';
import { ROOT, SEED } from '../ide/helpers';

const graphOf = (text: string): GraphModel => buildGraph(toSnapshot(analyze(text), { uri: 'file:///w/c.py', version: 1 }));
const FUSION = readFileSync(join(ROOT, 'examples', 'configs', 'mixvargenet_fusion.py'), 'utf8');

function overlaps(a: LaidNode, b: LaidNode): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}
const inside = (c: LaidNode, n: LaidNode) => n.x >= c.x && n.y >= c.y && n.x + n.w <= c.x + c.w && n.y + n.h <= c.y + c.h;

/** Nodes that are not containers do not overlap one another; children lie inside their frame. */
function assertReadable(model: GraphModel, lay: Layout): void {
  const boxes = lay.nodes.filter((n) => !n.container);
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) assert.ok(!overlaps(boxes[i], boxes[j]), `${boxes[i].id} overlaps ${boxes[j].id}`);
  const byId = new Map(lay.nodes.map((n) => [n.id, n]));
  for (const n of lay.nodes) {
    const parent = model.nodes.find((m) => m.id === n.id)!.parent;
    if (parent) assert.ok(inside(byId.get(parent)!, n), `${n.id} inside ${parent}`);
    assert.ok(n.x >= 0 && n.y >= 0 && n.x + n.w <= lay.width && n.y + n.h <= lay.height, `${n.id} within the canvas`);
  }
  for (const e of lay.edges) for (const [x, y] of e.points) assert.ok(x >= 0 && y >= 0 && x <= lay.width && y <= lay.height, `${e.id} within the canvas`);
}

describe('graph layout', () => {
  it('collapsed seed: the spine top to bottom, one flow edge between neighbours', () => {
    const g = graphOf(SEED);
    const lay = layoutGraph(g, { expanded: new Set() });
    assert.deepEqual(lay.nodes.map((n) => n.id), ['input', 'stem', 's0', 's1', 's2', 's3', 's4', 'head', 'output']);
    for (let i = 1; i < lay.nodes.length; i++) assert.ok(lay.nodes[i].y > lay.nodes[i - 1].y + lay.nodes[i - 1].h, `${lay.nodes[i].id} below`);
    assert.deepEqual(
      lay.edges.map((e) => `${e.from}->${e.to}`),
      ['input->stem', 'stem->s0', 's0->s1', 's1->s2', 's2->s3', 's3->s4', 's4->head', 'head->output'],
    );
    // s2 → s3 stands for the flow edge of stage 2's last block into stage 3's head
    assert.deepEqual(lay.edges.find((e) => e.from === 's2' && e.to === 's3')!.edges, ['flow:s2.b2->s3.b0']);
    assertReadable(g, lay);
  });

  it('expanding a stage shows its blocks inside its frame and re-routes the edges to them', () => {
    const g = graphOf(SEED);
    const lay = layoutGraph(g, { expanded: new Set(['s3']) });
    const frame = lay.nodes.find((n) => n.id === 's3')!;
    assert.equal(frame.container, true);
    const blocks = lay.nodes.filter((n) => n.id.startsWith('s3.b'));
    assert.equal(blocks.length, 7);
    const ids = lay.edges.map((e) => `${e.from}->${e.to}`);
    assert.ok(ids.includes('s2->s3.b0') && ids.includes('s3.b0->s3.b1') && ids.includes('s3.b6->s4'));
    assert.ok(!ids.includes('s2->s3'));
    assertReadable(g, lay);
  });

  it('expanding a block shows its conv rows and makes it taller', () => {
    const g = graphOf(SEED);
    const closed = layoutGraph(g, { expanded: new Set(['s1']) }).nodes.find((n) => n.id === 's1.b0')!;
    const open = layoutGraph(g, { expanded: new Set(['s1', 's1.b0']) }).nodes.find((n) => n.id === 's1.b0')!;
    assert.deepEqual(closed.rows, []);
    assert.deepEqual(open.rows.map((r) => r.name), ['conv1', 'conv2', 'shortcut']);
    assert.ok(open.h > closed.h);
    // a block of a collapsed stage is not drawn even when it is in the expanded set
    assert.equal(layoutGraph(g, { expanded: new Set(['s1.b0']) }).nodes.find((n) => n.id === 's1.b0'), undefined);
  });

  it('fusion example: downsample chains beside their stage; fusion edges lifted to the stage they feed, in separate lanes', () => {
    const g = graphOf(FUSION);
    const lay = layoutGraph(g, { expanded: new Set() });
    const fus = lay.edges.filter((e) => e.kind === 'fusion');
    assert.deepEqual(fus.map((e) => `${e.from}->${e.to}`).sort(), ['s1.d0->s2', 's1.d1->s3', 's1.d2->s4', 's2.d0->s3', 's2.d1->s4', 's3.d0->s4']);
    const s1 = lay.nodes.find((n) => n.id === 's1')!;
    const d = ['s1.d0', 's1.d1', 's1.d2'].map((id) => lay.nodes.find((n) => n.id === id)!);
    assert.ok(d[0].x > s1.x + s1.w && d[1].x > d[0].x + d[0].w && d[2].x > d[1].x + d[1].w, 'the chain runs right of stage 1');
    // Fusion edges whose vertical spans overlap never share a lane.
    const lanes = fus.map((e) => ({ x: e.points[3][0], y0: e.points[2][1], y1: e.points[3][1], id: e.id }));
    for (let i = 0; i < lanes.length; i++)
      for (let j = i + 1; j < lanes.length; j++) {
        const a = lanes[i];
        const b = lanes[j];
        if (a.y0 < b.y1 && b.y0 < a.y1) assert.notEqual(a.x, b.x, `${a.id} and ${b.id} share a lane`);
      }
    // each fusion edge ends on the right edge of the node it feeds
    for (const e of fus) {
      const to = lay.nodes.find((n) => n.id === e.to)!;
      const end = e.points[e.points.length - 1];
      assert.equal(end[0], to.x + to.w);
      assert.ok(end[1] >= to.y && end[1] <= to.y + to.h);
    }
    assertReadable(g, lay);
  });

  it('fusion example expanded: fusion edges end on the head blocks; all readable', () => {
    const g = graphOf(FUSION);
    const lay = layoutGraph(g, { expanded: new Set(expandAllIds(g, 'convs')) });
    const fus = lay.edges.filter((e) => e.kind === 'fusion');
    assert.deepEqual([...new Set(fus.map((e) => e.to))].sort(), ['s2.b0', 's3.b0', 's4.b0']);
    assertReadable(g, lay);
  });

  it('is deterministic', () => {
    const g = graphOf(FUSION);
    const ex = new Set(['s2', 's3.b0']);
    assert.deepEqual(layoutGraph(g, { expanded: ex }), layoutGraph(JSON.parse(JSON.stringify(g)), { expanded: new Set(['s3.b0', 's2']) }));
  });

  it('a synthetic 1,000-node graph lays out whole and readable', () => {
    const g = syntheticGraph(1000);
    assert.ok(g.nodes.length >= 950 && g.nodes.length <= 1050, `${g.nodes.length} nodes`);
    const lay = layoutGraph(g, { expanded: new Set(expandAllIds(g)) });
    assert.equal(lay.nodes.length, g.nodes.length);
    assertReadable(g, lay);
  });
});
