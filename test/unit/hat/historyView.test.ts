import { strict as assert } from 'node:assert';
import { STAGES } from '../../../extension/core/hat';
import { HISTORY_SERIES, parseHistoryHostMessage, parseHistoryWebviewMessage, seriesOf } from '../../../extension/core/hat/historyView';

import { run } from './helpers';

describe('hat: history view series', () => {
  it('each stage with a summary number feeds one series; board imports feed "board"; the rest none', () => {
    assert.equal(seriesOf('float_train'), 'float');
    assert.equal(seriesOf('float_predict'), 'float');
    assert.equal(seriesOf('calibration'), 'calib');
    assert.equal(seriesOf('calibration_predict'), 'calib');
    assert.equal(seriesOf('int_infer_predict'), 'int');
    assert.equal(seriesOf('align_bpu'), 'bpu');
    assert.equal(seriesOf('compile_perf'), 'compile');
    assert.equal(seriesOf('board'), 'board');
    for (const s of ['pack_train', 'pack_val', 'infer', 'nope', '']) assert.equal(seriesOf(s), undefined, s);
  });

  it('every series is fed by some stage, and every stage feeds a series that exists', () => {
    const keys = new Set(HISTORY_SERIES.map((s) => s.key));
    assert.equal(keys.size, HISTORY_SERIES.length);
    const fed = new Set([...STAGES.map((s) => seriesOf(s.id)), seriesOf('board')].filter((k) => k !== undefined));
    assert.deepEqual([...fed].sort(), [...keys].sort());
    assert.deepEqual(
      HISTORY_SERIES.filter((s) => s.kind === 'fps').map((s) => s.key),
      ['compile', 'board'],
    );
  });
});

describe('hat: history view messages', () => {
  const runs = [run('float_predict', '2026-11-20T10:00:00.000Z', { accuracy: 0.7132 }), run('board', '2026-11-21T10:00:00.000Z', { board: { source: 'hrt_model_exec', fps: 812.5 } })];

  it('host → page: a data message with well-formed runs is accepted as is', () => {
    const m = { type: 'data', config: 'configs/a.py', now: '2026-11-22T00:00:00.000Z', runs };
    assert.deepEqual(parseHistoryHostMessage(m), m);
    assert.deepEqual(parseHistoryHostMessage({ ...m, runs: [] }), { ...m, runs: [] });
  });

  it('host → page: anything else is rejected', () => {
    const ok = { type: 'data', config: 'a.py', now: '2026-11-22T00:00:00.000Z', runs };
    for (const bad of [
      null,
      undefined,
      'data',
      42,
      [ok],
      {},
      { ...ok, type: 'model' },
      { ...ok, type: undefined },
      { ...ok, config: undefined },
      { ...ok, config: 3 },
      { ...ok, now: undefined },
      { ...ok, runs: undefined },
      { ...ok, runs: 'x' },
      { ...ok, runs: [...runs, null] },
      { ...ok, runs: [{ ...runs[0], stage: 'not_a_stage' }] },
      { ...ok, runs: [{ ...runs[0], status: 'maybe' }] },
      { ...ok, runs: [{ ...runs[0], time: 'yesterday' }] },
      { ...ok, runs: [{ ...runs[0], accuracy: '71%' }] },
      { ...ok, runs: [{ ...runs[0], id: undefined }] },
    ]) {
      assert.equal(parseHistoryHostMessage(bad), null, JSON.stringify(bad));
    }
  });

  it('page → host: ready and rendered (counts) are accepted; extra fields are dropped', () => {
    assert.deepEqual(parseHistoryWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseHistoryWebviewMessage({ type: 'ready', state: { x: 1 } }), { type: 'ready' });
    assert.deepEqual(parseHistoryWebviewMessage({ type: 'rendered', accuracyPoints: 2, fpsPoints: 0, rows: 2 }), { type: 'rendered', accuracyPoints: 2, fpsPoints: 0, rows: 2 });
    assert.deepEqual(parseHistoryWebviewMessage({ type: 'rendered', accuracyPoints: 1, fpsPoints: 1, rows: 3, extra: '<script>' }), { type: 'rendered', accuracyPoints: 1, fpsPoints: 1, rows: 3 });
  });

  it('page → host: anything else is rejected', () => {
    const ok = { type: 'rendered', accuracyPoints: 2, fpsPoints: 0, rows: 2 };
    for (const bad of [
      null,
      undefined,
      'ready',
      ['ready'],
      {},
      { type: 'data' },
      { type: 'reveal', nodeId: 's0' },
      { ...ok, accuracyPoints: undefined },
      { ...ok, fpsPoints: '0' },
      { ...ok, rows: -1 },
      { ...ok, rows: 1.5 },
      { ...ok, accuracyPoints: NaN },
      { ...ok, fpsPoints: Infinity },
    ]) {
      assert.equal(parseHistoryWebviewMessage(bad), null, JSON.stringify(bad));
    }
  });
});
