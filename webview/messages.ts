/** Messages from the host (validated by parseHostMessage): a model, the stale banner, a highlight, a command, a probe. */
import { parseHostMessage, type GraphModel, type HostMessage, type StaleInfo } from '../extension/core/graph/types';
import { draw, restyle } from './draw';
import { measureEl } from './dom';
import { copySvg, exportPng, exportSvg } from './exportGraph';
import { focusFind, refreshQuery } from './find';
import { drawHeader, drawStale } from './header';
import { collapseAll, expandAll } from './navigation';
import { saveSoon } from './persist';
import { probe } from './probe';
import { post, state, visibleId } from './state';
import { drawTable } from './table';
import { setControlValue } from './toolkit';
import { fit, initialTransform, panTo, resetZoom, setTransform } from './zoom';

function onModel(m: GraphModel, st: StaleInfo | null): void {
  state.model = m;
  const byId = new Map(m.nodes.map((n) => [n.id, n]));
  state.byId = byId;
  // Drop state that names nodes no longer there.
  state.expanded = new Set([...state.expanded].filter((id) => byId.has(id)));
  if (state.selected && !byId.has(state.selected)) state.selected = null;
  if (state.highlightReq && !byId.has(state.highlightReq)) state.highlightReq = null;
  if (state.measure === 'time' && !m.measured) state.measure = 'macs';
  setControlValue(measureEl, state.measure);
  state.stale = st;
  refreshQuery();
  drawHeader();
  drawStale();
  draw(state.hadModel);
  drawTable();
  if (!state.hadModel) {
    state.hadModel = true;
    setTransform(state.pendingTransform ?? initialTransform(), false);
    state.pendingTransform = null;
  }
  saveSoon();
}

function onHost(msg: HostMessage): void {
  switch (msg.type) {
    case 'model':
      onModel(msg.model, msg.stale);
      break;
    case 'stale':
      state.stale = msg.stale;
      drawStale();
      break;
    case 'highlight':
      state.highlightReq = msg.nodeId && state.byId.has(msg.nodeId) ? msg.nodeId : null;
      restyle();
      if (msg.reveal && state.highlightReq) {
        const v = visibleId(state.highlightReq);
        if (v) panTo(v);
      }
      break;
    case 'command':
      runCommand(msg.command);
      break;
    case 'probe':
      void probe(msg);
      break;
  }
}

function runCommand(c: Extract<HostMessage, { type: 'command' }>['command']): void {
  switch (c) {
    case 'fit':
      return fit();
    case 'reset':
      return resetZoom();
    case 'expandAll':
      return expandAll();
    case 'collapseAll':
      return collapseAll();
    case 'find':
      return focusFind();
    case 'exportSvg':
      return exportSvg();
    case 'exportPng':
      return void exportPng();
    case 'copySvg':
      return copySvg();
  }
}

/** Listens to the host; an invalid message or a failure while handling one is reported back as `error`. */
export function listenToHost(): void {
  window.addEventListener('message', (ev: MessageEvent) => {
    const msg = parseHostMessage(ev.data);
    if (!msg) {
      const type = typeof ev.data === 'object' && ev.data && 'type' in ev.data ? String((ev.data as { type: unknown }).type).slice(0, 40) : typeof ev.data;
      post({ type: 'error', message: `invalid message from the host (${type})` });
      return;
    }
    try {
      onHost(msg);
    } catch (e) {
      post({ type: 'error', message: `webview: ${e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e)}` });
    }
  });
}
