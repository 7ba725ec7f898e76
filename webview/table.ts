/** The cost table: one row per stage, sortable by column; a row selects (and reveals) its stage. */
import type { StageRow } from '../extension/core/graph/types';
import { $ } from './dom';
import { formatCount, formatMs, formatShape, formatShare, sortStages, type StageColumn } from './format';
import { saveSoon } from './persist';
import { state } from './state';

const COLUMNS: { col: StageColumn; label: string; num?: boolean; title?: string }[] = [
  { col: 'index', label: '#', num: true },
  { col: 'label', label: 'Stage' },
  { col: 'ops', label: 'Ops' },
  { col: 'blocks', label: 'Blocks', num: true },
  { col: 'params', label: 'Params', num: true },
  { col: 'macs', label: 'MACs', num: true },
  { col: 'share', label: 'Share', num: true, title: 'Share of the network’s MACs' },
  { col: 'outShape', label: 'Output', num: true },
  { col: 'outStride', label: 'Stride', num: true },
  { col: 'timeMs', label: 'Time', num: true },
];

/** The cost-per-stage table (sorted by `state.sort`), shown when `state.showTable`. */
export function drawTable(): void {
  const { showTable, sort, model } = state;
  const key = JSON.stringify([showTable, sort, model?.stages, !!model?.measured]);
  if (key === state.tableKey) return;
  state.tableKey = key;
  const panel = $('#table-panel');
  panel.hidden = !showTable;
  const btn = $('#btn-table');
  btn.setAttribute('aria-pressed', String(showTable));
  btn.classList.toggle('pressed', showTable);
  if (!model) return;
  const cols = COLUMNS.filter((c) => c.col !== 'timeMs' || model.measured || model.stages.some((s) => s.timeMs !== null));
  const thead = $('#cost-table thead');
  thead.innerHTML = '';
  const hr = document.createElement('tr');
  for (const c of cols) {
    const th = document.createElement('th');
    th.dataset.col = c.col;
    th.tabIndex = 0;
    th.className = c.num ? 'num' : '';
    th.title = c.title ?? `Sort by ${c.label}`;
    const sorted = sort.col === c.col;
    th.setAttribute('aria-sort', sorted ? (sort.desc ? 'descending' : 'ascending') : 'none');
    th.textContent = c.label;
    if (sorted) {
      const i = document.createElement('span');
      i.className = `codicon codicon-arrow-${sort.desc ? 'down' : 'up'} sort-icon`;
      th.appendChild(i);
    }
    hr.appendChild(th);
  }
  thead.appendChild(hr);
  const tbody = $('#cost-table tbody');
  tbody.innerHTML = '';
  const rows = sortStages(model.stages, sort.col, sort.desc);
  const maxShare = Math.max(0.0001, ...model.stages.map((s) => s.share ?? 0));
  for (const r of rows) {
    const tr = document.createElement('tr');
    tr.className = 'stage-row';
    tr.dataset.id = r.id;
    tr.tabIndex = 0;
    for (const c of cols) {
      const td = document.createElement('td');
      if (c.num) td.className = 'num';
      td.textContent = cellText(r, c.col);
      if (c.col === 'share' && r.share !== null) {
        const bar = document.createElement('span');
        bar.className = 'share-bar';
        bar.style.width = `${Math.round((r.share / maxShare) * 48)}px`;
        td.prepend(bar);
      }
      if (c.col === 'ops') td.title = r.ops;
      tr.appendChild(td);
    }
    tbody.appendChild(tr);
  }
  drawTableSelection();
}

function cellText(r: StageRow, c: StageColumn): string {
  switch (c) {
    case 'index':
      return String(r.index);
    case 'label':
      return r.label;
    case 'ops':
      return r.ops;
    case 'blocks':
      return String(r.blocks);
    case 'params':
      return formatCount(r.params);
    case 'macs':
      return formatCount(r.macs);
    case 'share':
      return formatShare(r.share);
    case 'outShape':
      return formatShape(r.outShape);
    case 'outStride':
      return r.outStride !== null ? `/${r.outStride}` : '?';
    case 'timeMs':
      return r.timeMs !== null ? formatMs(r.timeMs) : '—';
  }
}

/** Marks the row of the selected stage (or of the stage the selected node is in). */
export function drawTableSelection(): void {
  const { selected, byId } = state;
  const stageOf = selected ? (byId.get(selected)?.kind === 'stage' ? selected : byId.get(selected)?.parent ?? null) : null;
  for (const tr of document.querySelectorAll<HTMLTableRowElement>('#cost-table tr.stage-row')) {
    const on = tr.dataset.id === stageOf;
    tr.classList.toggle('selected', on);
    tr.setAttribute('aria-selected', String(on));
  }
}

export function setShowTable(on: boolean): void {
  state.showTable = on;
  drawTable();
  saveSoon();
}

/** Header click: sort (again: reverse); row click or Enter/Space: `onRow` with the stage's id. */
export function bindTable(onRow: (stageId: string) => void): void {
  const tableEl = $('#cost-table');
  tableEl.addEventListener('click', (ev) => {
    const t = ev.target as Element;
    const th = t.closest('th');
    if (th?.dataset.col) {
      const col = th.dataset.col as StageColumn;
      const sort = state.sort;
      state.sort = { col, desc: sort.col === col ? !sort.desc : col !== 'index' && col !== 'label' && col !== 'ops' };
      drawTable();
      return;
    }
    const tr = t.closest('tr.stage-row') as HTMLTableRowElement | null;
    if (tr?.dataset.id) onRow(tr.dataset.id);
  });
  tableEl.addEventListener('keydown', (ev) => {
    const t = ev.target as HTMLElement;
    if (ev.key !== 'Enter' && ev.key !== ' ') return;
    if (t.tagName === 'TH' || t.tagName === 'TR') {
      ev.preventDefault();
      t.click();
    }
  });
}
