/**
 * The graph preview's model (issue 4), built from an analysis snapshot: the nodes the panel draws
 * (input, stem, stages with their blocks, the downsample chains a stage emits for fusion, head,
 * output), the edges between them at the finest level (block to block; the layout lifts them to a
 * collapsed stage), the per-stage cost table, totals and the findings on the nodes they belong to.
 */
import type { Conv, FusionMap, Shape } from '../model';
import type { AnalysisSnapshot, SnapshotBlock, SnapshotFinding, SRange } from '../ide/snapshot';
import { compact } from '../ide/format';
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
  return { error: 0, warning: 0, info: 0, messages: [] };
}

function addDiag(d: DiagBadge, f: SnapshotFinding): void {
  if (f.severity === 'hint') return;
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

export function buildGraph(snap: AnalysisSnapshot, opts: GraphOptions = {}): GraphModel {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const byId = new Map<string, GraphNode>();
  const add = (n: Omit<GraphNode, 'search' | 'diag' | 'timeMs'> & { timeMs?: number | null }): GraphNode => {
    const node: GraphNode = {
      timeMs: null,
      ...n,
      diag: emptyDiag(),
      search: [n.id, n.label, n.op ?? '', n.sub].join(' ').toLowerCase(),
    };
    nodes.push(node);
    byId.set(node.id, node);
    return node;
  };
  const edge = (e: Omit<GraphEdge, 'id'>): void => {
    edges.push({ id: `${e.kind}:${e.from}->${e.to}`, ...e });
  };

  const [n, c, h, w] = snap.input;
  const fileName = opts.fileName ?? snap.uri.replace(/^.*[\\/]/, '');
  const empty = !snap.relevant || (snap.stages.length === 0 && !snap.stem);
  const netRange = gRange(snap.netConfigRange);

  add({ id: 'input', kind: 'input', parent: null, stage: null, label: 'input', sub: `${n}×${c}×${h}×${w} (${snap.inputSource.replace('_', ' ')})`, outShape: [c, h, w], outStride: 1, params: 0, macs: 0, activationBytes: 0, convs: [], range: null });
  let prev = 'input';
  let prevShape: Shape3 | null = [c, h, w];
  let prevStride: number | null = 1;
  if (snap.stem) {
    const rows = [convRow('stem', snap.stem)];
    add({
      id: 'stem',
      kind: 'stem',
      parent: null,
      stage: null,
      label: 'stem',
      sub: `3×3 s2 · ${snap.stem.cin}→${snap.stem.cout}`,
      outShape: shape(snap.stem.outShape),
      outStride: 2,
      params: snap.stem.params,
      macs: snap.stem.macs,
      activationBytes: activationOf(rows),
      convs: rows,
      range: netRange,
      ...(snap.stem.problem ? { problem: snap.stem.problem } : {}),
    });
    edge({ kind: 'flow', from: prev, to: 'stem', label: flowLabel(prevShape, prevStride), shape: prevShape, stride: prevStride, channels: c });
    prev = 'stem';
    prevShape = shape(snap.stem.outShape);
    prevStride = 2;
  }

  const stageRows: StageRow[] = [];
  let blockCount = 0;
  for (const st of snap.stages) {
    const sid = nodeIds.stage(st.index);
    const stageRange = gRange(st.callRange ?? st.range);
    const blockActs: (number | null)[] = [];
    const problems: string[] = [];
    const stageNode = add({
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
    for (const b of st.blocks) {
      const bid = nodeIds.block(st.index, b.index);
      const rows = blockRows(b);
      const act = activationOf(rows);
      blockActs.push(act);
      const fusionProblems = b.fusion.filter((f) => f.problem).map((f) => f.problem as string);
      const convProblems = rows.filter((r) => r.problem).map((r) => `${r.name}: ${r.problem}`);
      const problem = [...convProblems, ...fusionProblems].join('; ');
      if (problem) problems.push(problem);
      add({
        id: bid,
        kind: 'block',
        parent: sid,
        stage: st.index,
        label: b.op,
        sub: `${b.role === 'head' ? 'head' : `#${b.index}`} · ${b.cin}→${b.cout}${b.stride !== 1 ? ` · s${b.stride}` : ''}${b.fusion.length ? ` · +${b.fusion.length} fusion` : ''}`,
        op: b.op,
        outShape: shape(b.outShape),
        outStride: null,
        params: b.params,
        macs: b.macs,
        activationBytes: act,
        convs: rows,
        range: gRange(b.opRange) ?? stageRange,
        ...(problem ? { problem } : {}),
      });
      const inShape = shape(b.inShape);
      edge({ kind: 'flow', from: prev, to: bid, label: flowLabel(inShape ?? prevShape, prevStride), shape: inShape ?? prevShape, stride: prevStride, channels: b.cin });
      prev = bid;
      prevShape = shape(b.outShape);
      blockCount++;
    }
    prevStride = st.outputStride;
    // Stride of the stage's output, for the blocks: every block of a stage has its output stride.
    for (const b of st.blocks) {
      const node = byId.get(nodeIds.block(st.index, b.index));
      if (node) node.outStride = st.outputStride;
    }
    stageNode.activationBytes = sumOrNull(blockActs);
    stageNode.sub = `${st.inChannels ?? '?'}→${st.outChannels ?? '?'} · s${st.stride ?? '?'} · ${st.blocks.length} block${st.blocks.length === 1 ? '' : 's'}${st.fusionStrides.length ? ` · ${st.fusionStrides.length} fusion in` : ''}${st.downsamples.length ? ` · ${st.downsamples.length} out` : ''}`;
    if (st.unknown.length) problems.push(...st.unknown.map((u) => `unknown: ${u}`));
    if (problems.length && !stageNode.problem) {
      const crash = st.blocks.some((b) => b.fusion.some((f) => f.crash) || [b.conv1, b.conv2, b.shortcut].some((x) => x?.problem));
      if (crash) stageNode.problem = problems.join('; ');
    }

    // The downsample chain this stage emits (extra_downsample_num), beside it.
    let dsFrom = st.blocks.length ? nodeIds.block(st.index, st.blocks[st.blocks.length - 1].index) : sid;
    let dsShape = shape(st.outShape);
    st.downsamples.forEach((d, k) => {
      const did = nodeIds.downsample(st.index, k);
      const rows = [convRow('downsample', d)];
      const scale = 2 ** (k + 1);
      add({
        id: did,
        kind: 'downsample',
        parent: null,
        stage: st.index,
        label: `↓${scale}`,
        sub: `3×3 s2 · ${d.cout}ch · ${shapeText(shape(d.outShape))}`,
        outShape: shape(d.outShape),
        outStride: st.outputStride !== null ? st.outputStride * scale : null,
        params: d.params,
        macs: d.macs,
        activationBytes: activationOf(rows),
        convs: rows,
        range: stageRange,
        ...(d.problem ? { problem: d.problem } : {}),
      });
      edge({ kind: 'emit', from: dsFrom, to: did, label: shapeText(dsShape), shape: dsShape, stride: null, channels: d.cin });
      dsFrom = did;
      dsShape = shape(d.outShape);
    });

    const macsTotal = snap.macs ?? snap.knownMacs;
    stageRows.push({
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
    });
  }

  // Fusion edges: from the downsample that actually arrives to the consuming head block.
  for (const st of snap.stages) {
    for (const b of st.blocks) {
      for (const f of b.fusion) {
        const m: FusionMap | undefined = f.map;
        if (!m) continue;
        const k = Math.log2(m.scale) - 1;
        const from = nodeIds.downsample(m.fromStage, k);
        if (!byId.has(from)) continue;
        edges.push({
          id: `fusion:${from}->${nodeIds.block(st.index, b.index)}#${f.index}`,
          kind: 'fusion',
          from,
          to: nodeIds.block(st.index, b.index),
          label: `fusion s${f.stride ?? '?'} · ${m.channels}ch`,
          shape: shape(m.shape),
          stride: f.stride,
          channels: m.channels,
          ...(f.problem ? { problem: f.problem } : {}),
        });
      }
    }
  }

  if (snap.head && snap.includeTop) {
    const hd = snap.head;
    const rows = [convRow('fc', hd.fc), convRow('cls', hd.cls)];
    add({
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
      range: netRange,
      ...(hd.pool.problem ? { problem: hd.pool.problem } : {}),
    });
    edge({ kind: 'flow', from: prev, to: 'head', label: flowLabel(prevShape, prevStride), shape: prevShape, stride: prevStride, channels: prevShape?.[0] ?? null });
    prev = 'head';
    prevShape = shape(hd.cls.outShape);
    prevStride = null;
  }
  if (!empty) {
    add({
      id: 'output',
      kind: 'output',
      parent: null,
      stage: null,
      label: 'output',
      sub: snap.includeTop ? `${snap.numClasses ?? '?'} logits` : 'feature maps',
      outShape: prevShape,
      outStride: prevStride,
      params: 0,
      macs: 0,
      activationBytes: 0,
      convs: [],
      range: null,
    });
    edge({ kind: 'flow', from: prev, to: 'output', label: flowLabel(prevShape, prevStride), shape: prevShape, stride: prevStride, channels: prevShape?.[0] ?? null });
  }

  // Findings on the nodes they belong to: the block whose op string holds them, else their stage.
  for (const f of snap.findings) {
    if (f.severity === 'hint') continue;
    let target: GraphNode | undefined;
    if (f.stage !== undefined) {
      const st = snap.stages.find((s) => s.index === f.stage);
      const b = st?.blocks.find((x) => x.opRange && x.opRange.start <= f.range.start && f.range.end <= x.opRange.end);
      target = b ? byId.get(nodeIds.block(f.stage, b.index)) : byId.get(nodeIds.stage(f.stage));
    }
    if (target) addDiag(target.diag, f);
  }
  // A stage shows its blocks' findings too (they are hidden when it is collapsed).
  for (const node of nodes) {
    if (node.kind !== 'block' || !node.parent) continue;
    const st = byId.get(node.parent);
    if (!st) continue;
    st.diag.error += node.diag.error;
    st.diag.warning += node.diag.warning;
    st.diag.info += node.diag.info;
    for (const m of node.diag.messages) if (st.diag.messages.length < 6) st.diag.messages.push(m);
  }

  const totalAct = sumOrNull(nodes.filter((x) => x.kind !== 'stage').map((x) => x.activationBytes));
  const measured: MeasuredInfo | null = opts.measured ? { description: opts.measured.description, totalMs: opts.measured.totalMs } : null;
  const notes: string[] = [];
  if (!snap.exact && !empty) notes.push('Some values could not be evaluated statically: totals count what could be built.');
  if (!snap.routingKnown && !empty) notes.push('The fusion routing could not be followed (an unknown extra_downsample_num).');
  for (const st of snap.stages) for (const u of st.unknown) notes.push(`stage ${st.index}: ${u}`);

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
      blocks: blockCount,
      convs: nodes.reduce((t, x) => t + (x.kind === 'stage' ? 0 : x.convs.length), 0),
      input: snap.input,
      inputSource: snap.inputSource,
      target: snap.march ? `${snap.target} (${snap.march})` : snap.target,
      exact: snap.exact,
      timeMs: measured?.totalMs ?? null,
    },
    measured,
    counts: { ...snap.counts },
    notes,
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
