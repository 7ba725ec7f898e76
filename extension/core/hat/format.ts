/**
 * Text of the inline summary (`float 71.32% · calib 70.66% · int 70.66% · J5 5790 FPS (compile_perf, 2 h ago)`),
 * its hover (details and history) and the CLI's table. Pure.
 */
import type { LatestResults, RunRecord } from './results';
import { stageSpec } from './stages';
import { escapeMarkdown } from '../markdown';

/** An accuracy as a percentage: HAT prints it as a fraction (0.7132); a value above 1 is already a percentage. */
export function accuracyPercent(acc: number): number {
  return acc <= 1 ? acc * 100 : acc;
}

export function pct(acc: number): string {
  return `${accuracyPercent(acc).toFixed(2)}%`;
}

export function fpsText(fps: number): string {
  return fps >= 100 ? String(Math.round(fps)) : fps.toFixed(1);
}

/** J5 for BAYES, J6 for NASH*, else the march as printed. */
export function chipOf(march: string | undefined): string | undefined {
  if (!march) return undefined;
  if (/bayes/i.test(march)) return 'J5';
  if (/nash/i.test(march)) return 'J6';
  return march;
}

export function ago(timeIso: string, now: Date): string {
  const s = Math.max(0, (now.getTime() - Date.parse(timeIso)) / 1000);
  if (!Number.isFinite(s)) return '';
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.max(1, Math.round(s / 60))} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

export function stageLabel(stage: string): string {
  return stage === 'board' ? 'board' : (stageSpec(stage)?.id ?? stage);
}

/** The one-line summary, or '' when there is nothing to show. */
export function formatSummary(latest: LatestResults, now: Date): string {
  const parts: string[] = [];
  for (const [k, label] of [
    ['float', 'float'],
    ['calib', 'calib'],
    ['int', 'int'],
    ['bpu', 'bpu'],
  ] as const) {
    const r = latest[k];
    if (r?.accuracy !== undefined) parts.push(`${label} ${pct(r.accuracy)}`);
  }
  if (latest.compile?.fps !== undefined) parts.push(`${chipOf(latest.compile.march) ?? 'compiled'} ${fpsText(latest.compile.fps)} FPS`);
  if (latest.board?.board?.fps !== undefined) parts.push(`board ${fpsText(latest.board.board.fps)} FPS`);
  const last = latest.last;
  if (!last) return parts.join(' · ');
  const status = last.status === 'ok' ? '' : ` ${last.status}`;
  const tail = `(${stageLabel(last.stage)}${status}, ${ago(last.time, now)})`;
  if (!parts.length) return tail.slice(1, -1);
  return `${parts.join(' · ')} ${tail}`;
}

function keyNumbers(r: RunRecord): string {
  const bits: string[] = [];
  if (r.accuracy !== undefined) bits.push(`accuracy ${pct(r.accuracy)}`);
  for (const [k, v] of Object.entries(r.metrics ?? {})) if (k !== 'accuracy') bits.push(`${k} ${v <= 1 ? pct(v) : v}`);
  if (r.fps !== undefined) bits.push(`${fpsText(r.fps)} FPS`);
  if (r.latencyMs !== undefined) bits.push(`latency ${r.latencyMs.toFixed(3)} ms`);
  if (r.ddrMBPerFrame !== undefined) bits.push(`DDR ${r.ddrMBPerFrame} MB/frame`);
  if (r.march) bits.push(`${r.march}${r.hbdkVersion ? ` HBDK ${r.hbdkVersion}` : ''}`);
  if (r.board) {
    const b = r.board;
    if (b.fps !== undefined) bits.push(`${fpsText(b.fps)} FPS (${b.source})`);
    if (b.avgLatencyMs !== undefined) bits.push(`avg latency ${b.avgLatencyMs} ms`);
    if (b.threads !== undefined) bits.push(`${b.threads} threads`);
  }
  if (r.failure) bits.push(`${r.failure.exception}: ${r.failure.message}`.slice(0, 160));
  return bits.join(', ');
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** One history line (markdown-safe text). */
export function historyLine(r: RunRecord, now: Date, md = false): string {
  const e = md ? escapeMarkdown : (s: string) => s;
  const when = e(`${r.time.slice(0, 16).replace('T', ' ')} (${ago(r.time, now)})`);
  const status = r.status === 'ok' ? '' : md ? ` **${r.status}**` : ` ${r.status.toUpperCase()}`;
  const nums = keyNumbers(r);
  return `${when} · ${e(stageLabel(r.stage))}${status}${nums ? ` · ${e(nums)}` : ''}${r.durationMs !== undefined && r.source === 'run' ? ` · took ${formatDuration(r.durationMs)}` : ''}${r.source === 'import' ? ' · imported' : ''}`;
}

/** The hover: latest numbers per kind, then the history (newest first). */
export function formatHover(latest: LatestResults, runs: readonly RunRecord[], now: Date, maxHistory = 10): string {
  const lines: string[] = ['**HAT results** (MixVarGENet Studio)', ''];
  const row = (name: string, r?: RunRecord) => {
    if (!r) return;
    lines.push(`- **${name}**: ${escapeMarkdown(keyNumbers(r))} — ${stageLabel(r.stage)}, ${ago(r.time, now)}`);
  };
  row('float', latest.float);
  row('calibration', latest.calib);
  row('int (quantized)', latest.int);
  row('simulated on-board', latest.bpu);
  row('compile_perf', latest.compile);
  row('on the board', latest.board);
  if (latest.last && latest.last.status !== 'ok') {
    lines.push('', `_Last run: ${stageLabel(latest.last.stage)} ${latest.last.status}${latest.last.failure ? ` — ${escapeMarkdown(`${latest.last.failure.exception}: ${latest.last.failure.message}`.slice(0, 200))}` : ''}_`);
  }
  const hist = [...runs].reverse().slice(0, maxHistory);
  if (hist.length) {
    lines.push('', `History (${runs.length} run${runs.length === 1 ? '' : 's'}, newest first):`, '');
    for (const r of hist) lines.push(`- ${historyLine(r, now, true)}`);
  }
  return lines.join('\n');
}

/** Plain-text table for `mvg results`. */
export function formatHistoryTable(runs: readonly RunRecord[], now: Date): string {
  return runs.map((r) => `  ${historyLine(r, now)}`).join('\n') + (runs.length ? '\n' : '');
}
