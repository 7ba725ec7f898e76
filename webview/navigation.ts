/**
 * Nodes: select (and reveal in the editor), expand/collapse, roving focus, and the keyboard — Enter reveal,
 * Space toggle, `+`/`-` expand/collapse, arrows move spatially, Home/End; `/` or Ctrl+F find, `0` fit.
 */
import { expandAllIds } from '../extension/core/graph/layout';
import { draw, restyle } from './draw';
import { renderer, svg } from './dom';
import { focusFind } from './find';
import { saveSoon } from './persist';
import { isInside, post, state, visibleId, visibleIdAfterCollapse } from './state';
import { fit, panTo } from './zoom';

export function selectNode(id: string, reveal: boolean): void {
  if (!state.byId.has(id)) return;
  state.selected = id;
  state.focusId = visibleId(id) ?? state.focusId;
  restyle();
  saveSoon();
  if (reveal) {
    const now = performance.now();
    const last = state.lastReveal;
    // A double click is two clicks: reveal once.
    if (last.id !== id || now - last.at > 500) post({ type: 'reveal', nodeId: id });
    state.lastReveal = { id, at: now };
  }
}

/** A cost table row: select and reveal the stage, and pan to it. */
export function selectStageRow(id: string): void {
  selectNode(id, true);
  const v = visibleId(id);
  if (v) panTo(v);
}

export function toggle(id: string, open?: boolean): void {
  const ln = state.laid.get(id);
  if (!ln || !ln.expandable) return;
  const want = open ?? !ln.expanded;
  if (want === ln.expanded) return;
  if (want) state.expanded.add(id);
  else {
    state.expanded.delete(id);
    // A selection inside what collapses moves to the node that hides it.
    if (state.selected && isInside(state.selected, id)) state.selected = id;
    if (state.focusId && isInside(state.focusId, id)) state.focusId = id;
  }
  draw(true);
  saveSoon();
}

export function expandAll(): void {
  if (!state.model) return;
  state.expanded = new Set([...state.expanded, ...expandAllIds(state.model, 'stages')]);
  draw(true);
  saveSoon();
}

export function collapseAll(): void {
  state.expanded = new Set();
  if (state.selected && state.byId.get(state.selected)?.parent) state.selected = visibleIdAfterCollapse(state.selected);
  draw(true);
  saveSoon();
}

/** Roving tabindex: this node is the one Tab reaches. */
function rove(g: SVGGElement): void {
  for (const e of svg.querySelectorAll('g.node[tabindex="0"]')) if (e !== g) e.setAttribute('tabindex', '-1');
  g.setAttribute('tabindex', '0');
}

function focusNode(id: string): void {
  state.focusId = id;
  const g = renderer.nodeElement(id);
  if (!g) return;
  rove(g);
  g.focus({ preventScroll: true });
  panTo(id);
}

/** The nearest node in an arrow's direction (spatial navigation over the laid-out boxes). */
function neighbour(id: string, key: string): string | null {
  const a = state.laid.get(id);
  const layout = state.layout;
  if (!a || !layout) return null;
  const ax = a.x + a.w / 2;
  const ay = a.y + (a.container ? 17 : a.h / 2);
  let best: string | null = null;
  let bestScore = Infinity;
  for (const b of layout.nodes) {
    if (b.id === a.id) continue;
    const bx = b.x + b.w / 2;
    const by = b.y + (b.container ? 17 : b.h / 2);
    const dx = bx - ax;
    const dy = by - ay;
    let along: number;
    let across: number;
    if (key === 'ArrowDown') [along, across] = [dy, dx];
    else if (key === 'ArrowUp') [along, across] = [-dy, dx];
    else if (key === 'ArrowRight') [along, across] = [dx, dy];
    else [along, across] = [-dx, dy];
    if (along <= 1) continue;
    const score = along + 2.5 * Math.abs(across);
    if (score < bestScore) {
      bestScore = score;
      best = b.id;
    }
  }
  return best;
}

const nodeOf = (t: EventTarget | null): SVGGElement | null => (t instanceof Element ? (t.closest('g.node') as SVGGElement | null) : null);

/** Mouse and keyboard on the picture's nodes. */
export function bindNodes(): void {
  svg.addEventListener('click', (ev) => {
    const g = nodeOf(ev.target);
    if (!g) return;
    const id = g.getAttribute('data-id') ?? '';
    if ((ev.target as Element).closest('[data-action="toggle"]')) {
      toggle(id);
      return;
    }
    selectNode(id, true);
  });

  svg.addEventListener('dblclick', (ev) => {
    const g = nodeOf(ev.target);
    if (!g || (ev.target as Element).closest('[data-action="toggle"]')) return;
    ev.preventDefault();
    toggle(g.getAttribute('data-id') ?? '');
  });

  svg.addEventListener('focusin', (ev) => {
    const g = nodeOf(ev.target);
    if (!g) return;
    const id = g.getAttribute('data-id');
    if (id && id !== state.focusId) {
      state.focusId = id;
      rove(g);
    }
  });

  svg.addEventListener('keydown', (ev) => {
    const g = nodeOf(ev.target);
    if (!g) {
      if (ev.target === svg && (ev.key === 'Enter' || ev.key === ' ' || ev.key.startsWith('Arrow')) && state.focusId) {
        ev.preventDefault();
        focusNode(state.focusId);
      }
      return;
    }
    const id = g.getAttribute('data-id') ?? '';
    switch (ev.key) {
      case 'Enter':
        ev.preventDefault();
        selectNode(id, true);
        return;
      case ' ':
      case 'Spacebar':
        ev.preventDefault();
        toggle(id);
        focusNode(id);
        return;
      case '+':
      case '=':
        ev.preventDefault();
        toggle(id, true);
        focusNode(id);
        return;
      case '-':
      case '_':
        ev.preventDefault();
        toggle(id, false);
        focusNode(id);
        return;
      case 'ArrowUp':
      case 'ArrowDown':
      case 'ArrowLeft':
      case 'ArrowRight': {
        ev.preventDefault();
        const next = neighbour(id, ev.key);
        if (next) focusNode(next);
        return;
      }
      case 'Home':
      case 'End': {
        ev.preventDefault();
        const list = state.layout?.nodes ?? [];
        const n = ev.key === 'Home' ? list[0] : list[list.length - 1];
        if (n) focusNode(n.id);
        return;
      }
    }
  });
}

/** Page-wide keys: Ctrl+F (also in a field) and `/` focus find; `0` fits. */
export function bindShortcuts(): void {
  document.addEventListener('keydown', (ev) => {
    const inField = ev.composedPath().some((e) => e instanceof HTMLElement && (e.tagName === 'INPUT' || e.tagName === 'VSCODE-TEXT-FIELD' || e.tagName === 'TEXTAREA'));
    if ((ev.key === 'f' || ev.key === 'F') && (ev.ctrlKey || ev.metaKey) && !ev.altKey) {
      ev.preventDefault();
      focusFind();
      return;
    }
    if (inField) return;
    if (ev.key === '/' && !ev.ctrlKey && !ev.metaKey) {
      ev.preventDefault();
      focusFind();
    } else if (ev.key === '0' && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
      ev.preventDefault();
      fit();
    }
  });
}
