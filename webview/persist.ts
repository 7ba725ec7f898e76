/** The view state (expansion, measure, selection, zoom, table) kept with vscode.setState and reported to the host. */
import { zoomTransform } from 'd3-zoom';
import type { ViewState } from '../extension/core/graph/types';
import { svg } from './dom';
import { post, state, vscode } from './state';

export function viewState(): ViewState {
  const t = zoomTransform(svg);
  // The config's URI travels in the state so the host's serializer can reopen this preview after a reload.
  const uri = document.body.dataset.uri;
  return { expanded: [...state.expanded].sort(), measure: state.measure, selected: state.selected, transform: { k: t.k, x: t.x, y: t.y }, showTable: state.showTable, ...(uri ? { uri } : {}) };
}

/** Saves and reports the view state 300 ms after the last change. */
export function saveSoon(): void {
  if (state.saveTimer) clearTimeout(state.saveTimer);
  state.saveTimer = setTimeout(() => {
    state.saveTimer = undefined;
    const s = viewState();
    vscode.setState(s);
    post({ type: 'viewState', state: s });
  }, 300);
}
