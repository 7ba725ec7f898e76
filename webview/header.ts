/** The header (file, counts, totals, HAT results line, notes) and the stale banner. */
import { $, measureEl } from './dom';
import { formatBytes, formatCount, formatMs, formatShape } from './format';
import { state } from './state';

/** File, target, error/warning counts, totals, the HAT results line, notes, the empty message. */
export function drawHeader(): void {
  const m = state.model;
  if (!m) return;
  // Live edits resend the model on every keystroke: leave the header alone when nothing in it changed.
  const key = JSON.stringify([m.fileName, m.uri, m.totals, m.counts, m.notes, m.measured, m.empty, m.results, m.diff]);
  if (key === state.headerKey) return;
  state.headerKey = key;
  $('#file-name').textContent = m.fileName;
  $('#file-name').title = m.uri;
  const target = $('#target');
  target.hidden = !m.totals.target;
  target.textContent = m.totals.target;
  const counts = $('#counts');
  counts.innerHTML = '';
  const addCount = (n: number, icon: string, word: string, plural: string, why = '') => {
    const s = document.createElement('span');
    s.className = `count count-${icon}${n ? '' : ' zero'}`;
    s.title = `${n} ${n === 1 ? word : plural} in this file${why}`;
    s.innerHTML = `<span class="codicon codicon-${icon}" aria-hidden="true"></span>`;
    s.append(` ${n} ${n === 1 ? word : plural}`);
    counts.appendChild(s);
  };
  addCount(m.counts.error, 'error', 'error', 'errors');
  addCount(m.counts.warning, 'warning', 'warning', 'warnings');
  // Information and hints only when there are some. VS Code leaves hints out of the Problems panel: say where they are.
  if (m.counts.info) addCount(m.counts.info, 'info', 'info', 'info', ' (Problems panel)');
  if (m.counts.hint) addCount(m.counts.hint, 'lightbulb', 'hint', 'hints', ': faded dots in the editor, not in the Problems panel (the mixvargenet.severity.* settings list them as information)');
  const t = m.totals;
  const parts: [string, string][] = [];
  const approx = t.exact ? '' : '≥ ';
  parts.push(['params', t.params !== null ? formatCount(t.params) : `${approx}${formatCount(t.knownParams)}`]);
  parts.push(['MACs', t.macs !== null ? formatCount(t.macs) : `${approx}${formatCount(t.knownMacs)}`]);
  parts.push(['activation', formatBytes(t.activationBytes)]);
  parts.push(['stages', String(t.stages)]);
  parts.push(['blocks', String(t.blocks)]);
  parts.push(['convs', String(t.convs)]);
  // Keys first for these (read as "input 1×3×224×224", "measured 0.56 ms").
  parts.push(['input', `${formatShape(t.input)}${t.inputSource ? ` (${t.inputSource.replace(/_/g, ' ')})` : ''}`]);
  if (m.measured) parts.push(['measured', formatMs(m.measured.totalMs)]);
  else if (t.timeMs !== null) parts.push(['time', formatMs(t.timeMs)]);
  const keyFirst = new Set(['input', 'measured', 'time']);
  const totals = $('#totals');
  totals.innerHTML = '';
  parts.forEach(([k, v], i) => {
    if (i) totals.append(' · ');
    const s = document.createElement('span');
    s.className = 'total';
    const b = document.createElement('b');
    b.textContent = v;
    if (keyFirst.has(k)) s.append(`${k} `, b);
    else s.append(b, ` ${k}`);
    if (k === 'measured' && m.measured) s.title = m.measured.description;
    totals.appendChild(s);
  });
  if (!t.exact) totals.title = 'Some values are unknown: the totals count what could be built.';
  // The latest HAT results of this config (calibration/predict accuracy, compile_perf FPS), when any were recorded.
  const results = $('#hat-results');
  results.hidden = !m.results;
  results.textContent = m.results ? `HAT: ${m.results.summary}` : '';
  results.title = m.results?.detail ?? '';
  // The comparison (Compare with HEAD / a revision / a file), when one is active.
  const diff = $('#diff-summary');
  diff.hidden = !m.diff;
  diff.textContent = m.diff ? `vs ${m.diff.base}: ${m.diff.summary}${m.diff.removed.length ? ` · removed: ${m.diff.removed.join(', ')}` : ''}` : '';
  diff.title = m.diff ? `Compared with ${m.diff.base}: marked nodes are added (solid outline) or changed (dashed); hover one for what it was. "MixVarGENet: Clear Comparison" ends it.` : '';
  // Notes
  const notes = $<HTMLDetailsElement>('#notes');
  notes.hidden = m.notes.length === 0;
  $('#notes-summary').textContent = `${m.notes.length} note${m.notes.length === 1 ? '' : 's'} on this picture`;
  const list = $('#notes-list');
  list.innerHTML = '';
  for (const n of m.notes) {
    const li = document.createElement('li');
    li.textContent = n;
    list.appendChild(li);
  }
  // Measure options: time only when measured.
  const timeOpt = measureEl.querySelector('vscode-option[value="time"]') as (HTMLElement & { disabled: boolean }) | null;
  if (timeOpt) {
    timeOpt.disabled = !m.measured;
    timeOpt.title = m.measured ? m.measured.description : 'Run "MixVarGENet: Measure Latency" to colour by measured time';
  }
  const empty = $('#empty');
  empty.hidden = !m.empty;
  empty.textContent = m.empty ? `No MixVarGENetConfig found in ${m.fileName}: nothing to draw.` : '';
}

/** The banner (and dimmed picture) while the file has a syntax error. */
export function drawStale(): void {
  const b = $('#stale-banner');
  const stale = state.stale;
  b.hidden = !stale;
  $('#stale-text').textContent = stale ? `Stale: syntax error at line ${stale.line} — showing the last good picture${stale.message ? ` (${stale.message})` : ''}` : '';
  document.body.classList.toggle('is-stale', !!stale);
}
