/**
 * ORT profiling → time per part of the network. ORT's profile is a Chrome trace: a "Node" event per
 * kernel run ("<node name>_kernel_time", dur in µs) inside a "Session" model_run event per run.
 *
 * Node names carry the conv ids of model.ts; ORT renames what it fuses or re-lays out
 * ("stage1.block0.conv1.relu_nchwc", "stage2.block0.conv2" now also doing the Add and Relu), which
 * ownerOfNode() still reads. Nodes ORT adds with names of its own ("ReorderOutput") are charged to the
 * part that ran just before them (the first ones, to the part that runs next).
 */
import { ownerOfNode, type NodeOwner } from '../core/onnx/names';
import type { NodeTime } from './protocol';

export interface ProfileEvent {
  cat?: string;
  name?: string;
  ts?: number;
  dur?: number;
  args?: { op_name?: string };
}

/** Per-node kernel times from ORT's profile events, in first-execution order. */
export function nodeTimesFromProfile(events: ProfileEvent[]): NodeTime[] {
  const byName = new Map<string, NodeTime>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name || !e.name.endsWith('_kernel_time')) continue;
    const name = e.name.slice(0, -'_kernel_time'.length);
    let t = byName.get(name);
    if (!t) {
      t = { name, op: e.args?.op_name ?? '', us: 0, calls: 0 };
      byName.set(name, t);
    }
    t.us += e.dur ?? 0;
    t.calls++;
  }
  return [...byName.values()];
}

/** Leave out the node events of the first model_run (it allocates buffers and is slower). */
export function dropFirstRun(events: ProfileEvent[]): ProfileEvent[] {
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run');
  if (runs.length < 2) return events;
  const first = runs.reduce((a, b) => ((a.ts ?? 0) <= (b.ts ?? 0) ? a : b));
  const end = (first.ts ?? 0) + (first.dur ?? 0);
  return events.filter((e) => e.cat !== 'Node' || (e.ts ?? 0) > end);
}

export interface PartTime {
  /** Share of all kernel time (0..1). */
  share: number;
  /** Kernel time per run as profiled, ms. */
  kernelMs: number;
}

export interface Attribution {
  stem: PartTime;
  stages: (PartTime & { index: number; blocks: (PartTime & { index: number })[]; downsampleShare: number })[];
  head: PartTime | null;
  /** Kernel time per run of all nodes, ms. */
  totalKernelMs: number;
  /** Nodes whose name named no part (charged to a neighbour), for the curious. */
  unnamed: string[];
}

/** Charge every profiled node to the stem, a stage (and block) or the head. */
export function attribute(nodes: NodeTime[], stageCount: number, runs: number, hasHead: boolean): Attribution {
  const perRun = Math.max(1, runs);
  const owners: (NodeOwner | null)[] = nodes.map((n) => ownerOfNode(n.name));
  // Unnamed nodes: the previous named node's owner, else the next one's.
  let prev: NodeOwner | null = null;
  for (let i = 0; i < owners.length; i++) {
    if (owners[i]) prev = owners[i];
    else if (prev) owners[i] = prev;
  }
  let next: NodeOwner | null = null;
  for (let i = owners.length - 1; i >= 0; i--) {
    if (owners[i]) next = owners[i];
    else owners[i] = next;
  }
  const total = nodes.reduce((a, n) => a + n.us, 0);
  const stem = { us: 0 };
  const head = { us: 0 };
  const stages = Array.from({ length: stageCount }, () => ({ us: 0, ds: 0, blocks: new Map<number, number>() }));
  nodes.forEach((n, i) => {
    const o = owners[i];
    if (!o || o.part === 'stem') stem.us += n.us;
    else if (o.part === 'head') head.us += n.us;
    else if (o.stage !== undefined && o.stage < stageCount) {
      const s = stages[o.stage];
      s.us += n.us;
      if (o.block === undefined) s.ds += n.us;
      else s.blocks.set(o.block, (s.blocks.get(o.block) ?? 0) + n.us);
    } else stem.us += n.us;
  });
  const part = (us: number): PartTime => ({ share: total > 0 ? us / total : 0, kernelMs: us / 1000 / perRun });
  return {
    stem: part(stem.us),
    stages: stages.map((s, index) => ({
      index,
      ...part(s.us),
      downsampleShare: total > 0 ? s.ds / total : 0,
      blocks: [...s.blocks.entries()].sort((a, b) => a[0] - b[0]).map(([bi, us]) => ({ index: bi, ...part(us) })),
    })),
    head: hasHead ? part(head.us) : null,
    totalKernelMs: total / 1000 / perRun,
    unnamed: nodes.filter((n) => !ownerOfNode(n.name)).map((n) => n.name),
  };
}
