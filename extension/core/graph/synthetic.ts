/**
 * A synthetic graph model of about `n` nodes (stages of many blocks, each stage emitting a chain of
 * downsamples fused into later stages), for the render benchmark and the layout's scale test. It is
 * not a network HAT could build; only its shape matters.
 */
import type { GraphEdge, GraphModel, GraphNode } from './types';

export function syntheticGraph(n: number, blocksPerStage = 48): GraphModel {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const node = (p: Partial<GraphNode> & Pick<GraphNode, 'id' | 'kind' | 'label'>): GraphNode => {
    const g: GraphNode = {
      parent: null,
      stage: null,
      sub: '',
      outShape: [64, 28, 28],
      outStride: 8,
      params: 1000 + nodes.length * 37,
      macs: 100000 + ((nodes.length * 7919) % 1000) * 1000,
      activationBytes: 4 * 64 * 28 * 28,
      timeMs: null,
      convs: [],
      range: null,
      diag: { error: 0, warning: 0, info: 0, hint: 0, messages: [] },
      search: p.id,
      ...p,
    };
    nodes.push(g);
    return g;
  };
  const row = (id: string, name: string) => ({ id, name, cin: 64, cout: 64, k: 3, stride: 1, groups: 8, outShape: [64, 28, 28] as [number, number, number], params: 4672, macs: 3662848 });
  node({ id: 'input', kind: 'input', label: 'input' });
  let prev = 'input';
  const stagesN = Math.max(1, Math.round((n - 3) / (blocksPerStage + 3)));
  const stages = [];
  for (let i = 0; i < stagesN; i++) {
    const sid = `s${i}`;
    node({ id: sid, kind: 'stage', label: `stage ${i}`, stage: i, sub: `${blocksPerStage} blocks` });
    for (let j = 0; j < blocksPerStage; j++) {
      const id = `${sid}.b${j}`;
      node({ id, kind: 'block', parent: sid, stage: i, label: 'mixvarge_f4', sub: `#${j}`, convs: [row(`${id}.conv1`, 'conv1'), row(`${id}.conv2`, 'conv2')] });
      edges.push({ id: `flow:${prev}->${id}`, kind: 'flow', from: prev, to: id, label: '64×28×28', shape: [64, 28, 28], stride: 8, channels: 64 });
      prev = id;
    }
    const dsN = i % 3 === 0 ? 2 : 0;
    let from = prev;
    for (let k = 0; k < dsN; k++) {
      const id = `${sid}.d${k}`;
      node({ id, kind: 'downsample', stage: i, label: `↓${2 ** (k + 1)}` });
      edges.push({ id: `emit:${from}->${id}`, kind: 'emit', from, to: id, label: '', shape: null, stride: null, channels: 64 });
      from = id;
      if (i + k + 1 < stagesN) {
        const to = `s${i + k + 1}.b0`;
        edges.push({ id: `fusion:${id}->${to}#0`, kind: 'fusion', from: id, to, label: `fusion s${2 ** (k + 2)} · 64ch`, shape: null, stride: null, fusionStride: 2 ** (k + 2), channels: 64 });
      }
    }
    stages.push({ id: sid, index: i, label: `stage ${i}`, ops: 'mixvarge_f4', blocks: blocksPerStage, params: 1, macs: 1, share: 1 / stagesN, outShape: [64, 28, 28] as [number, number, number], outStride: 8, timeMs: null });
  }
  node({ id: 'output', kind: 'output', label: 'output' });
  edges.push({ id: `flow:${prev}->output`, kind: 'flow', from: prev, to: 'output', label: '', shape: null, stride: null, channels: null });
  return {
    uri: 'synthetic:graph',
    fileName: `synthetic-${nodes.length}`,
    version: 1,
    empty: false,
    nodes,
    edges,
    stages,
    totals: { params: 1, macs: 1, activationBytes: 1, knownParams: 1, knownMacs: 1, stages: stagesN, blocks: stagesN * blocksPerStage, convs: stagesN * blocksPerStage * 2, input: [1, 3, 224, 224], inputSource: 'default', target: 'J5', exact: true, timeMs: null },
    measured: null,
    counts: { error: 0, warning: 0, info: 0, hint: 0 },
    notes: [],
  };
}
