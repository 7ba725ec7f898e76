/**
 * Draws a Layout into the SVG with d3 (keyed joins, so an edit or an expansion moves what exists instead
 * of redrawing it). Nodes are `g.node[data-id]`, edges `g.edge[data-id]`; the class names are a contract
 * with the tests (see webview/README.md).
 */
import { select, type Selection } from 'd3-selection';
import 'd3-transition';
import type { ConvRow, GraphModel, GraphNode, LaidEdge, LaidNode, Layout, Measure } from '../extension/core/graph/types';
import { thousands } from '../extension/core/format';
import { fitText, formatBytes, formatCount, formatMeasure, formatMs, formatShape, MEASURE_LABEL, measureValue, roundedPath } from './format';
import { rampIndex } from './colors';
import { FRAME_HEAD, labelPositions } from './labels';
import { FONT } from './graphStyle';
import { LAYOUT } from '../extension/core/graph/layout';

const SVG_NS = 'http://www.w3.org/2000/svg';

export interface DrawState {
  model: GraphModel;
  layout: Layout;
  byId: ReadonlyMap<string, GraphNode>;
  measure: Measure;
  selected: string | null;
  highlighted: string | null;
  matches: ReadonlySet<string>;
  currentMatch: string | null;
  /** The node with the roving tabindex (keyboard focus target). */
  focusId: string | null;
  /** Fill colours, index by rampIndex(scale(value)). */
  ramp: readonly string[];
  /** Measure value → 0..1. */
  scale: (v: number) => number;
  animate: boolean;
}

// Text metrics: average character widths estimated from the font sizes (measuring text in the DOM would cost a
// layout per node): bold sans ≈ 0.585 em, sans ≈ 0.565 em, monospace ≈ 0.605 em.
const CW_LABEL = FONT.label * 0.585;
const CW_SUB = FONT.sub * 0.565;
const CW_SMALL_SANS = FONT.small * 0.565;
const CW_MONO = FONT.small * 0.605;
const CW_ROW = CW_MONO;
const PAD = 12;
const ROW_H = LAYOUT.rowH;
const ROWS_PAD = LAYOUT.rowsPad;
/** Width of the conv-row name column ("fusion s16"). */
const ROW_NAME_W = 72;

type NodeEl = SVGGElement & { __geom?: string };

/** Sets (or, for null, removes) an attribute only when it changes: an unchanged value costs no style or layout work. */
function setAttr(e: Element, name: string, value: string | null): void {
  if (value === null) {
    if (e.hasAttribute(name)) e.removeAttribute(name);
  } else if (e.getAttribute(name) !== value) e.setAttribute(name, value);
}

function el<K extends keyof SVGElementTagNameMap>(parent: Element, tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG_NS, tag);
  for (const k in attrs) e.setAttribute(k, String(attrs[k]));
  if (text !== undefined) e.textContent = text;
  parent.appendChild(e);
  return e;
}

export function nodeTitle(n: GraphNode): string {
  const lines: string[] = [];
  lines.push(n.op && n.op !== n.label ? `${n.label} — ${n.op}` : n.label);
  if (n.sub) lines.push(n.sub);
  const nums: string[] = [];
  if (n.params !== null) nums.push(`params ${thousands(n.params)}`);
  if (n.macs !== null) nums.push(`MACs ${formatCount(n.macs)}`);
  if (n.activationBytes !== null) nums.push(`activation ${formatBytes(n.activationBytes)}`);
  if (n.timeMs !== null) nums.push(`time ${formatMs(n.timeMs)}`);
  if (nums.length) lines.push(nums.join(' · '));
  if (n.outShape) lines.push(`out ${formatShape(n.outShape)}${n.outStride ? ` · stride /${n.outStride}` : ''}`);
  if (n.problem) lines.push(`✖ cannot build: ${n.problem}`);
  for (const m of n.diag.messages) lines.push(m);
  const more = n.diag.error + n.diag.warning + n.diag.info + n.diag.hint - n.diag.messages.length;
  if (more > 0) lines.push(`… and ${more} more`);
  if (n.diff) lines.push(n.diff.status === 'added' ? '+ added since the compared version' : '~ changed since the compared version', ...n.diff.was);
  return lines.join('\n');
}

function convSpec(c: ConvRow): string {
  return `${c.k}×${c.k} ${c.cin}→${c.cout}${c.groups > 1 ? ` g${c.groups}` : ''}${c.stride > 1 ? ` s${c.stride}` : ''}`;
}

function chevron(g: SVGGElement, x: number, y: number, open: boolean): void {
  // Hit area first so hovering it brightens the chevron (CSS sibling rule).
  el(g, 'rect', { class: 'chev-hit', x: x - 7, y: y - 8, width: 16, height: 16, 'data-action': 'toggle' });
  const d = open ? `M${x - 4},${y - 2} L${x},${y + 2.5} L${x + 4},${y - 2}` : `M${x - 2},${y - 4} L${x + 2.5},${y} L${x - 2},${y + 4}`;
  el(g, 'path', { class: 'chev', d, 'pointer-events': 'none' });
}

function badges(g: SVGGElement, n: GraphNode, w: number): void {
  let x = w - 10;
  const put = (cls: string, count: number) => {
    el(g, 'circle', { class: cls, cx: x, cy: 0, r: 9.5 });
    el(g, 'text', { class: 'badge-text', x, y: 4 }, count > 99 ? '99+' : String(count));
    x -= 22;
  };
  if (n.diag.error > 0) put('badge-err', n.diag.error);
  if (n.diag.warning > 0) put('badge-warn', n.diag.warning);
}

function numbersLine(n: GraphNode): string {
  const p = n.params !== null ? `${formatCount(n.params)} params` : '? params';
  const m = n.macs !== null ? `${formatCount(n.macs)} MACs` : '? MACs';
  return `${p} · ${m}`;
}

function shapeText(n: GraphNode): string {
  return n.outShape ? formatShape(n.outShape) : '';
}

/** Builds the inner content of a node group (coordinates relative to the node's top-left). */
function buildNode(g: SVGGElement, ln: LaidNode, n: GraphNode): void {
  while (g.firstChild) g.removeChild(g.firstChild);
  const { w, h } = ln;
  el(g, 'title', {}, nodeTitle(n));
  const pill = ln.kind === 'input' || ln.kind === 'output';
  const rx = pill ? Math.min(h / 2, 14) : 6;
  el(g, 'rect', { class: 'halo', x: -4, y: -4, width: w + 8, height: h + 8, rx: rx + 4 });
  el(g, 'rect', { class: 'box', x: 0, y: 0, width: w, height: h, rx });

  if (ln.container) {
    const r = 6;
    el(g, 'path', { class: 'frame-head', d: `M0,${FRAME_HEAD} V${r} Q0,0 ${r},0 H${w - r} Q${w},0 ${w},${r} V${FRAME_HEAD} Z` });
    el(g, 'line', { class: 'frame-rule', x1: 0, y1: FRAME_HEAD, x2: w, y2: FRAME_HEAD });
    chevron(g, 14, 17, true);
    const nums = numbersLine(n);
    const numsW = nums.length * CW_MONO;
    // The flow edge into the first block crosses the header: the texts carry a halo.
    el(g, 'text', { class: 'label frame-text', x: 26, y: 17 }, fitText(n.label, w - 26 - PAD - numsW - 8, CW_LABEL));
    el(g, 'text', { class: 'nums frame-text', x: w - PAD, y: 17, 'text-anchor': 'end' }, nums);
    const shape = shapeText(n);
    el(g, 'text', { class: 'sub frame-text', x: 26, y: 31 }, fitText(n.sub, w - 26 - PAD - shape.length * CW_MONO - 8, CW_SUB));
    el(g, 'text', { class: 'shape frame-text', x: w - PAD, y: 31, 'text-anchor': 'end' }, shape);
    badges(g, n, w);
    return;
  }

  const rowsH = ln.rows.length ? ln.rows.length * ROW_H + ROWS_PAD : 0;
  const baseH = h - rowsH;
  const lx = ln.expandable ? 26 : PAD;
  if (ln.expandable) chevron(g, 14, ln.kind === 'stage' ? 16 : 14, ln.expanded);

  if (pill) {
    el(g, 'text', { class: 'label', x: w / 2, y: 17, 'text-anchor': 'middle' }, fitText(n.label, w - 2 * PAD, CW_LABEL));
    el(g, 'text', { class: 'sub', x: w / 2, y: 33, 'text-anchor': 'middle' }, fitText(n.sub, w - 2 * PAD, CW_SUB));
  } else if (ln.kind === 'downsample') {
    const macs = n.macs !== null ? `${formatCount(n.macs)} MACs` : '';
    el(g, 'text', { class: 'nums', x: w - PAD + 2, y: 18, 'text-anchor': 'end' }, macs);
    el(g, 'text', { class: 'label', x: lx, y: 18 }, fitText(n.label, w - lx - PAD - macs.length * CW_MONO - 4, CW_LABEL));
    el(g, 'text', { class: 'sub', x: PAD - 3, y: 36 }, fitText(n.sub, w - 2 * PAD + 6, CW_SMALL_SANS));
  } else {
    const stage = ln.kind === 'stage';
    const y1 = stage ? 20 : 18;
    const y2 = stage ? 38 : 34;
    const y3 = stage ? 56 : 50;
    const shape = shapeText(n);
    el(g, 'text', { class: 'label', x: lx, y: y1 }, fitText(n.label, w - lx - PAD - (n.diag.error && n.diag.warning ? 44 : n.diag.error || n.diag.warning ? 22 : 0), CW_LABEL));
    el(g, 'text', { class: 'sub', x: PAD, y: y2 }, fitText(n.sub, w - 2 * PAD, CW_SUB));
    if (n.problem && !shape) {
      el(g, 'text', { class: 'problem-text', x: PAD, y: y3 }, fitText(`✖ ${n.problem}`, w - 2 * PAD, CW_SUB));
    } else {
      const shapeW = shape.length * CW_MONO;
      el(g, 'text', { class: 'nums', x: PAD, y: y3 }, fitText(numbersLine(n), w - 2 * PAD - shapeW - 8, CW_MONO));
      el(g, 'text', { class: 'shape', x: w - PAD, y: y3, 'text-anchor': 'end' }, shape);
    }
  }

  if (ln.rows.length) {
    el(g, 'rect', { class: 'rows-bg', x: 1, y: baseH, width: w - 2, height: rowsH - 1, rx: 4 });
    el(g, 'line', { class: 'row-sep', x1: 0, y1: baseH, x2: w, y2: baseH });
    ln.rows.forEach((c, i) => {
      const y = baseH + ROWS_PAD / 2 + i * ROW_H + 13;
      const t = el(g, 'text', { class: c.problem ? 'row problem' : 'row', x: PAD, y });
      el(t, 'tspan', { class: 'rn' }, fitText(c.name, ROW_NAME_W - 2, CW_ROW));
      el(t, 'tspan', { x: PAD + ROW_NAME_W }, fitText(c.problem ? `✖ ${c.problem}` : convSpec(c), w - PAD - ROW_NAME_W - 52, CW_ROW));
      el(g, 'text', { class: 'row', x: w - PAD, y, 'text-anchor': 'end' }, c.macs !== null ? formatCount(c.macs) : '?');
      const tt = el(t, 'title', {});
      tt.textContent = `${c.id}: ${convSpec(c)} · out ${formatShape(c.outShape)} · ${c.params ?? '?'} params · ${formatCount(c.macs)} MACs${c.problem ? `\n✖ ${c.problem}` : ''}`;
    });
  }
  badges(g, n, w);
}

/** Everything buildNode draws from, as a string: equal keys draw the same content. */
function contentKey(n: GraphNode, ln: LaidNode): string {
  let k = `${n.label}|${n.sub}|${n.op ?? ''}|${n.params}|${n.macs}|${n.activationBytes}|${n.timeMs}|${n.outShape?.join('x') ?? ''}|${n.outStride}|${n.problem ?? ''}|${n.diag.error},${n.diag.warning},${n.diag.info},${n.diag.hint}|${n.diag.messages.join('\n')}|${n.diff ? `${n.diff.status}:${n.diff.was.join('\n')}` : ''}`;
  for (const c of ln.rows) k += `|${c.id},${c.name},${c.cin},${c.cout},${c.k},${c.stride},${c.groups},${c.outShape?.join('x') ?? ''},${c.params},${c.macs},${c.problem ?? ''}`;
  return k;
}

function nodeClass(ln: LaidNode, n: GraphNode | undefined, s: DrawState, unknown: boolean): string {
  let c = `node kind-${ln.kind}`;
  if (ln.container) c += ' container';
  if (ln.expandable) c += ' expandable';
  if (ln.expanded) c += ' expanded';
  if (unknown) c += ' unknown';
  if (n?.problem) c += ' problem';
  if (n && n.diag.error > 0) c += ' has-error';
  if (n && n.diag.warning > 0) c += ' has-warning';
  if (s.selected === ln.id) c += ' selected';
  if (s.highlighted === ln.id) c += ' highlighted';
  if (s.matches.has(ln.id)) c += ' match';
  if (s.currentMatch === ln.id) c += ' current-match';
  if (n?.diff) c += ` diff-${n.diff.status}`;
  return c;
}

function edgeTitle(e: LaidEdge, s: DrawState): string {
  const from = s.byId.get(e.from)?.label ?? e.from;
  const to = s.byId.get(e.to)?.label ?? e.to;
  const lines = [`${e.kind}: ${from} → ${to}`];
  if (e.label) lines.push(e.label);
  if (e.edges.length > 1) lines.push(`${e.edges.length} connections`);
  if (e.problem) lines.push(`✖ ${e.problem}`);
  return lines.join('\n');
}

export class GraphRenderer {
  readonly svg: SVGSVGElement;
  readonly viewport: SVGGElement;
  private readonly containers: SVGGElement;
  private readonly edges: SVGGElement;
  private readonly nodes: SVGGElement;
  private readonly labels: SVGGElement;
  private drawn = new Set<string>();

  constructor(svg: SVGSVGElement, css: string) {
    this.svg = svg;
    const root = select(svg);
    root.selectAll('*').remove();
    root.append('style').text(css);
    const defs = root.append('defs');
    for (const k of ['flow', 'emit', 'fusion', 'problem']) {
      defs
        .append('marker')
        .attr('id', `arrow-${k}`)
        .attr('viewBox', '0 0 10 10')
        .attr('refX', 9)
        .attr('refY', 5)
        .attr('markerUnits', 'userSpaceOnUse')
        .attr('markerWidth', 8)
        .attr('markerHeight', 8)
        .attr('orient', 'auto-start-reverse')
        .append('path')
        .attr('class', `arrow-${k}`)
        .attr('d', 'M0,0.5 L10,5 L0,9.5 Z');
    }
    this.viewport = root.append('g').attr('class', 'viewport').node() as SVGGElement;
    const vp = select(this.viewport);
    this.containers = vp.append('g').attr('class', 'layer-containers').node() as SVGGElement;
    this.edges = vp.append('g').attr('class', 'layer-edges').node() as SVGGElement;
    this.labels = vp.append('g').attr('class', 'layer-edge-labels').node() as SVGGElement;
    this.nodes = vp.append('g').attr('class', 'layer-nodes').node() as SVGGElement;
  }

  nodeElement(id: string): SVGGElement | null {
    return this.svg.querySelector(`g.node[data-id="${cssEscape(id)}"]`);
  }

  /** Draws the whole layout (keyed: existing nodes are moved and updated, not recreated). */
  render(s: DrawState): void {
    const containers = s.layout.nodes.filter((n) => n.container);
    const plain = s.layout.nodes.filter((n) => !n.container);
    // Many new nodes (expand all, a first big model) are built on a detached tree (no style invalidation
    // per inserted element), then reattached. Not for updates that change little: reattaching restyles all.
    let fresh = 0;
    for (const n of s.layout.nodes) if (!this.drawn.has(n.id)) fresh++;
    this.drawn = new Set(s.layout.nodes.map((n) => n.id));
    const big = fresh > 200 && !s.animate;
    const focused = big && this.viewport.contains(document.activeElement) ? (document.activeElement as Element).closest('g.node')?.getAttribute('data-id') : null;
    const anchor = this.viewport.nextSibling;
    if (big) this.viewport.remove();
    try {
      this.renderNodes(this.containers, containers, s);
      this.renderNodes(this.nodes, plain, s);
      this.renderEdges(s);
    } finally {
      if (big) {
        this.svg.insertBefore(this.viewport, anchor);
        if (focused) (this.nodeElement(focused) as SVGGElement | null)?.focus({ preventScroll: true });
      }
    }
  }

  private renderNodes(layer: SVGGElement, list: LaidNode[], s: DrawState): void {
    const sel = select(layer)
      .selectAll<SVGGElement, LaidNode>(':scope > g.node')
      .data(list, (d) => d.id)
      .join(
        (enter) =>
          enter
            .append('g')
            .attr('data-id', (d) => d.id)
            .attr('transform', (d) => `translate(${d.x},${d.y})`)
            .attr('role', 'treeitem')
            .style('opacity', () => (s.animate ? 0 : null)),
        (update) => update,
        (exit) => exit.remove(),
      );
    sel.each(function (ln) {
      const g = this as NodeEl;
      const n = s.byId.get(ln.id);
      if (!n) return;
      const v = measureValue(n, s.measure);
      const neutral = ln.kind === 'input' || ln.kind === 'output' || ln.container;
      const unknown = !neutral && v === null;
      setAttr(g, 'class', nodeClass(ln, n, s, unknown));
      setAttr(g, 'tabindex', s.focusId === ln.id ? '0' : '-1');
      setAttr(g, 'aria-label', ariaLabel(ln, n, s.measure));
      setAttr(g, 'aria-expanded', ln.expandable ? String(ln.expanded) : null);
      setAttr(g, 'aria-selected', String(s.selected === ln.id));
      // Rebuild the content only when what it shows changed (an edit usually changes a few nodes).
      const geom = `${ln.w}|${ln.h}|${ln.expanded}|${ln.container}|${ln.expandable}|${contentKey(n, ln)}`;
      if (g.__geom !== geom) {
        buildNode(g, ln, n);
        g.__geom = geom;
      }
      const box = g.querySelector(':scope > rect.box');
      if (box) setAttr(box, 'fill', !neutral && v !== null ? s.ramp[rampIndex(s.scale(v), s.ramp.length)] : null);
    });
    const place = (d: LaidNode) => `translate(${d.x},${d.y})`;
    if (s.animate) {
      sel.transition().duration(220).attr('transform', place).style('opacity', 1);
    } else {
      sel.interrupt().each(function (d) {
        setAttr(this, 'transform', place(d));
        if (this.style.opacity) this.style.removeProperty('opacity');
      });
    }
  }

  private renderEdges(s: DrawState): void {
    const sel = select(this.edges)
      .selectAll<SVGGElement, LaidEdge>(':scope > g.edge')
      .data(s.layout.edges, (d) => d.id)
      .join(
        (enter) => {
          const g = enter.append('g').attr('data-id', (d) => d.id);
          g.append('title');
          g.append('path').attr('class', 'hit');
          g.append('path').attr('class', 'line');
          return g;
        },
        (update) => update,
        (exit) => exit.remove(),
      );
    const active = s.selected;
    const cls = (d: LaidEdge) => `kind-${d.kind}${d.problem ? ' problem' : ''}${active && (d.from === active || d.to === active) ? ' active' : ''}`;
    const hits = s.layout.edges.length <= 400;
    sel.each(function (d) {
      setAttr(this, 'class', `edge ${cls(d)}`);
      const title = this.firstElementChild as SVGTitleElement;
      const t = edgeTitle(d, s);
      if (title.textContent !== t) title.textContent = t;
      const path = roundedPath(d.points, 10);
      const hit = this.querySelector(':scope > path.hit');
      // A wide transparent stroke for the tooltip; left out on big graphs (one element less per edge).
      if (hit) setAttr(hit, 'd', hits ? path : null);
      const line = this.querySelector(':scope > path.line');
      if (line) {
        setAttr(line, 'd', path);
        setAttr(line, 'marker-end', `url(#arrow-${d.problem ? 'problem' : d.kind})`);
      }
    });

    // Labels in their own layer above every line (a line never crosses out a label), one per edge.
    const pos = labelPositions(s.layout);
    const labels = select(this.labels)
      .selectAll<SVGTextElement, LaidEdge>(':scope > text.edge-label')
      .data(s.layout.edges, (d) => d.id)
      .join(
        (enter) => enter.append('text'),
        (update) => update,
        (exit) => exit.remove(),
      );
    labels.each(function (d) {
      const p = pos.get(d.id);
      setAttr(this, 'class', `edge-label ${cls(d)}`);
      setAttr(this, 'data-edge', d.id);
      setAttr(this, 'x', String(p?.[0] ?? d.labelAt[0]));
      setAttr(this, 'y', String(p?.[1] ?? d.labelAt[1]));
      setAttr(this, 'text-anchor', d.kind === 'emit' ? 'middle' : 'start');
      const text = p ? d.label : '';
      if (this.textContent !== text) this.textContent = text;
    });
    if (s.animate) {
      sel.style('opacity', 0).transition().delay(120).duration(200).style('opacity', 1);
      labels.style('opacity', 0).transition().delay(120).duration(200).style('opacity', 1);
    } else {
      sel.interrupt();
      labels.interrupt();
      for (const e of [...sel.nodes(), ...labels.nodes()]) if (e.style.opacity) e.style.removeProperty('opacity');
    }
  }

  /** Ends running transitions at their end state (before an export). */
  finishTransitions(): void {
    const place = (d: LaidNode) => `translate(${d.x},${d.y})`;
    select(this.svg).selectAll<SVGGElement, LaidNode>('g.node').interrupt().attr('transform', place).style('opacity', null);
    select(this.svg).selectAll<SVGGElement, LaidEdge>('g.edge, text.edge-label').interrupt().style('opacity', null);
  }

  /** Cheap update of the state classes only (selection, highlight, matches), no re-layout. */
  updateClasses(s: Pick<DrawState, 'selected' | 'highlighted' | 'matches' | 'currentMatch' | 'focusId'>): void {
    for (const g of this.svg.querySelectorAll<SVGGElement>('g.node')) {
      const id = g.getAttribute('data-id') ?? '';
      g.classList.toggle('selected', s.selected === id);
      g.classList.toggle('highlighted', s.highlighted === id);
      g.classList.toggle('match', s.matches.has(id));
      g.classList.toggle('current-match', s.currentMatch === id);
      g.setAttribute('tabindex', s.focusId === id ? '0' : '-1');
      g.setAttribute('aria-selected', String(s.selected === id));
    }
    for (const g of this.svg.querySelectorAll<SVGGElement>('g.edge')) {
      const d = select<SVGGElement, LaidEdge>(g).datum();
      g.classList.toggle('active', !!s.selected && !!d && (d.from === s.selected || d.to === s.selected));
    }
    for (const t of this.svg.querySelectorAll<SVGTextElement>('text.edge-label')) {
      const d = select<SVGTextElement, LaidEdge>(t).datum();
      t.classList.toggle('active', !!s.selected && !!d && (d.from === s.selected || d.to === s.selected));
    }
  }
}

function ariaLabel(ln: LaidNode, n: GraphNode, m: Measure): string {
  const parts = [n.label];
  if (n.sub) parts.push(n.sub);
  const v = measureValue(n, m);
  if (v !== null) parts.push(`${MEASURE_LABEL[m]} ${formatMeasure(v, m)}`);
  if (n.outShape) parts.push(`output ${formatShape(n.outShape)}`);
  if (n.diag.error) parts.push(`${n.diag.error} error${n.diag.error > 1 ? 's' : ''}`);
  if (n.diag.warning) parts.push(`${n.diag.warning} warning${n.diag.warning > 1 ? 's' : ''}`);
  if (n.diag.info) parts.push(`${n.diag.info} info`);
  if (n.diag.hint) parts.push(`${n.diag.hint} hint${n.diag.hint > 1 ? 's' : ''}`);
  if (n.problem) parts.push(`cannot build: ${n.problem}`);
  if (ln.expandable) parts.push(ln.expanded ? 'expanded' : 'collapsed');
  return parts.join(', ');
}

export function cssEscape(s: string): string {
  return typeof CSS !== 'undefined' && CSS.escape ? CSS.escape(s) : s.replace(/["\\]/g, '\\$&');
}

export type { Selection };
