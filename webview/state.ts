/**
 * The graph webview's state: one object that every module reads and writes, the VS Code API (`post` sends the
 * typed messages of extension/core/graph/types.ts), and lookups over the model's parent chain.
 */
import { scaleSqrt, type ScalePower } from 'd3-scale';
import { zoomIdentity, type ZoomTransform } from 'd3-zoom';
import { isViewState, type GraphModel, type GraphNode, type LaidNode, type Layout, type Measure, type StaleInfo, type ViewState, type WebviewMessage } from '../extension/core/graph/types';
import type { StageColumn } from './format';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export const vscode = acquireVsCodeApi();
export const post = (m: WebviewMessage) => vscode.postMessage(m);

const saved = vscode.getState();
/** The view state saved by the last session of this panel (restored below; sent back with `ready`). */
export const initial: ViewState | null = isViewState(saved) ? saved : null;

export interface FindState {
  query: string;
  /** Ids of the matching nodes, in model order. */
  matches: string[];
  /** The current match in `matches`, -1 before the first Enter. */
  index: number;
}

export interface PanelState {
  model: GraphModel | null;
  byId: Map<string, GraphNode>;
  layout: Layout | null;
  /** The drawn nodes of `layout`, by id. */
  laid: Map<string, LaidNode>;
  expanded: Set<string>;
  measure: Measure;
  selected: string | null;
  /** The node the host asked to highlight (drawn on it, or on the collapsed stage that hides it). */
  highlightReq: string | null;
  showTable: boolean;
  stale: StaleInfo | null;
  renderMs: number;
  /** The node with tabindex 0 (roving focus). */
  focusId: string | null;
  /** The saved zoom, applied once the first model is drawn. */
  pendingTransform: ZoomTransform | null;
  hadModel: boolean;
  find: FindState;
  sort: { col: StageColumn; desc: boolean };
  /** The colour scale of the chosen measure over the drawn nodes (0..1 into `ramp`). */
  scale: ScalePower<number, number>;
  domainMax: number;
  ramp: string[];
  /** The last node revealed in the editor (a double click is two clicks: reveal once). */
  lastReveal: { id: string; at: number };
  /** What the header and the table last drew (live edits resend the model on every keystroke). */
  headerKey: string;
  tableKey: string;
  saveTimer: ReturnType<typeof setTimeout> | undefined;
}

export const state: PanelState = {
  model: null,
  byId: new Map(),
  layout: null,
  laid: new Map(),
  expanded: new Set(initial?.expanded ?? []),
  measure: initial?.measure ?? 'macs',
  selected: initial?.selected ?? null,
  highlightReq: null,
  showTable: initial?.showTable ?? false,
  stale: null,
  renderMs: 0,
  focusId: null,
  pendingTransform: initial?.transform ? zoomIdentity.translate(initial.transform.x, initial.transform.y).scale(initial.transform.k) : null,
  hadModel: false,
  find: { query: '', matches: [], index: -1 },
  sort: { col: 'index', desc: false },
  scale: scaleSqrt().domain([0, 1]).range([0, 1]).clamp(true),
  domainMax: 0,
  ramp: [],
  lastReveal: { id: '', at: 0 },
  headerKey: '',
  tableKey: '',
  saveTimer: undefined,
};

/** The id drawn for a node: itself, or the collapsed stage it is inside. */
export function visibleId(id: string | null): string | null {
  let cur = id;
  while (cur) {
    if (state.laid.has(cur)) return cur;
    cur = state.byId.get(cur)?.parent ?? null;
  }
  return null;
}

export function isInside(id: string, ancestor: string): boolean {
  let cur = state.byId.get(id)?.parent ?? null;
  while (cur) {
    if (cur === ancestor) return true;
    cur = state.byId.get(cur)?.parent ?? null;
  }
  return false;
}

/** The node's outermost ancestor (what stays drawn when everything collapses). */
export function visibleIdAfterCollapse(id: string): string {
  let cur = id;
  while (state.byId.get(cur)?.parent) cur = state.byId.get(cur)?.parent as string;
  return cur;
}
