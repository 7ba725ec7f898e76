/**
 * Deterministic layout of the graph preview (issue 4): a vertical spine (input, stem, stages, head,
 * output), each expanded stage a frame holding its blocks, each stage's downsample chain to its right,
 * and fusion edges routed in lanes right of the chains down to the head block they feed.
 *
 * Pure and fast (linear in the nodes, plus lane assignment over the fusion edges): the same model
 * and expansion always give the same picture, and a 1,000-node model lays out in a few milliseconds.
 * Edges are given at the finest level (block → block); an edge whose end is inside a collapsed stage is
 * lifted to the stage, merged with its twins, and dropped when both ends fall inside the same stage.
 */
import type { ConvRow, GraphEdge, GraphModel, GraphNode, LaidEdge, LaidNode, Layout } from './types';

export interface LayoutOptions {
  /** Expanded stage ids (show their blocks) and block/stem/head/downsample ids (show their convs). */
  expanded: ReadonlySet<string>;
}

export const LAYOUT = {
  margin: 24,
  // Sized for the webview's fonts (webview/graphStyle.ts: 13.5 px labels, 11–11.5 px text) without cutting the usual lines.
  spineW: 290,
  blockW: 262,
  framePadX: 14,
  framePadTop: 44,
  framePadBottom: 12,
  blockGap: 26,
  gapY: 34,
  headerH: 48,
  stageH: 64,
  smallH: 42,
  rowH: 18,
  rowsPad: 8,
  dsW: 132,
  dsH: 46,
  dsGap: 26,
  sideGap: 64,
  laneGap: 16,
  laneLabelRoom: 12,
} as const;

/** Kinds whose convs can be shown as rows inside the node. */
const ROWS_KINDS = new Set(['block', 'stem', 'head', 'downsample']);

export function isExpandable(n: GraphNode): boolean {
  return n.kind === 'stage' ? true : ROWS_KINDS.has(n.kind) && n.convs.length > 0;
}

function baseHeight(n: GraphNode): number {
  switch (n.kind) {
    case 'input':
    case 'output':
      return LAYOUT.smallH;
    case 'downsample':
      return LAYOUT.dsH;
    case 'stage':
      return LAYOUT.stageH;
    default:
      return LAYOUT.headerH + 8;
  }
}

function rowsHeight(rows: ConvRow[]): number {
  return rows.length ? rows.length * LAYOUT.rowH + LAYOUT.rowsPad : 0;
}

export function layoutGraph(model: GraphModel, opts: LayoutOptions): Layout {
  const L = LAYOUT;
  const expanded = opts.expanded;
  const byId = new Map(model.nodes.map((n) => [n.id, n] as const));
  const children = new Map<string, GraphNode[]>();
  for (const n of model.nodes) {
    if (n.parent) {
      const list = children.get(n.parent);
      if (list) list.push(n);
      else children.set(n.parent, [n]);
    }
  }
  const isOpen = (n: GraphNode) => expanded.has(n.id) && isExpandable(n) && (n.kind !== 'stage' || (children.get(n.id)?.length ?? 0) > 0);

  const laid = new Map<string, LaidNode>();
  const out: LaidNode[] = [];
  const place = (n: GraphNode, x: number, y: number, w: number, h: number, depth: number, container: boolean, rows: ConvRow[]) => {
    const ln: LaidNode = { id: n.id, kind: n.kind, x, y, w, h, depth, container, expandable: isExpandable(n), expanded: isOpen(n), rows };
    laid.set(n.id, ln);
    out.push(ln);
    return ln;
  };

  // ---- the spine
  const spineX = L.margin;
  const spine = model.nodes.filter((n) => n.parent === null && n.kind !== 'downsample');
  let y = L.margin;
  for (const n of spine) {
    if (n.kind === 'stage' && isOpen(n)) {
      const frame = place(n, spineX, y, L.spineW, 0, 0, true, []);
      let by = y + L.framePadTop;
      const bx = spineX + (L.spineW - L.blockW) / 2;
      const kids = children.get(n.id) ?? [];
      kids.forEach((b, i) => {
        const rows = isOpen(b) ? b.convs : [];
        const h = baseHeight(b) + rowsHeight(rows);
        place(b, bx, by, L.blockW, h, 1, false, rows);
        by += h + (i < kids.length - 1 ? L.blockGap : 0);
      });
      frame.h = by + L.framePadBottom - y;
      y += frame.h + L.gapY;
    } else {
      const rows = n.kind !== 'stage' && isOpen(n) ? n.convs : [];
      const w = n.kind === 'input' || n.kind === 'output' ? L.spineW - 60 : L.spineW;
      const h = baseHeight(n) + rowsHeight(rows);
      place(n, spineX + (L.spineW - w) / 2, y, w, h, 0, false, rows);
      y += h + L.gapY;
    }
  }
  let height = y - L.gapY + L.margin;

  // ---- lift the edges to what is visible
  const visible = (id: string): string | null => {
    let n = byId.get(id);
    if (!n) return null;
    let cur = id;
    while (n.parent) {
      const p = byId.get(n.parent);
      if (!p) return null;
      if (!isOpen(p)) cur = p.id;
      n = p;
    }
    return cur;
  };
  interface Lifted {
    kind: GraphEdge['kind'];
    from: string;
    to: string;
    edges: GraphEdge[];
  }
  const lifted = new Map<string, Lifted>();
  for (const e of model.edges) {
    const from = visible(e.from);
    const to = visible(e.to);
    if (!from || !to || from === to) continue;
    const key = `${e.kind}:${from}->${to}`;
    const l = lifted.get(key);
    if (l) l.edges.push(e);
    else lifted.set(key, { kind: e.kind, from, to, edges: [e] });
  }

  // ---- downsample chains right of their stage, level with the node that emits them
  const sideX = spineX + L.spineW + L.sideGap;
  let maxChain = 0;
  const chains = new Map<number, GraphNode[]>();
  for (const n of model.nodes) {
    if (n.kind !== 'downsample' || n.stage === null) continue;
    const list = chains.get(n.stage);
    if (list) list.push(n);
    else chains.set(n.stage, [n]);
  }
  for (const [, list] of [...chains.entries()].sort((a, b) => a[0] - b[0])) {
    const first = list[0];
    const emit = [...lifted.values()].find((l) => l.kind === 'emit' && l.to === first.id);
    const src = emit ? laid.get(emit.from) : undefined;
    const stage = laid.get(`s${first.stage}`);
    const anchor = src ?? stage;
    if (!anchor) continue;
    const midY = anchor.container ? anchor.y + anchor.h - L.framePadBottom - L.dsH / 2 : anchor.y + anchor.h - L.dsH / 2 + 6;
    list.forEach((d, k) => {
      const rows = isOpen(d) ? d.convs : [];
      const h = L.dsH + rowsHeight(rows);
      place(d, sideX + k * (L.dsW + L.dsGap), midY - L.dsH / 2, L.dsW, h, 0, false, rows);
      height = Math.max(height, midY - L.dsH / 2 + h + L.margin);
    });
    maxChain = Math.max(maxChain, list.length);
  }
  const sideRight = maxChain ? sideX + maxChain * (L.dsW + L.dsGap) - L.dsGap : spineX + L.spineW;

  // ---- edges
  const edgesOut: LaidEdge[] = [];
  const label = (l: Lifted): { text: string; problem?: string } => {
    const problem = l.edges.find((e) => e.problem)?.problem;
    return { text: l.edges.length === 1 ? l.edges[0].label : l.edges[l.edges.length - 1].label, ...(problem ? { problem } : {}) };
  };
  const fusions: { l: Lifted; src: LaidNode; dst: LaidNode; y0: number; y1: number }[] = [];
  for (const l of lifted.values()) {
    const a = laid.get(l.from);
    const b = laid.get(l.to);
    if (!a || !b) continue;
    const { text, problem } = label(l);
    const base = { id: `${l.kind}:${l.from}->${l.to}`, kind: l.kind, from: l.from, to: l.to, edges: l.edges.map((e) => e.id), label: text, ...(problem ? { problem } : {}) };
    if (l.kind === 'flow') {
      const x = spineX + L.spineW / 2;
      const y0 = a.y + a.h;
      const y1 = b.y;
      edgesOut.push({ ...base, points: [[x, y0], [x, y1]], labelAt: [x + 8, (y0 + y1) / 2 + 4] });
    } else if (l.kind === 'emit') {
      const y1 = b.y + L.dsH / 2;
      const x0 = a.x + a.w;
      edgesOut.push({ ...base, points: [[x0, y1], [b.x, y1]], labelAt: [(x0 + b.x) / 2, y1 - 6] });
    } else {
      const y0 = a.y + a.h;
      const y1 = b.y + Math.min(14, b.h / 2);
      fusions.push({ l, src: a, dst: b, y0, y1 });
    }
  }

  // Fusion lanes: interval colouring by start, deterministic (sorted by source then target).
  fusions.sort((p, q) => p.y0 - q.y0 || p.y1 - q.y1 || p.l.from.localeCompare(q.l.from) || p.l.to.localeCompare(q.l.to));
  const laneEnd: number[] = [];
  const entries = new Map<string, number>();
  let lanes = 0;
  for (const f of fusions) {
    let lane = laneEnd.findIndex((end) => end < f.y0 - 4);
    if (lane < 0) {
      lane = laneEnd.length;
      laneEnd.push(0);
    }
    laneEnd[lane] = f.y1;
    lanes = Math.max(lanes, lane + 1);
    const laneX = sideRight + L.sideGap / 2 + lane * L.laneGap;
    // Several fusion inputs into one node enter it at different heights.
    const k = entries.get(f.dst.id) ?? 0;
    entries.set(f.dst.id, k + 1);
    const entryY = f.y1 + k * 8;
    const sx = f.src.x + f.src.w / 2;
    // Leave a chain lower the further left the map is, so the horizontal runs of one chain never overlap: the
    // leftmost map passes under the others' corners, each to a lane further left than the one above it.
    const srcNode = byId.get(f.l.from);
    const chain = srcNode?.stage !== null && srcNode?.stage !== undefined ? (chains.get(srcNode.stage) ?? []) : [];
    const at = Math.max(0, chain.findIndex((d) => d.id === f.l.from));
    const runY = f.y0 + 10 + (chain.length - 1 - at) * 7;
    const { text, problem } = label(f.l);
    edgesOut.push({
      id: `fusion:${f.l.from}->${f.l.to}`,
      kind: 'fusion',
      from: f.l.from,
      to: f.l.to,
      edges: f.l.edges.map((e) => e.id),
      points: [
        [sx, f.y0],
        [sx, runY],
        [laneX, runY],
        [laneX, entryY],
        [f.dst.x + f.dst.w, entryY],
      ],
      label: text,
      labelAt: [f.dst.x + f.dst.w + 8, entryY - 5],
      ...(problem ? { problem } : {}),
    });
  }

  const width = (lanes ? sideRight + L.sideGap / 2 + lanes * L.laneGap : sideRight) + L.margin;
  // Room for the fusion labels right of the spine and for flow labels.
  const minW = spineX + L.spineW + 140 + L.margin;
  return { nodes: out, edges: edgesOut, width: Math.max(width, minW), height };
}

/** Ids to expand for "expand all": every stage and block (convs of every block are shown). */
export function expandAllIds(model: GraphModel, depth: 'stages' | 'convs' = 'stages'): string[] {
  return model.nodes.filter((n) => n.kind === 'stage' || (depth === 'convs' && isExpandable(n))).map((n) => n.id);
}
