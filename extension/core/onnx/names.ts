/**
 * ONNX node names carry the conv ids of model.ts ("stage2.block0.conv1", "head.fc", "stem"), so that
 * anything ORT reports per node (profiling events, fused nodes such as "stage2.block0.conv1_fused",
 * NCHWc reorders named after the node they feed) maps back to a part of the network.
 */

export type NetPart = 'stem' | 'stage' | 'head';

export interface NodeOwner {
  part: NetPart;
  /** Stage index, for part 'stage'. */
  stage?: number;
  /** Block index inside the stage; undefined for the downsample chain. */
  block?: number;
}

const OWNER_RE = /(?:^|[^A-Za-z0-9])(stage(\d+)(?:\.block(\d+))?|stem|head)(?=$|[^A-Za-z0-9])/;

/**
 * Which part of the network a node name belongs to, or null when it names none (ORT-generated nodes
 * such as "ReorderOutput_12" or "MemcpyToHost").
 */
export function ownerOfNode(name: string): NodeOwner | null {
  const m = OWNER_RE.exec(name);
  if (!m) return null;
  if (m[1] === 'stem') return { part: 'stem' };
  if (m[1] === 'head') return { part: 'head' };
  const stage = Number(m[2]);
  return m[3] !== undefined ? { part: 'stage', stage, block: Number(m[3]) } : { part: 'stage', stage };
}
