/** The test probe (`probe` message): optional clicks, measure and find, then a report of what the DOM shows. */
import { zoomTransform } from 'd3-zoom';
import { isMeasure, type DomReport, type HostMessage, type Measure } from '../extension/core/graph/types';
import { setMeasure } from './draw';
import { $, renderer, svg } from './dom';
import { findFirst } from './find';
import { post, state } from './state';

export async function probe(msg: Extract<HostMessage, { type: 'probe' }>): Promise<void> {
  const a = msg.action;
  if (a) {
    const fire = (id: string | undefined, type: 'click' | 'dblclick') => {
      if (typeof id !== 'string') return;
      const g = renderer.nodeElement(id);
      const target = g?.querySelector('rect.box') ?? g;
      target?.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, view: window, detail: type === 'dblclick' ? 2 : 1 }));
    };
    fire(a.click, 'click');
    fire(a.dblclick, 'dblclick');
    if (isMeasure(a.measure)) setMeasure(a.measure);
    if (typeof a.find === 'string') findFirst(a.find);
  }
  post({ type: 'probeResult', id: msg.id, report: report() });
}

function report(): DomReport {
  const q = (s: string) => svg.querySelectorAll(s);
  const ids = (s: string) => [...q(s)].map((e) => e.getAttribute('data-id') ?? '');
  const titles: Record<string, string> = {};
  for (const g of q('g.node')) {
    const t = g.querySelector(':scope > title');
    titles[g.getAttribute('data-id') ?? ''] = t?.textContent ?? '';
  }
  const banner = $('#stale-banner');
  const t = zoomTransform(svg);
  const norm = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
  return {
    stageNodes: q('g.node.kind-stage').length,
    blockNodes: q('g.node.kind-block').length,
    nodes: q('g.node').length,
    edges: q('g.edge').length,
    fusionEdges: q('g.edge.kind-fusion').length,
    edgeLabels: [...q('text.edge-label')].map((e) => e.textContent ?? '').filter((s) => s !== ''),
    selected: ids('g.node.selected')[0] ?? null,
    highlighted: ids('g.node.highlighted')[0] ?? null,
    staleBanner: banner.hidden ? null : norm(banner.textContent),
    measure: isMeasure($('#legend').getAttribute('data-measure')) ? ($('#legend').getAttribute('data-measure') as Measure) : state.measure,
    legend: norm($('#legend').textContent),
    header: norm($('#header').textContent),
    expanded: ids('g.node.expanded'),
    transform: { k: t.k, x: t.x, y: t.y },
    tableRows: document.querySelectorAll('#cost-table tr.stage-row').length,
    renderMs: state.renderMs,
    nodeTitles: titles,
    matches: ids('g.node.match'),
    diffMarks: Object.fromEntries([...ids('g.node.diff-added').map((id) => [id, 'added']), ...ids('g.node.diff-changed').map((id) => [id, 'changed'])]),
  };
}
