/**
 * Node text stays readable at the first view of a model (issue 13, point 12): the smallest text inside a node is
 * NODE_FONT_MIN layout units (graphStyle.ts), and the first view never scales it below MIN_SCREEN_FONT_PX on screen.
 * When the whole picture fits at that scale the first view fits it; otherwise it shows the top of the spine at the
 * readable scale (pan, or "Fit to view", for the rest). Pure, so the unit tests run it.
 */
import { NODE_FONT_MIN } from './graphStyle';

/** The smallest on-screen size (CSS px) of node text in the first view of a model. */
export const MIN_SCREEN_FONT_PX = 10;

/** The lowest zoom at which every node text is at least MIN_SCREEN_FONT_PX. */
export const READABLE_SCALE = MIN_SCREEN_FONT_PX / NODE_FONT_MIN;

/** Zoom and pan: screen = layout × k + (x, y). */
export interface View {
  k: number;
  x: number;
  y: number;
}

/** The whole picture in a w×h canvas (a small margin round it), centred; never above 150 %. */
export function fitView(w: number, h: number, lw: number, lh: number): View {
  const k = Math.max(0.02, Math.min(1.5, Math.min(w / lw, h / lh) * 0.96));
  return { k, x: (w - lw * k) / 2, y: Math.max(0, (h - lh * k) / 2) };
}

/** The first view of a model: the fit when its text is readable there, else the readable scale from the top. */
export function initialView(w: number, h: number, lw: number, lh: number): View {
  const fit = fitView(w, h, lw, lh);
  if (fit.k >= READABLE_SCALE) return fit;
  const k = READABLE_SCALE;
  // Centred when the width fits; else from the left, where the spine (input, stem, stages, head) is.
  return { k, x: lw * k <= w ? (w - lw * k) / 2 : 0, y: 0 };
}
