/**
 * Pure colour helpers of the graph webview: parse theme colours, blend a heat palette into the editor
 * background, and keep the node text readable (WCAG contrast) in light, dark and high-contrast themes.
 * No DOM and no d3 here, so the unit tests can import it in Node.
 */

export interface RGBA {
  r: number;
  g: number;
  b: number;
  a: number;
}

/** Parses "#rgb", "#rgba", "#rrggbb", "#rrggbbaa", "rgb(…)", "rgba(…)"; null when not understood. */
export function parseColor(s: string | null | undefined): RGBA | null {
  if (!s) return null;
  const t = s.trim().toLowerCase();
  let m = /^#([0-9a-f]{3,8})$/.exec(t);
  if (m) {
    const h = m[1];
    if (h.length === 3 || h.length === 4) {
      const v = [...h].map((c) => parseInt(c + c, 16));
      return { r: v[0], g: v[1], b: v[2], a: h.length === 4 ? v[3] / 255 : 1 };
    }
    if (h.length === 6 || h.length === 8) {
      const v = [0, 2, 4, 6].map((i) => parseInt(h.slice(i, i + 2), 16));
      return { r: v[0], g: v[1], b: v[2], a: h.length === 8 ? v[3] / 255 : 1 };
    }
    return null;
  }
  m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)$/.exec(t);
  if (m) {
    let a = 1;
    if (m[4] !== undefined) a = m[4].endsWith('%') ? parseFloat(m[4]) / 100 : parseFloat(m[4]);
    return { r: +m[1], g: +m[2], b: +m[3], a: clamp01(a) };
  }
  if (t === 'white') return { r: 255, g: 255, b: 255, a: 1 };
  if (t === 'black') return { r: 0, g: 0, b: 0, a: 1 };
  return null;
}

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

export function toHex(c: RGBA): string {
  const h = (x: number) => Math.round(Math.max(0, Math.min(255, x))).toString(16).padStart(2, '0');
  return `#${h(c.r)}${h(c.g)}${h(c.b)}`;
}

/** a·(1−t) + b·t, opaque. */
export function mix(a: RGBA, b: RGBA, t: number): RGBA {
  const u = clamp01(t);
  return { r: a.r + (b.r - a.r) * u, g: a.g + (b.g - a.g) * u, b: a.b + (b.b - a.b) * u, a: 1 };
}

/** A translucent colour flattened onto an opaque background. */
export function flatten(c: RGBA, bg: RGBA): RGBA {
  return mix(bg, { ...c, a: 1 }, c.a);
}

export function luminance(c: RGBA): number {
  const ch = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b);
}

/** WCAG contrast ratio (1..21). */
export function contrast(a: RGBA, b: RGBA): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/**
 * A sequential heat palette: ColorBrewer OrRd (d3-scale-chromatic's schemeOrRd[9]) without its darkest
 * stops, so the costliest node is the brightest red in dark themes too (blending the darkest reds into a
 * dark background would make the most expensive node the least visible).
 */
export const HEAT_STOPS = ['#fdd49e', '#fdbb84', '#fc8d59', '#ef6548', '#d7301f'];

/** The palette at t in 0..1, linear between stops. */
export function heat(t: number, stops: readonly string[] = HEAT_STOPS): RGBA {
  const cs = stops.map((s) => parseColor(s) as RGBA);
  const x = clamp01(t) * (cs.length - 1);
  const i = Math.min(cs.length - 2, Math.floor(x));
  return mix(cs[i], cs[i + 1], x - i);
}

export interface ThemeColors {
  background: string;
  foreground: string;
}

/** Minimum contrast of node text on a node's fill (WCAG AA for normal text). */
export const MIN_TEXT_CONTRAST = 4.5;

/** The contrast the fills keep: AA, or 85% of the theme's own text contrast when that is lower. */
export function minTextContrast(themeContrast: number): number {
  return Math.min(MIN_TEXT_CONTRAST, themeContrast * 0.85);
}

/**
 * The fill ramp of nodes for a theme: t in 0..1 → an opaque colour, the heat palette blended into the
 * editor background, as strong as it can be while the foreground text keeps MIN_TEXT_CONTRAST
 * (so dark themes get deep reds, light themes pastel ones, high contrast stays black/white enough).
 * Returns `steps` colours (index round(t·(steps−1))).
 */
export function fillRamp(theme: ThemeColors, steps = 32, stops: readonly string[] = HEAT_STOPS): string[] {
  const bg = flattenOr(parseColor(theme.background), { r: 30, g: 30, b: 30, a: 1 });
  const fg = flatten(parseColor(theme.foreground) ?? (luminance(bg) > 0.4 ? { r: 0, g: 0, b: 0, a: 1 } : { r: 255, g: 255, b: 255, a: 1 }), bg);
  const out: string[] = [];
  // t=0 still shows a faint tint, so a node with a known zero cost is told from the background.
  // A theme whose own text contrast is low (Solarized Light: 4.1) gets some room below it, else no colour fits.
  const base = minTextContrast(contrast(fg, bg));
  for (let i = 0; i < steps; i++) {
    const t = steps === 1 ? 1 : i / (steps - 1);
    const h = heat(t, stops);
    const want = 0.1 + 0.62 * t;
    // Largest alpha ≤ want keeping the text readable (contrast falls monotonically towards the heat colour
    // only in the common case; search from `want` down).
    // (Checked on the colour as written, rounded to 8 bits a channel.)
    let a = want;
    let hex = toHex(mix(bg, h, a));
    while (a > 0 && contrast(fg, parseColor(hex) as RGBA) < base) {
      a = Math.max(0, a - 0.02);
      hex = toHex(mix(bg, h, a));
    }
    out.push(hex);
  }
  return out;
}

function flattenOr(c: RGBA | null, d: RGBA): RGBA {
  if (!c) return d;
  return c.a < 1 ? flatten(c, d) : c;
}

/** Index into a ramp of `n` colours for t in 0..1. */
export function rampIndex(t: number, n: number): number {
  if (!Number.isFinite(t)) return 0;
  return Math.round(clamp01(t) * (n - 1));
}
