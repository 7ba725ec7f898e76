/** Export and copy: the picture as a standalone SVG (title, totals, legend) or PNG, posted to the host. */
import type { GraphModel, Layout } from '../extension/core/graph/types';
import { legendStops } from './draw';
import { renderer, svg } from './dom';
import { exportHeadHeight, serializeSvg, svgToPngBase64 } from './exportSvg';
import { formatCount, formatMeasure, formatShape, MEASURE_LABEL } from './format';
import { GRAPH_CSS } from './graphStyle';
import { post, state } from './state';

function exportInput() {
  const m = state.model as GraphModel;
  const { measure, domainMax } = state;
  const t = m.totals;
  const sub = [
    `${t.params !== null ? formatCount(t.params) : '?'} params`,
    `${t.macs !== null ? formatCount(t.macs) : '?'} MACs`,
    `${t.stages} stages · ${t.blocks} blocks`,
    `input ${formatShape(t.input)}`,
    t.target,
  ]
    .filter(Boolean)
    .join(' · ');
  return {
    svg,
    css: GRAPH_CSS,
    model: m,
    layout: state.layout as Layout,
    measure,
    title: m.fileName,
    subtitle: sub,
    legend: domainMax > 0 ? { caption: `${MEASURE_LABEL[measure]} per node (√ scale)`, colours: legendStops(), min: formatMeasure(0, measure), max: formatMeasure(domainMax, measure) } : null,
    diff: m.diff ? { base: m.diff.base, summary: m.diff.summary } : null,
  };
}

function currentSvg(): string | null {
  if (!state.model || !state.layout) return null;
  renderer.finishTransitions();
  return serializeSvg(exportInput());
}

export function exportSvg(): void {
  const s = currentSvg();
  if (s) post({ type: 'export', format: 'svg', data: s });
}

export function copySvg(): void {
  const s = currentSvg();
  if (s) post({ type: 'copy', svg: s });
}

export async function exportPng(): Promise<void> {
  const s = currentSvg();
  const layout = state.layout;
  if (!s || !layout) return;
  try {
    // The picture's own size (the head may make it wider than the graph).
    const size = /<svg[^>]*\swidth="(\d+)"[^>]*\sheight="(\d+)"/.exec(s);
    const data = await svgToPngBase64(s, size ? Number(size[1]) : Math.ceil(layout.width), size ? Number(size[2]) : Math.ceil(layout.height) + exportHeadHeight(!!state.model?.diff));
    post({ type: 'export', format: 'png', data });
  } catch (e) {
    post({ type: 'error', message: `PNG export failed: ${e instanceof Error ? e.message : String(e)}` });
  }
}
