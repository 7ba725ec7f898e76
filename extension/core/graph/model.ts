/**
 * The graph preview's model (issue 4), built from an analysis snapshot: the nodes the panel draws
 * (input, stem, stages with their blocks, the downsample chains a stage emits for fusion, head,
 * output), the edges between them at the finest level (block to block; the layout lifts them to a
 * collapsed stage), the per-stage cost table, totals and the findings on the nodes they belong to.
 */
import type { Conv, FusionMap, Shape } from '../model';
import type { AnalysisSnapshot, SnapshotBlock, SnapshotFinding, SnapshotStage, SRange } from '../ide/snapshot';
import { compact } from '../format';
import { opsCell } from '../ide/summary';
import type { ConvRow, DiagBadge, GraphEdge, GraphModel, GraphNode, GraphRange, MeasuredInfo, Shape3, StageRow } from './types';

/** Bytes per activation element: the panel speaks of fp32 activations (the float model). */
export const ACTIVATION_BYTES_PER_ELEMENT = 4;

export interface GraphOptions {
  fileName?: string;
  /** The latest HAT results of the config, already formatted (issue 6). */
  results?: { summary: string; detail: string } | null;
  /** Measured time per stage index (ms), when a measurement of this network exists. */
  measured?: { stages: Map<number, number> | Record<number, number>; description: string; totalMs: number } | null;
}

export const nodeIds = {
  stage: (i: number) => `s${i}`,
  block: (i: number, j: number) => `s${i}.b${j}`,
  downsample: (i: number, k: number) => `s${i}.d${k}`,
};

function gRange(r: SRange | undefined | null): GraphRange | null {
  if (!r) return null;
  return { start: r.start, end: r.end, line: r.from.line, character: r.from.character, endLine: r.to.line, endCharacter: r.to.character };
}

function shape(s: Shape | null | undefined): Shape3 | null {
  return s ? [s[0], s[1], s[2]] : null;
}

function elems(s: Shape | null | undefined): number | null {
  return s ? s[0] * s[1] * s[2] : null;
}

function convRow(name: string, c: Conv): ConvRow {
  return {
    id: c.id,
    name,
    cin: c.cin,
    cout: c.cout,
    k: c.k,
    stride: c.stride,
    groups: c.groups,
    outShape: shape(c.outShape),
    params: c.params,
    macs: c.macs,
    ...(c.problem ? { problem: c.problem } : {}),
  };
}

function sumOrNull(xs: (number | null)[]): number | null {
  let t = 0;
  for (const x of xs) {
    if (x === null) return null;
    t += x;
  }
  return t;
}

function activationOf(rows: ConvRow[]): number | null {
  const e = sumOrNull(rows.map((r) => elems(r.outShape)));
  return e === null ? null : e * ACTIVATION_BYTES_PER_ELEMENT;
}

function emptyDiag(): DiagBadge {
  return { error: 0, warning: 0, info: 0, hint: 0, messages: [] };
}

function addDiag(d: DiagBadge, f: SnapshotFinding): void {
  d[f.severity]++;
  if (d.messages.length < 6) d.messages.push(`${f.code}: ${f.message}`);
}

function blockRows(b: SnapshotBlock): ConvRow[] {
  const rows = [convRow('conv1', b.conv1), convRow('conv2', b.conv2)];
  if (b.shortcut) rows.push(convRow('shortcut', b.shortcut));
  for (const f of b.fusion) if (f.conv) rows.push(convRow(`fusion s${f.stride ?? '?'}`, f.conv));
  return rows;
}

function shapeText(s: Shape3 | null): string {
  return s ? `${s[0]}×${s[1]}×${s[2]}` : '?';
}

function flowLabel(s: Shape3 | null, stride: number | null): string {
  return `${shapeText(s)}${stride !== null ? ` · /${stride}` : ''}`;
}

function measuredOf(opts: GraphOptions, stage: number): number | null {
  const m = opts.measured?.stages;
  if (!m) return null;
  const v = m instanceof Map ? m.get(stage) : m[stage];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The nodes and edges of the graph under construction. */
interface GraphParts {
  nodes: GraphNode[];
  edges: GraphEdge[];
  byId: Map<string, GraphNode>;
}

/** The end of the spine so far: the node the next flow edge leaves, with the shape and stride it carries. */
interface Spine {
  prev: string;
  shape: Shape3 | null;
  stride: number | null;
}

function addNode(g: GraphParts, n: Omit<GraphNode, 'search' | 'diag' | 'timeMs'> & { timeMs?: number | null }): GraphNode {
  const node: GraphNode = {
    timeMs: null,
    ...n,
    diag: emptyDiag(),
    search: [n.id, n.label, n.op ?? '', n.sub].join(' ').toLowerCase(),
  };
  g.nodes.push(node);
  g.byId.set(node.id, node);
  return node;
}

function addEdge(g: GraphParts, e: Omit<GraphEdge, 'id'>): void {
  g.edges.push({ id: `${e.kind}:${e.from}->${e.to}`, ...e });
}

/** A flow edge from the end of the spine to `to`, carrying `shape` (by default what the spine carries). */
function addFlow(g: GraphParts, spine: Spine, to: string, channels: number | null, shape: Shape3 | null = spine.shape): void {
  addEdge(g, { kind: 'flow', from: spine.prev, to, label: flowLabel(shape, spine.stride), shape, stride: spine.stride, channels });
}

/** The input node; the spine starts there. */
function addInput(g: GraphParts, snap: AnalysisSnapshot): Spine {
  const [n, c, h, w] = snap.input;
  addNode(g, { id: 'input', kind: 'input', parent: null, stage: null, label: 'input', sub: `${n}×${c}×${h}×${w} (${snap.inputSource.replace('_', ' ')})`, outShape: [c, h, w], outStride: 1, params: 0, macs: 0, activationBytes: 0, convs: [], range: null });
  return { prev: 'input', shape: [c, h, w], stride: 1 };
}

function addStem(g: GraphParts, stem: Conv, channels: number, range: GraphRange | null, spine: Spine): void {
  const rows = [convRow('stem', stem)];
  addNode(g, {
    id: 'stem',
    kind: 'stem',
    parent: null,
    stage: null,
    label: 'stem',
    sub: `3×3 s2 · ${stem.cin}→${stem.cout}`,
    outShape: shape(stem.outShape),
    outStride: 2,
    params: stem.params,
    macs: stem.macs,
    activationBytes: activationOf(rows),
    convs: rows,
    range,
    ...(stem.problem ? { problem: stem.problem } : {}),
  });
  addFlow(g, spine, 'stem', channels);
  spine.prev = 'stem';
  spine.shape = shape(stem.outShape);
  spine.stride = 2;
}

function stageSub(st: SnapshotStage): string {
  return `${st.inChannels ?? '?'}→${st.outChannels ?? '?'} · s${st.stride ?? '?'} · ${st.blocks.length} block${st.blocks.length === 1 ? '' : 's'}${st.fusionStrides.length ? ` · ${st.fusionStrides.length} fusion in` : ''}${st.downsamples.length ? ` · ${st.downsamples.length} out` : ''}`;
}

function blockSub(b: SnapshotBlock): string {
  return `${b.role === 'head' ? 'head' : `#${b.index}`} · ${b.cin}→${b.cout}${b.stride !== 1 ? ` · s${b.stride}` : ''}${b.fusion.length ? ` · +${b.fusion.length} fusion` : ''}`;
}

/** The stage's blocks, children of its node, on the spine; returns their activation bytes and their problems. */
function addStageBlocks(g: GraphParts, st: SnapshotStage, stageRange: GraphRange | null, spine: Spine): { acts: (number | null)[]; problems: string[] } {
  const sid = nodeIds.stage(st.index);
  const acts: (number | null)[] = [];
  const problems: string[] = [];
  for (const b of st.blocks) {
    const bid = nodeIds.block(st.index, b.index);
    const rows = blockRows(b);
    const act = activationOf(rows);
    acts.push(act);
    const fusionProblems = b.fusion.filter((f) => f.problem).map((f) => f.problem as string);
    const convProblems = rows.filter((r) => r.problem).map((r) => `${r.name}: ${r.problem}`);
    const problem = [...convProblems, ...fusionProblems].join('; ');
    if (problem) problems.push(problem);
    addNode(g, {
      id: bid,
      kind: 'block',
      parent: sid,
      stage: st.index,
      label: b.op,
      sub: blockSub(b),
      op: b.op,
      outShape: shape(b.outShape),
      // Every block of a stage has the stage's output stride.
      outStride: st.outputStride,
      params: b.params,
      macs: b.macs,
      activationBytes: act,
      convs: rows,
      range: gRange(b.opRange) ?? stageRange,
      ...(problem ? { problem } : {}),
    });
    const inShape = shape(b.inShape);
    addFlow(g, spine, bid, b.cin, inShape ?? spine.shape);
    spine.prev = bid;
    spine.shape = shape(b.outShape);
    // What leaves a block is at the stage's output stride: the head block carries the stage's stride, the stack
    // blocks keep it (the edges between the blocks of an expanded stage read /16 for 14×14 of a 224 input, not
    // the stride that entered the stage).
    spine.stride = st.outputStride;
  }
  spine.stride = st.outputStride;
  return { acts, problems };
}

/** The downsample chain the stage emits (extra_downsample_num), beside it. */
function addDownsampleChain(g: GraphParts, st: SnapshotStage, stageRange: GraphRange | null): void {
  let dsFrom = st.blocks.length ? nodeIds.block(st.index, st.blocks[st.blocks.length - 1].index) : nodeIds.stage(st.index);
  let dsShape = shape(st.outShape);
  st.downsamples.forEach((d, k) => {
    const did = nodeIds.downsample(st.index, k);
    const rows = [convRow('downsample', d)];
    const scale = 2 ** (k + 1);
    addNode(g, {
      id: did,
      kind: 'downsample',
      parent: null,
      stage: st.index,
      label: `↓${scale}`,
      sub: `3×3 s2 · ${shapeText(shape(d.outShape))}`,
      outShape: shape(d.outShape),
      outStride: st.outputStride !== null ? st.outputStride * scale : null,
      params: d.params,
      macs: d.macs,
      activationBytes: activationOf(rows),
      convs: rows,
      range: stageRange,
      ...(d.problem ? { problem: d.problem } : {}),
    });
    // The map entering this downsample: the stage's output, then each previous downsample's (twice the stride).
    const inStride = st.outputStride !== null ? st.outputStride * 2 ** k : null;
    addEdge(g, { kind: 'emit', from: dsFrom, to: did, label: shapeText(dsShape), shape: dsShape, stride: inStride, channels: d.cin });
    dsFrom = did;
    dsShape = shape(d.outShape);
  });
}

/** A stage node with its blocks (on the spine) and the downsamples it emits; returns its cost-table row. */
function addStage(g: GraphParts, snap: AnalysisSnapshot, st: SnapshotStage, opts: GraphOptions, spine: Spine): StageRow {
  const sid = nodeIds.stage(st.index);
  const stageRange = gRange(st.callRange ?? st.range);
  const stageNode = addNode(g, {
    id: sid,
    kind: 'stage',
    parent: null,
    stage: st.index,
    label: `stage ${st.index}`,
    sub: '',
    op: st.headOp ?? undefined,
    outShape: shape(st.outShape),
    outStride: st.outputStride,
    params: st.params,
    macs: st.macs,
    activationBytes: null,
    timeMs: measuredOf(opts, st.index),
    convs: [],
    range: stageRange,
  });
  // Set after the node is made: a stage's search text is its id, label and op only.
  stageNode.sub = stageSub(st);
  const { acts, problems } = addStageBlocks(g, st, stageRange, spine);
  stageNode.activationBytes = sumOrNull(acts);
  if (st.unknown.length) problems.push(...st.unknown.map((u) => `unknown: ${u}`));
  if (problems.length && !stageNode.problem) {
    const crash = st.blocks.some((b) => b.fusion.some((f) => f.crash) || [b.conv1, b.conv2, b.shortcut].some((x) => x?.problem));
    if (crash) stageNode.problem = problems.join('; ');
  }
  addDownsampleChain(g, st, stageRange);

  const macsTotal = snap.macs ?? snap.knownMacs;
  return {
    id: sid,
    index: st.index,
    label: `stage ${st.index}`,
    ops: opsCell(st),
    blocks: st.blocks.length,
    params: st.params,
    macs: st.macs,
    share: st.macs !== null && macsTotal > 0 ? st.macs / macsTotal : null,
    outShape: shape(st.outShape),
    outStride: st.outputStride,
    timeMs: measuredOf(opts, st.index),
  };
}

/** Fusion edges: from the downsample that actually arrives to the consuming head block. */
function addFusionEdges(g: GraphParts, snap: AnalysisSnapshot): void {
  for (const st of snap.stages) {
    for (const b of st.blocks) {
      for (const f of b.fusion) {
        const m: FusionMap | undefined = f.map;
        if (!m) continue;
        const k = Math.log2(m.scale) - 1;
        const from = nodeIds.downsample(m.fromStage, k);
        const src = g.byId.get(from);
        if (!src) continue;
        g.edges.push({
          id: `fusion:${from}->${nodeIds.block(st.index, b.index)}#${f.index}`,
          kind: 'fusion',
          from,
          to: nodeIds.block(st.index, b.index),
          label: `fusion s${f.stride ?? '?'} · ${m.channels}ch`,
          shape: shape(m.shape),
          // The map arrives at the downsample's stride (the consumer's); the label names the fusion_strides entry.
          stride: src.outStride,
          fusionStride: f.stride,
          channels: m.channels,
          ...(f.problem ? { problem: f.problem } : {}),
        });
      }
    }
  }
}

function addClassifier(g: GraphParts, hd: NonNullable<AnalysisSnapshot['head']>, range: GraphRange | null, spine: Spine): void {
  const rows = [convRow('fc', hd.fc), convRow('cls', hd.cls)];
  addNode(g, {
    id: 'head',
    kind: 'head',
    parent: null,
    stage: null,
    label: 'head',
    sub: `1×1 ${hd.fc.cin}→${hd.fc.cout} · pool ${hd.pool.k} · ${hd.cls.cout} classes`,
    outShape: shape(hd.cls.outShape),
    outStride: null,
    params: hd.params,
    macs: hd.macs,
    activationBytes: activationOf(rows),
    convs: rows,
    range,
    ...(hd.pool.problem ? { problem: hd.pool.problem } : {}),
  });
  addFlow(g, spine, 'head', spine.shape?.[0] ?? null);
  spine.prev = 'head';
  spine.shape = shape(hd.cls.outShape);
  spine.stride = null;
}

function addOutput(g: GraphParts, snap: AnalysisSnapshot, spine: Spine): void {
  addNode(g, {
    id: 'output',
    kind: 'output',
    parent: null,
    stage: null,
    label: 'output',
    sub: snap.includeTop ? `${snap.numClasses ?? '?'} logits` : 'feature maps',
    outShape: spine.shape,
    outStride: spine.stride,
    params: 0,
    macs: 0,
    activationBytes: 0,
    convs: [],
    range: null,
  });
  addFlow(g, spine, 'output', spine.shape?.[0] ?? null);
}

/** Findings on the nodes they belong to: the block whose op string holds them, else their stage; a stage also shows its blocks' findings. */
function attachFindings(g: GraphParts, snap: AnalysisSnapshot): void {
  for (const f of snap.findings) {
    let target: GraphNode | undefined;
    if (f.stage !== undefined) {
      const st = snap.stages.find((s) => s.index === f.stage);
      const b = st?.blocks.find((x) => x.opRange && x.opRange.start <= f.range.start && f.range.end <= x.opRange.end);
      target = b ? g.byId.get(nodeIds.block(f.stage, b.index)) : g.byId.get(nodeIds.stage(f.stage));
    }
    if (target) addDiag(target.diag, f);
  }
  // A stage shows its blocks' findings too (they are hidden when it is collapsed).
  for (const node of g.nodes) {
    if (node.kind !== 'block' || !node.parent) continue;
    const st = g.byId.get(node.parent);
    if (!st) continue;
    st.diag.error += node.diag.error;
    st.diag.warning += node.diag.warning;
    st.diag.info += node.diag.info;
    st.diag.hint += node.diag.hint;
    for (const m of node.diag.messages) if (st.diag.messages.length < 6) st.diag.messages.push(m);
  }
}

function graphNotes(snap: AnalysisSnapshot, empty: boolean): string[] {
  const notes: string[] = [];
  if (!snap.exact && !empty) notes.push('Some values could not be evaluated statically: totals count what could be built.');
  if (!snap.routingKnown && !empty) notes.push('The fusion routing could not be followed (an unknown extra_downsample_num).');
  for (const st of snap.stages) for (const u of st.unknown) notes.push(`stage ${st.index}: ${u}`);
  return notes;
}

export function buildGraph(snap: AnalysisSnapshot, opts: GraphOptions = {}): GraphModel {
  const g: GraphParts = { nodes: [], edges: [], byId: new Map() };
  const fileName = opts.fileName ?? snap.uri.replace(/^.*[\\/]/, '');
  const empty = !snap.relevant || (snap.stages.length === 0 && !snap.stem);
  const netRange = gRange(snap.netConfigRange);

  const spine = addInput(g, snap);
  if (snap.stem) addStem(g, snap.stem, snap.input[1], netRange, spine);
  const stageRows = snap.stages.map((st) => addStage(g, snap, st, opts, spine));
  addFusionEdges(g, snap);
  if (snap.head && snap.includeTop) addClassifier(g, snap.head, netRange, spine);
  if (!empty) addOutput(g, snap, spine);
  attachFindings(g, snap);

  const { nodes, edges } = g;
  const totalAct = sumOrNull(nodes.filter((x) => x.kind !== 'stage').map((x) => x.activationBytes));
  const measured: MeasuredInfo | null = opts.measured ? { description: opts.measured.description, totalMs: opts.measured.totalMs } : null;
  return {
    uri: snap.uri,
    fileName,
    version: snap.version,
    empty,
    nodes,
    edges,
    stages: stageRows,
    totals: {
      params: snap.params,
      macs: snap.macs,
      activationBytes: totalAct,
      knownParams: snap.knownParams,
      knownMacs: snap.knownMacs,
      stages: snap.stages.length,
      blocks: snap.stages.reduce((t, st) => t + st.blocks.length, 0),
      convs: nodes.reduce((t, x) => t + (x.kind === 'stage' ? 0 : x.convs.length), 0),
      input: snap.input,
      inputSource: snap.inputSource,
      target: snap.march ? `${snap.target} (${snap.march})` : snap.target,
      exact: snap.exact,
      timeMs: measured?.totalMs ?? null,
    },
    measured,
    counts: { ...snap.counts },
    notes: graphNotes(snap, empty),
    results: opts.results ?? null,
  };
}

/** The node for a text offset: the innermost node whose source range holds it (block before stage). */
export function nodeAtOffset(model: GraphModel, offset: number): string | null {
  let best: GraphNode | null = null;
  for (const n of model.nodes) {
    if (!n.range || n.kind === 'stem' || n.kind === 'head' || n.kind === 'downsample') continue;
    if (n.range.start <= offset && offset <= n.range.end) {
      if (!best || n.range.end - n.range.start < best.range!.end - best.range!.start) best = n;
    }
  }
  return best?.id ?? null;
}

/** "1.03 G MACs" style for titles. */
export function nodeTitle(n: GraphNode): string {
  const parts = [`${n.label} — ${n.sub}`];
  if (n.outShape) parts.push(`out ${shapeText(n.outShape)}${n.outStride ? ` (/${n.outStride})` : ''}`);
  if (n.params !== null) parts.push(`${compact(n.params)} params`);
  if (n.macs !== null) parts.push(`${compact(n.macs)} MACs`);
  if (n.timeMs !== null) parts.push(`${n.timeMs.toFixed(2)} ms measured`);
  if (n.problem) parts.push(`problem: ${n.problem}`);
  return parts.join('\n');
}
