/** Find: matches `GraphNode.search`; Enter / Shift+Enter cycle, opening a collapsed stage that hides the match. */
import { draw, restyle } from './draw';
import { $, findEl, svg } from './dom';
import { saveSoon } from './persist';
import { state } from './state';
import { controlValue, setControlValue } from './toolkit';
import { panTo } from './zoom';

export function setQuery(q: string): void {
  const find = state.find;
  const model = state.model;
  find.query = q;
  const s = q.trim().toLowerCase();
  find.matches = s && model ? model.nodes.filter((n) => (n.search || `${n.id} ${n.label} ${n.op ?? ''} ${n.sub}`.toLowerCase()).includes(s)).map((n) => n.id) : [];
  find.index = -1;
  showFindCount();
  restyle();
}

/** Runs the query again on a new model, keeping the current match when it is still there. */
export function refreshQuery(): void {
  const find = state.find;
  if (!find.query) return;
  const idx = find.index >= 0 ? find.matches[find.index] : null;
  setQuery(find.query);
  if (idx) find.index = find.matches.indexOf(idx);
}

export function nextMatch(delta: number): void {
  const find = state.find;
  const n = find.matches.length;
  if (!n) {
    showFindCount();
    return;
  }
  find.index = find.index < 0 ? (delta > 0 ? 0 : n - 1) : (find.index + delta + n) % n;
  const id = find.matches[find.index];
  // A match inside a collapsed stage: open the stage to show it.
  let opened = false;
  let p = state.byId.get(id)?.parent ?? null;
  while (p) {
    if (!state.expanded.has(p)) {
      state.expanded.add(p);
      opened = true;
    }
    p = state.byId.get(p)?.parent ?? null;
  }
  if (opened) {
    draw(false);
    saveSoon();
  } else restyle();
  showFindCount();
  panTo(id);
}

function showFindCount(): void {
  const { query, matches, index } = state.find;
  const el = $('#find-count');
  const n = matches.length;
  el.textContent = query.trim() ? (n ? `${index >= 0 ? index + 1 : '–'}/${n}` : 'No results') : '';
  el.classList.toggle('none', !!query.trim() && n === 0);
}

export function focusFind(): void {
  const f = findEl as HTMLElement & { control?: HTMLInputElement };
  f.focus();
  const inner = f.shadowRoot?.querySelector('input');
  inner?.focus();
  inner?.select();
}

/** Sets the field's text and finds the first match (the test probe). */
export function findFirst(q: string): void {
  setControlValue(findEl, q);
  setQuery(q);
  nextMatch(1);
}

/** Typing queries; Enter / Shift+Enter: next / previous match; Escape clears and returns to the picture. */
export function bindFind(): void {
  findEl.addEventListener('input', () => setQuery(controlValue(findEl)));
  findEl.addEventListener('keydown', (ev) => {
    const k = (ev as KeyboardEvent).key;
    if (k === 'Enter') {
      ev.preventDefault();
      if (controlValue(findEl) !== state.find.query) setQuery(controlValue(findEl));
      nextMatch((ev as KeyboardEvent).shiftKey ? -1 : 1);
    } else if (k === 'Escape') {
      setControlValue(findEl, '');
      setQuery('');
      svg.focus();
    }
  });
}
