import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseLog } from '../../../extension/core/logs/parse';
import { addRun, emptyStore, latestResults, parseStore, recordFromReport, serializeStore, STORE_VERSION } from '../../../extension/core/hat';

import { run } from './helpers';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '../../../../test/fixtures/logs', name), 'utf8');


describe('hat: results records', () => {
  it('a predict log becomes a record with the accuracy, task and metrics', () => {
    const started = new Date('2026-11-20T10:00:00Z');
    const ended = new Date('2026-11-20T10:01:10Z');
    const r = recordFromReport(parseLog(fixture('predict_float.log')), { stage: 'float_predict', started, ended, exitCode: 0, command: ['python3', 'tools/predict.py'] });
    assert.equal(r.status, 'ok');
    assert.equal(r.accuracy, 0.7132);
    assert.equal(r.task, 'mixvargenet_imagenet');
    assert.equal(r.metrics?.top_k_accuracy_5, 0.9012);
    assert.equal(r.durationMs, 70_000);
    assert.deepEqual(r.command, ['python3', 'tools/predict.py']);
  });

  it('compile_perf and board logs give FPS, latency, march', () => {
    const now = new Date();
    const c = recordFromReport(parseLog(fixture('compile_perf_j5.log')), { stage: 'compile_perf', started: now, ended: now, exitCode: 0 });
    assert.equal(c.fps, 5722.98);
    assert.equal(c.march, 'BAYES');
    assert.ok(c.latencyMs! > 44 && c.latencyMs! < 45);
    const b = recordFromReport(parseLog(fixture('hrt_perf.log')), { stage: 'board', started: now, ended: now, source: 'import' });
    assert.equal(b.status, 'ok');
    assert.equal(b.board?.source, 'hrt_model_exec');
    assert.ok((b.board?.fps ?? 0) > 0);
  });

  it('a failure: status, root cause, line; a non-zero exit without a traceback still fails; a stop is "cancelled"', () => {
    const now = new Date();
    const f = recordFromReport(parseLog(fixture('failure_keyerror_4ranks.log')), { stage: 'calibration', started: now, ended: now, exitCode: 1, failureLine: 17 });
    assert.equal(f.status, 'failed');
    assert.equal(f.failure?.exception, 'KeyError');
    assert.equal(f.failure?.line, 17);
    assert.equal(f.failure?.repeats, 4);
    const x = recordFromReport(parseLog('some output\n'), { stage: 'infer', started: now, ended: now, exitCode: 2 });
    assert.equal(x.status, 'failed');
    assert.match(x.failure?.message ?? '', /exited with code 2/);
    const k = recordFromReport(parseLog('Epoch[0] Step[0-99] Cost Time: 1s'), { stage: 'calibration', started: now, ended: now, exitCode: null, cancelled: true });
    assert.equal(k.status, 'cancelled');
    assert.equal(k.failure, undefined);
    const killed = recordFromReport(parseLog(''), { stage: 'calibration', started: now, ended: now, exitCode: null });
    assert.equal(killed.status, 'failed', 'killed from outside is a failure');
  });

  it('latest results: the newest successful number of each kind; failures count as the last run only', () => {
    const runs = [
      run('float_predict', '2026-01-01T00:00:00Z', { accuracy: 0.70 }),
      run('float_train', '2026-01-02T00:00:00Z', { accuracy: 0.71 }),
      run('calibration', '2026-01-03T00:00:00Z', { accuracy: 0.69 }),
      run('calibration_predict', '2026-01-04T00:00:00Z', { accuracy: 0.695 }),
      run('compile_perf', '2026-01-05T00:00:00Z', { fps: 5000, march: 'BAYES' }),
      run('float_predict', '2026-01-06T00:00:00Z', { status: 'failed', failure: { exception: 'KeyError', message: "'x'" } }),
      run('infer', '2026-01-07T00:00:00Z'),
      run('board', '2026-01-01T00:00:00Z', { board: { source: 'ai_benchmark', fps: 1129.39 } }),
    ];
    const l = latestResults(runs);
    assert.equal(l.float?.accuracy, 0.71);
    assert.equal(l.calib?.accuracy, 0.695);
    assert.equal(l.int, undefined);
    assert.equal(l.compile?.fps, 5000);
    assert.equal(l.board?.board?.fps, 1129.39);
    assert.equal(l.last?.stage, 'infer');
    assert.equal(l.count, runs.length);
  });

  it('store: round trip, runs kept sorted and capped, input not mutated', () => {
    let s = emptyStore();
    s = addRun(s, 'configs/a.py', run('calibration', '2026-01-02T00:00:00Z', { accuracy: 0.7 }));
    const before = JSON.stringify(s);
    const s2 = addRun(s, 'configs/a.py', run('float_predict', '2026-01-01T00:00:00Z', { accuracy: 0.71 }));
    assert.equal(JSON.stringify(s), before);
    assert.deepEqual(s2.configs['configs/a.py'].map((r) => r.stage), ['float_predict', 'calibration']);
    const back = parseStore(serializeStore(s2));
    assert.ok(back.ok);
    assert.deepEqual(back.ok && back.store.configs, s2.configs);
    let big = emptyStore();
    for (let i = 0; i < 12; i++) big = addRun(big, 'k', run('infer', new Date(Date.UTC(2026, 0, 1, i)).toISOString()), 10);
    assert.equal(big.configs.k.length, 10);
    assert.equal(big.configs.k[0].time, new Date(Date.UTC(2026, 0, 1, 2)).toISOString(), 'the oldest are dropped');
  });

  it('store: bad files are errors with a reason; malformed runs are dropped and counted; newer versions are flagged', () => {
    for (const [text, why] of [
      ['{', /not valid JSON/],
      ['[]', /not a JSON object/],
      ['{"configs": {}}', /version/],
      ['{"version": 1}', /configs/],
    ] as const) {
      const p = parseStore(text);
      assert.equal(p.ok, false, text);
      assert.match(p.ok ? '' : p.error, why);
    }
    const newer = parseStore(JSON.stringify({ version: STORE_VERSION + 1, configs: {} }));
    assert.ok(!newer.ok && newer.newer);
    const mixed = parseStore(JSON.stringify({ version: 1, configs: { a: [run('calibration', '2026-01-01T00:00:00Z'), { id: 'x' }, run('nope' as never, '2026-01-01T00:00:00Z'), run('infer', 'not a date')], b: 'x' } }));
    assert.ok(mixed.ok);
    assert.equal(mixed.ok && mixed.store.configs.a.length, 1);
    assert.equal(mixed.ok && mixed.dropped, 4);
  });
});
