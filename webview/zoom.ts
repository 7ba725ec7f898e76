/** Zoom and pan (d3-zoom on svg#graph): fit, 100%, zoom steps and panning a node into view. */
import { select } from 'd3-selection';
import { zoom, zoomIdentity, zoomTransform, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';
import 'd3-transition';
import { reducedMotion, renderer, svg } from './dom';
import { saveSoon } from './persist';
import { fitView, initialView } from './readable';
import { state } from './state';

const zoomer: ZoomBehavior<SVGSVGElement, unknown> = zoom<SVGSVGElement, unknown>()
  .scaleExtent([0.02, 4])
  .on('zoom', (ev: { transform: ZoomTransform }) => {
    renderer.viewport.setAttribute('transform', ev.transform.toString());
    saveSoon();
  });

/** Wheel, drag and pinch on the picture (double click toggles nodes instead of zooming). */
export function bindZoom(): void {
  select(svg).call(zoomer).on('dblclick.zoom', null);
}

function size(): { w: number; h: number } {
  const r = svg.getBoundingClientRect();
  return { w: r.width || 800, h: r.height || 600 };
}

export function setTransform(t: ZoomTransform, animate: boolean): void {
  const s = select(svg);
  if (animate && !reducedMotion()) s.transition().duration(250).call(zoomer.transform, t);
  else s.call(zoomer.transform, t);
}

function view(pick: typeof fitView): ZoomTransform {
  const { w, h } = size();
  const v = pick(w, h, state.layout?.width ?? 1, state.layout?.height ?? 1);
  return zoomIdentity.translate(v.x, v.y).scale(v.k);
}

/** First view of a model: the fit when its node text stays readable (readable.ts), else that scale from the top. */
export function initialTransform(): ZoomTransform {
  return view(initialView);
}

export function fit(): void {
  setTransform(view(fitView), true);
}

export function resetZoom(): void {
  const { w } = size();
  const lw = state.layout?.width ?? 1;
  setTransform(zoomIdentity.translate(Math.max(0, (w - lw) / 2), 0), true);
}

/** Pans (never zooms) so the node is in view; no-op when it already is. */
export function panTo(id: string, animate = true): void {
  const ln = state.laid.get(id);
  if (!ln) return;
  const t = zoomTransform(svg);
  const { w, h } = size();
  const x0 = t.applyX(ln.x);
  const y0 = t.applyY(ln.y);
  const x1 = t.applyX(ln.x + ln.w);
  const y1 = t.applyY(ln.y + Math.min(ln.h, 120));
  const m = 16;
  if (x0 >= m && y0 >= m && x1 <= w - m && y1 <= h - m) return;
  const cx = ln.x + ln.w / 2;
  const cy = ln.y + Math.min(ln.h, h / t.k) / 2;
  setTransform(zoomIdentity.translate(w / 2 - cx * t.k, h / 2 - cy * t.k).scale(t.k), animate);
}

export function zoomBy(f: number): void {
  select(svg).transition().duration(reducedMotion() ? 0 : 180).call(zoomer.scaleBy, f);
}
