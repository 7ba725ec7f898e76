import { strict as assert } from 'node:assert';
import { ago, chipOf, formatHover, formatSummary, fpsText, latestResults, pct } from '../../../extension/core/hat';
import { run } from './helpers';
import { rendered } from '../rendered';

const NOW = new Date('2026-11-20T12:00:00Z');
const h = (hours: number) => new Date(NOW.getTime() - hours * 3600_000).toISOString();

describe('hat: inline summary and hover', () => {
  it('formats the issue\'s example line', () => {
    const runs = [
      run('float_predict', h(30), { accuracy: 0.7132 }),
      run('calibration', h(5), { accuracy: 0.7066 }),
      run('int_infer_predict', h(3), { accuracy: 0.7066 }),
      run('compile_perf', h(2), { fps: 5790.35, march: 'BAYES' }),
    ];
    assert.equal(formatSummary(latestResults(runs), NOW), 'float 71.32% · calib 70.66% · int 70.66% · J5 5790 FPS (compile_perf, 2 h ago)');
  });

  it('shows what exists, a failed last run, J6, board FPS, and nothing for no runs', () => {
    assert.equal(formatSummary(latestResults([]), NOW), '');
    const runs = [run('calibration', h(1), { accuracy: 0.7066 }), run('float_predict', h(0.1), { status: 'failed' })];
    assert.equal(formatSummary(latestResults(runs), NOW), 'calib 70.66% (float_predict failed, 6 min ago)');
    assert.equal(formatSummary(latestResults([run('compile_perf', h(0), { fps: 80.26, march: 'NASH_E' }), run('board', h(0), { board: { source: 'hrt_model_exec', fps: 5612.4 } })]), NOW), 'J6 80.3 FPS · board 5612 FPS (board, just now)');
    assert.equal(formatSummary(latestResults([run('infer', h(49))]), NOW), 'infer, 2 d ago');
  });

  it('numbers, ages and chips', () => {
    assert.equal(pct(0.70655), '70.66%');
    assert.equal(pct(71.3), '71.30%', 'already a percentage');
    assert.equal(fpsText(5790.35), '5790');
    assert.equal(fpsText(12.34), '12.3');
    assert.equal(ago(h(0.001), NOW), 'just now');
    assert.equal(ago(h(0.5), NOW), '30 min ago');
    assert.equal(ago(h(23.9), NOW), '23 h ago');
    assert.equal(ago(h(72), NOW), '3 d ago');
    assert.equal(ago(new Date(NOW.getTime() + 60_000).toISOString(), NOW), 'just now', 'clock skew is not negative');
    assert.equal(chipOf('BAYES'), 'J5');
    assert.equal(chipOf('NASH_M'), 'J6');
    assert.equal(chipOf(undefined), undefined);
  });

  it('the hover lists the latest per kind and the history newest first, markdown escaped', () => {
    const runs = [
      run('float_predict', h(3), { accuracy: 0.7132, metrics: { accuracy: 0.7132, top_k_accuracy_5: 0.9012 } }),
      run('calibration', h(1), { status: 'failed', failure: { exception: 'KeyError', message: "'mixvarge_[x]'" } }),
    ];
    const md = formatHover(latestResults(runs), runs, NOW);
    const { html, text } = rendered(md);
    assert.ok(text.includes('float : accuracy 71.32%, top_k_accuracy_5 90.12%'), text);
    assert.match(html, /calibration <strong>failed<\/strong>/, 'status in bold, not escaped');
    assert.match(text, /Last run: calibration failed/);
    const hist = text.slice(text.indexOf('History'));
    assert.ok(hist.indexOf('calibration') >= 0 && hist.indexOf('calibration') < hist.indexOf('float_predict'), 'newest first');
    assert.ok(text.includes("KeyError: 'mixvarge_[x]'"), 'the log text is shown as it is');
    assert.doesNotMatch(html, /<a |<img /);
    assert.match(md, /History \(2 runs/);
  });
});
