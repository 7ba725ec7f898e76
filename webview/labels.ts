/**
 * Where the edge labels go (pure: no DOM, so the unit tests run it on real layouts).
 */
import type { LaidEdge, Layout } from '../extension/core/graph/types';
import { FONT } from './graphStyle';

/** Edge labels: monospace at FONT.edge (graphStyle.ts): the width of a character and a line's height. */
const CHAR_W = FONT.edge * 0.61;
const LINE_H = Math.ceil(FONT.edge * 1.2);

/** Height of an expanded stage's header band (its frame's title), drawn by render.ts. */
export const FRAME_HEAD = 37;

/**
 * Where each edge label goes (absent: not drawn, its text stays in the edge's tooltip):
 * - a label that falls in an expanded stage's header band moves up into the gap above the frame;
 * - an emit label that does not fit between its two nodes is dropped (the downsample shows its shape);
 * - labels that would overprint each other (several fusion inputs entering one node) are spread apart.
 */
export function labelPositions(layout: Pick<Layout, 'nodes' | 'edges'>): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  const frames = layout.nodes.filter((n) => n.container);
  const kinds = new Map(layout.nodes.map((n) => [n.id, n.kind] as const));
  // Fusion inputs entering one node closer than a text line: their labels go to where they leave their
  // downsample (under it, right of the drop), where nothing else is written.
  const crowded = new Set<string>();
  const byTarget = new Map<string, LaidEdge[]>();
  for (const e of layout.edges) {
    if (e.kind !== 'fusion' || !e.label) continue;
    const l = byTarget.get(e.to);
    if (l) l.push(e);
    else byTarget.set(e.to, [e]);
  }
  for (const list of byTarget.values()) {
    if (list.length < 2) continue;
    const ys = list.map((e) => e.labelAt[1]).sort((a, b) => a - b);
    if (ys.some((y, i) => i > 0 && y - ys[i - 1] < LINE_H + 1)) for (const e of list) if (kinds.get(e.from) === 'downsample' && e.points.length >= 3) crowded.add(e.id);
  }
  for (const e of layout.edges) {
    if (!e.label) continue;
    let [x, y] = e.labelAt;
    if (e.kind === 'emit') {
      const a = e.points[0];
      const b = e.points[e.points.length - 1];
      if (!a || !b || e.label.length * CHAR_W > Math.abs(b[0] - a[0]) - 10) continue;
    }
    if (crowded.has(e.id)) {
      const [sx, sy] = e.points[1];
      x = sx + 6;
      y = sy - 3;
    }
    if (e.kind === 'flow') {
      const y0 = e.points[0]?.[1] ?? y;
      for (const f of frames) {
        if (x >= f.x && x <= f.x + f.w && y >= f.y - 3 && y <= f.y + FRAME_HEAD + 10 && y0 < f.y) {
          y = (y0 + f.y) / 2 + 4;
          break;
        }
      }
    }
    out.set(e.id, [x, y]);
  }
  // Spread labels sharing a column that would overlap (one text line apart).
  const groups = new Map<string, string[]>();
  for (const e of layout.edges) {
    const p = out.get(e.id);
    if (!p) continue;
    const key = `${e.kind === 'emit' ? 'm' : 's'}:${Math.round(p[0])}`;
    const g = groups.get(key);
    if (g) g.push(e.id);
    else groups.set(key, [e.id]);
  }
  const LINE = LINE_H;
  for (const ids of groups.values()) {
    if (ids.length < 2) continue;
    ids.sort((a, b) => (out.get(a) as [number, number])[1] - (out.get(b) as [number, number])[1]);
    let prev = -Infinity;
    for (const id of ids) {
      const p = out.get(id) as [number, number];
      const y = Math.max(p[1], prev + LINE);
      if (y !== p[1]) out.set(id, [p[0], y]);
      prev = y;
    }
  }
  return out;
}
