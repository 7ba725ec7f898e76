/**
 * The graph preview's data (issue 4): a serialisable picture of the network a config builds, made
 * by the core from an analysis snapshot (graph/model.ts), laid out deterministically (graph/layout.ts)
 * and drawn by the webview (webview/). Nothing here is parsed in the webview: it only draws.
 *
 * Node ids are stable across edits of the same structure, so the webview keeps expansion, selection,
 * zoom and pan when the text changes:
 *   input · stem · s<i> (stage i) · s<i>.b<j> (block j of stage i) · s<i>.d<k> (k-th downsample of
 *   stage i's output, emitted for fusion) · head · output
 */

export type Shape3 = [number, number, number];

export type NodeKind = 'input' | 'stem' | 'stage' | 'block' | 'downsample' | 'head' | 'output';

/** Colour measures. 'time' exists only when a latency measurement of this network is known. */
export type Measure = 'macs' | 'params' | 'activation' | 'time';

export const MEASURES: readonly Measure[] = ['macs', 'params', 'activation', 'time'];

/** A place in the config text: offsets and 0-based line/character of both ends. */
export interface GraphRange {
  start: number;
  end: number;
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
}

/** One conv of a block (or the stem/head/downsample), as a row of the node when it is expanded. */
export interface ConvRow {
  /** The conv's model id, e.g. "stage2.block0.conv1" (also its ONNX node name). */
  id: string;
  /** conv1 · conv2 · shortcut · fusion[0] · downsample · fc · cls · stem */
  name: string;
  cin: number;
  cout: number;
  k: number;
  stride: number;
  groups: number;
  outShape: Shape3 | null;
  params: number | null;
  macs: number | null;
  problem?: string;
}

export interface DiagBadge {
  error: number;
  warning: number;
  info: number;
  /** Hints (the J5 design guidance by default): in the tooltip, not as a badge. */
  hint: number;
  /** The first few messages ("MVG002: …"), for the node's tooltip. */
  messages: string[];
}

export interface GraphNode {
  id: string;
  kind: NodeKind;
  /** Containing node: a block's stage; null for top-level nodes (downsamples are top level: drawn beside their stage). */
  parent: string | null;
  /** Stage index (stage, block, downsample nodes). */
  stage: number | null;
  /** Main text: "stage 2", "mixvarge_f4", "↓2 ×2", "stem", "head". */
  label: string;
  /** Second line: "32→64 · s2 · 3 blocks", "64→128 · s2 · +2 fusion". */
  sub: string;
  op?: string;
  /** Output of the node: shape (C, H, W) per image and the input-to-output stride. */
  outShape: Shape3 | null;
  outStride: number | null;
  params: number | null;
  macs: number | null;
  /** Bytes written by the node's convs per image (fp32, 4 bytes an element): a measure of activation traffic. */
  activationBytes: number | null;
  /** Measured CPU time (ms), when a measurement of this exact network exists. */
  timeMs: number | null;
  /** The convs, shown when the node is expanded (blocks, stem, head, downsamples). */
  convs: ConvRow[];
  /** The text to select when the node is clicked: the op string of a block, the stage's config call, … */
  range: GraphRange | null;
  diag: DiagBadge;
  /** While the config is compared with another version (core/graph/diff.ts): how this node differs, and what it was. */
  diff?: NodeDiff;
  /** Why the node cannot be built as written (crash), if it cannot. */
  problem?: string;
  /** Lower-case text that find matches against (id, label, op, sub). */
  search: string;
}

export type EdgeKind = 'flow' | 'emit' | 'fusion';

export interface GraphEdge {
  id: string;
  kind: EdgeKind;
  /** Finest-level endpoints (blocks, not stages); the layout lifts them to what is visible. */
  from: string;
  to: string;
  /**
   * "32×56×56 · /4" on flow edges (the shape and input-to-map stride of what flows), "32×56×56" on emit edges,
   * "fusion s8 · 64ch" on fusion edges (the fusion_strides entry and the map's channels).
   */
  label: string;
  /** Shape (C, H, W) of the map on the edge. */
  shape: Shape3 | null;
  /** Input-to-map stride of the map on the edge (a fusion map: the stride it arrives at); null when unknown or pooled. */
  stride: number | null;
  /** Fusion edges: the fusion_strides entry the consuming head names for this input (the source stage's stride). */
  fusionStride?: number | null;
  channels: number | null;
  problem?: string;
}

export interface StageRow {
  id: string;
  index: number;
  label: string;
  ops: string;
  blocks: number;
  params: number | null;
  macs: number | null;
  /** Share of the network's MACs, 0..1. */
  share: number | null;
  outShape: Shape3 | null;
  outStride: number | null;
  timeMs: number | null;
}

export interface GraphTotals {
  params: number | null;
  macs: number | null;
  activationBytes: number | null;
  /** Parameters and MACs of what could be built when something is unknown. */
  knownParams: number;
  knownMacs: number;
  stages: number;
  blocks: number;
  convs: number;
  input: [number, number, number, number];
  inputSource: string;
  target: string;
  exact: boolean;
  timeMs: number | null;
}

export interface MeasuredInfo {
  /** e.g. "onnxruntime-node 1.23.0 · CPU · 2 threads · batch 1 · median of 20" */
  description: string;
  totalMs: number;
}

export interface GraphModel {
  /** The config file's URI and a short name for the title. */
  uri: string;
  fileName: string;
  version: number;
  /** No network could be built (no MixVarGENetConfig found). */
  empty: boolean;
  nodes: GraphNode[];
  edges: GraphEdge[];
  stages: StageRow[];
  totals: GraphTotals;
  measured: MeasuredInfo | null;
  /** Findings of the whole file by severity. */
  counts: { error: number; warning: number; info: number; hint: number };
  /** Why the model is incomplete (unknown values, routing not followed). */
  notes: string[];
  /**
   * The latest HAT results of this config (issue 6), e.g. "float 71.32% · calib 70.66% · J5 5790 FPS (compile_perf, 2 h ago)",
   * with a longer text for its tooltip; null when none were recorded.
   */
  results?: { summary: string; detail: string } | null;
  /** The comparison the picture is marked with (issue 14: Compare with HEAD / a revision / a file), or none. */
  diff?: ModelDiff | null;
}

/** How a node differs from the compared version: added (not there before) or changed, with its old values. */
export interface NodeDiff {
  status: 'added' | 'changed';
  /** Lines for the tooltip: the fields that changed (old → new) and the old params/MACs. */
  was: string[];
}

/** The comparison of the whole picture: what it is compared with, the summary, and the stages that are gone. */
export interface ModelDiff {
  /** "HEAD", a commit, another file's name. */
  base: string;
  summary: string;
  /** One line per stage only in the old version: "stage 5 (739K params · 36.1M MACs)". */
  removed: string[];
}

// ------------------------------------------------------------------------------------------ layout

export interface LaidNode {
  id: string;
  kind: NodeKind;
  x: number;
  y: number;
  w: number;
  h: number;
  /** Nesting depth: 0 for top-level, 1 for a block inside an expanded stage. */
  depth: number;
  /** Drawn as a container with its children inside (an expanded stage). */
  container: boolean;
  expandable: boolean;
  expanded: boolean;
  /** Conv rows drawn inside the node (an expanded block/stem/head/downsample). */
  rows: ConvRow[];
}

export interface LaidEdge {
  /** Unique per drawn edge: "<kind>:<from>-><to>" of the visible endpoints. */
  id: string;
  kind: EdgeKind;
  from: string;
  to: string;
  /** Model edge ids this drawn edge stands for (several when lifted to a collapsed stage). */
  edges: string[];
  /** Polyline through these points (the webview smooths corners). */
  points: [number, number][];
  label: string;
  labelAt: [number, number];
  problem?: string;
}

export interface Layout {
  nodes: LaidNode[];
  edges: LaidEdge[];
  width: number;
  height: number;
}

// ---------------------------------------------------------------------------------------- messages

export interface ViewState {
  /** Expanded stage and block ids. */
  expanded: string[];
  measure: Measure;
  selected: string | null;
  /** d3-zoom transform. */
  transform: { k: number; x: number; y: number } | null;
  showTable: boolean;
  /** The config the panel shows (the webview copies it from `body[data-uri]`; the serializer reopens it after a reload). */
  uri?: string;
}

export interface StaleInfo {
  /** 1-based line of the syntax error. */
  line: number;
  message: string;
}

/** Extension host → webview. */
export type HostMessage =
  | { type: 'model'; model: GraphModel; stale: StaleInfo | null }
  | { type: 'stale'; stale: StaleInfo | null }
  | { type: 'highlight'; nodeId: string | null; reveal: boolean }
  | { type: 'command'; command: 'fit' | 'reset' | 'expandAll' | 'collapseAll' | 'find' | 'exportSvg' | 'exportPng' | 'copySvg' }
  | { type: 'probe'; id: number; action?: { click?: string; dblclick?: string; measure?: Measure; find?: string } };

/** What the webview reports about its own DOM (tests, the `_graphState` command). */
export interface DomReport {
  stageNodes: number;
  blockNodes: number;
  nodes: number;
  edges: number;
  fusionEdges: number;
  edgeLabels: string[];
  selected: string | null;
  highlighted: string | null;
  staleBanner: string | null;
  measure: Measure;
  legend: string;
  header: string;
  expanded: string[];
  transform: { k: number; x: number; y: number };
  tableRows: number;
  renderMs: number;
  nodeTitles: Record<string, string>;
  /** data-ids of the nodes marked as find matches (`g.node.match`). */
  matches?: string[];
  /** Diff mode: data-ids of the nodes marked added (`g.node.diff-added`) or changed (`g.node.diff-changed`). */
  diffMarks?: Record<string, 'added' | 'changed'>;
}

/** Webview → extension host. */
export type WebviewMessage =
  | { type: 'ready'; state: ViewState | null }
  | { type: 'reveal'; nodeId: string }
  | { type: 'export'; format: 'svg' | 'png'; data: string }
  | { type: 'copy'; svg: string }
  | { type: 'viewState'; state: ViewState }
  | { type: 'probeResult'; id: number; report: DomReport }
  | { type: 'error'; message: string };

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isStr = (x: unknown): x is string => typeof x === 'string';
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

export function isMeasure(x: unknown): x is Measure {
  return isStr(x) && (MEASURES as readonly string[]).includes(x);
}

export function isViewState(x: unknown): x is ViewState {
  if (!isObj(x)) return false;
  if (!Array.isArray(x.expanded) || !x.expanded.every(isStr)) return false;
  if (!isMeasure(x.measure)) return false;
  if (x.selected !== null && !isStr(x.selected)) return false;
  if (typeof x.showTable !== 'boolean') return false;
  if (x.uri !== undefined && !isStr(x.uri)) return false;
  const t = x.transform;
  if (t !== null && !(isObj(t) && isNum(t.k) && isNum(t.x) && isNum(t.y) && t.k > 0)) return false;
  return true;
}

const MAX_EXPORT = 64 * 1024 * 1024;

/** Validates a message from the webview (it is untrusted input to the host). */
export function parseWebviewMessage(x: unknown): WebviewMessage | null {
  if (!isObj(x) || !isStr(x.type)) return null;
  switch (x.type) {
    case 'ready':
      return x.state === null || x.state === undefined ? { type: 'ready', state: null } : isViewState(x.state) ? { type: 'ready', state: x.state } : { type: 'ready', state: null };
    case 'reveal':
      return isStr(x.nodeId) && x.nodeId.length < 200 ? { type: 'reveal', nodeId: x.nodeId } : null;
    case 'export':
      return (x.format === 'svg' || x.format === 'png') && isStr(x.data) && x.data.length <= MAX_EXPORT ? { type: 'export', format: x.format, data: x.data } : null;
    case 'copy':
      return isStr(x.svg) && x.svg.length <= MAX_EXPORT ? { type: 'copy', svg: x.svg } : null;
    case 'viewState':
      return isViewState(x.state) ? { type: 'viewState', state: x.state } : null;
    case 'probeResult':
      return isNum(x.id) && isObj(x.report) ? { type: 'probeResult', id: x.id, report: x.report as unknown as DomReport } : null;
    case 'error':
      return isStr(x.message) ? { type: 'error', message: x.message.slice(0, 2000) } : null;
    default:
      return null;
  }
}

/** Validates a message from the host (the webview checks what it draws from). */
export function parseHostMessage(x: unknown): HostMessage | null {
  if (!isObj(x) || !isStr(x.type)) return null;
  switch (x.type) {
    case 'model': {
      const m = x.model;
      if (!isObj(m) || !Array.isArray(m.nodes) || !Array.isArray(m.edges) || !Array.isArray(m.stages) || !isObj(m.totals)) return null;
      const stale = x.stale;
      if (stale !== null && !(isObj(stale) && isNum(stale.line) && isStr(stale.message))) return null;
      const model = m as unknown as GraphModel;
      sanitizeDiff(model);
      return { type: 'model', model, stale: (stale as StaleInfo | null) ?? null };
    }
    case 'stale':
      return x.stale === null || (isObj(x.stale) && isNum(x.stale.line) && isStr(x.stale.message)) ? { type: 'stale', stale: (x.stale as StaleInfo | null) ?? null } : null;
    case 'highlight':
      return x.nodeId === null || isStr(x.nodeId) ? { type: 'highlight', nodeId: (x.nodeId as string | null) ?? null, reveal: x.reveal === true } : null;
    case 'command': {
      const c = x.command;
      const ok = ['fit', 'reset', 'expandAll', 'collapseAll', 'find', 'exportSvg', 'exportPng', 'copySvg'];
      return isStr(c) && ok.includes(c) ? { type: 'command', command: c as Extract<HostMessage, { type: 'command' }>['command'] } : null;
    }
    case 'probe': {
      if (!isNum(x.id)) return null;
      const a = x.action;
      if (a !== undefined && !isObj(a)) return null;
      return { type: 'probe', id: x.id, action: a as Extract<HostMessage, { type: 'probe' }>['action'] };
    }
    default:
      return null;
  }
}

const isStrList = (x: unknown): x is string[] => Array.isArray(x) && x.length <= 200 && x.every(isStr);

/** Drop comparison marks that are not what the host sends (a model is drawn without them rather than refused). */
function sanitizeDiff(model: GraphModel): void {
  const d = model.diff as unknown;
  if (d !== undefined && d !== null && !(isObj(d) && isStr(d.base) && isStr(d.summary) && isStrList(d.removed))) model.diff = null;
  for (const n of model.nodes as unknown[]) {
    if (!isObj(n) || n.diff === undefined) continue;
    const nd = n.diff;
    if (!(isObj(nd) && (nd.status === 'added' || nd.status === 'changed') && isStrList(nd.was))) delete n.diff;
  }
}
