/**
 * The graph preview webview (issue 4): draws the GraphModel the extension host sends, with d3 for the
 * picture and the webview-ui-toolkit (webview/toolkit.ts) for the controls. Every message from the host
 * is validated (parseHostMessage); the view state (expansion, measure, selection, zoom, table) is kept
 * with vscode.setState and reported to the host as `viewState` so a reload restores it.
 *
 * This entry only wires the modules: state.ts (the one state object), dom.ts (the page), draw.ts, header.ts,
 * table.ts, find.ts, navigation.ts (nodes and keyboard), zoom.ts, exportGraph.ts, probe.ts, messages.ts.
 */
import { isMeasure } from '../extension/core/graph/types';
import { initial, post, state } from './state';
import { $, measureEl } from './dom';
import { drawLegend, refreshRamp, setMeasure, watchTheme } from './draw';
import { copySvg, exportPng, exportSvg } from './exportGraph';
import { bindFind } from './find';
import { drawStale } from './header';
import { listenToHost } from './messages';
import { bindNodes, bindShortcuts, collapseAll, expandAll, selectStageRow } from './navigation';
import { bindTable, drawTable, setShowTable } from './table';
import { controlValue, setControlValue } from './toolkit';
import { bindZoom, fit, resetZoom, zoomBy } from './zoom';

bindZoom();
listenToHost();
bindNodes();
bindShortcuts();
bindFind();
measureEl.addEventListener('change', () => {
  const v = controlValue(measureEl);
  if (isMeasure(v) && v !== state.measure) setMeasure(v);
});

const onClick = (id: string, f: () => void) => $(id).addEventListener('click', f);
onClick('#btn-expand', expandAll);
onClick('#btn-collapse', collapseAll);
onClick('#btn-zoom-in', () => zoomBy(1.25));
onClick('#btn-zoom-out', () => zoomBy(0.8));
onClick('#btn-fit', fit);
onClick('#btn-reset', resetZoom);
onClick('#btn-table', () => setShowTable(!state.showTable));
onClick('#btn-copy', copySvg);
onClick('#btn-svg', exportSvg);
onClick('#btn-png', () => void exportPng());

bindTable(selectStageRow);
watchTheme();

refreshRamp();
setControlValue(measureEl, state.measure);
drawTable();
drawStale();
drawLegend();
post({ type: 'ready', state: initial });
