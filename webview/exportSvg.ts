/**
 * Standalone SVG (and PNG) of the current picture: the whole graph (not just what the viewport shows),
 * with the theme's colours resolved to concrete values so the file renders outside VS Code.
 */
import type { GraphModel, Layout, Measure } from '../extension/core/graph/types';
import { cssVarNames, escapeXml, resolveCssVars } from './format';

const SVG_NS = 'http://www.w3.org/2000/svg';
export const EXPORT_HEAD = 58;

export interface ExportInput {
  svg: SVGSVGElement;
  css: string;
  model: GraphModel;
  layout: Layout;
  measure: Measure;
  /** Title lines: file name and totals. */
  title: string;
  subtitle: string;
  /** Legend: caption, gradient colours (low → high), min/max labels. */
  legend: { caption: string; colours: readonly string[]; min: string; max: string } | null;
  /** Diff mode: what the picture is compared with, and its summary (the outlines' key joins the head). */
  diff: { base: string; summary: string } | null;
}

/** The height of the exported head (title, totals, legend; a line more for the diff key). */
export function exportHeadHeight(diff: boolean): number {
  return EXPORT_HEAD + (diff ? DIFF_LINE : 0);
}
const DIFF_LINE = 20;

/** The value of each CSS custom property the style sheet uses, as the theme sets it now. */
function themeVars(css: string): Map<string, string> {
  const cs = getComputedStyle(document.documentElement);
  const bs = getComputedStyle(document.body);
  const out = new Map<string, string>();
  for (const name of cssVarNames(css)) {
    const v = cs.getPropertyValue(name).trim() || bs.getPropertyValue(name).trim();
    if (v) out.set(name, v);
  }
  return out;
}

export function serializeSvg(inp: ExportInput): string {
  const vars = themeVars(inp.css + 'var(--vscode-editor-background)var(--vscode-foreground)');
  const resolve = (css: string) => resolveCssVars(css, (n) => vars.get(n));
  // Wide enough for the head: the totals left of the legend, and the diff key's line, as the webview's font sets them.
  const sub = textWidth(inp.subtitle, 11) + (inp.legend ? 24 + LEGEND_W : 0);
  const W = Math.ceil(Math.max(inp.layout.width, 24 + Math.max(textWidth(inp.title, 14, 600), sub, inp.diff ? 96 + textWidth(diffText(inp.diff), 11) : 0) + 24));
  const headH = exportHeadHeight(!!inp.diff);
  const H = Math.ceil(inp.layout.height) + headH;
  const clone = inp.svg.cloneNode(true) as SVGSVGElement;
  clone.removeAttribute('id');
  clone.removeAttribute('style');
  clone.removeAttribute('tabindex');
  clone.removeAttribute('aria-label');
  clone.removeAttribute('role');
  clone.setAttribute('xmlns', SVG_NS);
  clone.setAttribute('class', 'mvg-graph');
  clone.setAttribute('width', String(W));
  clone.setAttribute('height', String(H));
  clone.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const style = clone.querySelector('style');
  if (style) style.textContent = resolve(inp.css);
  for (const e of clone.querySelectorAll('[tabindex]')) e.removeAttribute('tabindex');
  for (const e of clone.querySelectorAll<SVGElement>('[style]')) {
    e.style.removeProperty('opacity');
    if (!e.getAttribute('style')) e.removeAttribute('style');
  }
  for (const e of clone.querySelectorAll('.focused')) e.classList.remove('focused');
  const vp = clone.querySelector('g.viewport');
  if (vp) vp.setAttribute('transform', `translate(0,${headH})`);

  const bg = vars.get('--vscode-editor-background') ?? '#ffffff';
  const fg = vars.get('--vscode-foreground') ?? '#333333';
  const head = document.createElementNS(SVG_NS, 'g');
  head.setAttribute('class', 'export-head');
  head.innerHTML =
    `<rect x="0" y="0" width="${W}" height="${H}" fill="${escapeXml(bg)}"/>` +
    `<text class="export-title" x="24" y="24">${escapeXml(inp.title)}</text>` +
    `<text class="export-sub" x="24" y="42">${escapeXml(inp.subtitle)}</text>` +
    legendSvg(inp, W, fg) +
    diffKeySvg(inp);
  clone.insertBefore(head, clone.querySelector('g.viewport'));
  const xml = new XMLSerializer().serializeToString(clone);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${xml}\n`;
}

const LEGEND_W = 160;

let measureCtx: CanvasRenderingContext2D | null | undefined;
/** The width of a line of text in the webview's font (an estimate of 0.6 em a character where no canvas answers). */
function textWidth(text: string, px: number, weight = 400): number {
  measureCtx ??= document.createElement('canvas').getContext('2d');
  if (!measureCtx) return text.length * px * 0.6;
  measureCtx.font = `${weight} ${px}px ${getComputedStyle(document.body).fontFamily || 'sans-serif'}`;
  return Math.ceil(measureCtx.measureText(text).width);
}

function diffText(d: { base: string; summary: string }): string {
  return `changed vs ${d.base}: ${d.summary}`;
}

function legendSvg(inp: ExportInput, W: number, fg: string): string {
  const l = inp.legend;
  if (!l || l.colours.length === 0) return '';
  const w = LEGEND_W;
  const x = W - 24 - w;
  const stops = l.colours.map((c, i) => `<stop offset="${(i / Math.max(1, l.colours.length - 1)).toFixed(3)}" stop-color="${escapeXml(c)}"/>`).join('');
  return (
    `<defs><linearGradient id="mvg-legend-grad" x1="0" x2="1" y1="0" y2="0">${stops}</linearGradient></defs>` +
    `<text class="export-sub" x="${x}" y="18">${escapeXml(l.caption)}</text>` +
    `<rect x="${x}" y="24" width="${w}" height="10" rx="2" fill="url(#mvg-legend-grad)" stroke="${escapeXml(fg)}" stroke-opacity="0.3"/>` +
    `<text class="export-sub" x="${x}" y="47">${escapeXml(l.min)}</text>` +
    `<text class="export-sub" x="${x + w}" y="47" text-anchor="end">${escapeXml(l.max)}</text>`
  );
}

/**
 * Diff mode's key under the totals: a solid outline for an added node, a dashed one for a changed node (the same
 * classes as the nodes', so the same colours), then what the picture is compared with and the summary.
 */
function diffKeySvg(inp: ExportInput): string {
  const d = inp.diff;
  if (!d) return '';
  const y = EXPORT_HEAD + 2;
  const swatch = (x: number, cls: string) => `<g class="node ${cls}"><rect class="box" x="${x}" y="${y - 9}" width="18" height="10" rx="2" fill="none"/></g>`;
  return (
    `<g class="export-diff-key">` +
    swatch(24, 'diff-added') +
    `<text class="export-sub" x="48" y="${y}">added</text>` +
    swatch(96, 'diff-changed') +
    `<text class="export-sub" x="120" y="${y}">${escapeXml(diffText(d))}</text>` +
    `</g>`
  );
}

/** Renders an SVG string to a PNG (base64, without the data: prefix) through a blob: image and a canvas. */
export async function svgToPngBase64(svgText: string, width: number, height: number): Promise<string> {
  // 2× for sharp text, limited so the canvas stays within what browsers allocate.
  const maxSide = 16000;
  const maxArea = 40e6;
  let scale = 2;
  scale = Math.min(scale, maxSide / width, maxSide / height, Math.sqrt(maxArea / (width * height)));
  scale = Math.max(scale, 0.05);
  const blob = new Blob([svgText], { type: 'image/svg+xml' });
  const url = URL.createObjectURL(blob);
  try {
    const img = new Image();
    img.decoding = 'async';
    const loaded = new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the SVG could not be drawn as an image'));
    });
    img.src = url;
    await loaded;
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    const dataUrl = canvas.toDataURL('image/png');
    const comma = dataUrl.indexOf(',');
    return dataUrl.slice(comma + 1);
  } finally {
    URL.revokeObjectURL(url);
  }
}
