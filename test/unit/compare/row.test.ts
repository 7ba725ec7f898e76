import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../../extension/core/analyze';
import { toSnapshot } from '../../../extension/core/ide/snapshot';
import { compareRow, rowInputs, COLUMNS, differingColumns, defaultAxes, toCsv, cellText, COLUMN_BY_KEY } from '../../../extension/core/compare';
import { latestResults, type RunRecord } from '../../../extension/core/hat';
import { parseCompareHostMessage, parseCompareWebviewMessage } from '../../../extension/core/compare/view';

const ROOT = path.resolve(__dirname, '../../../..');
const expected = (name: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/expected', `${name}.json`), 'utf8')) as { params: number; macs: number };
const inputsOf = (rel: string) => {
  const text = fs.readFileSync(path.join(ROOT, rel), 'utf8');
  return rowInputs(toSnapshot(analyze(text), { uri: rel, version: 1 }));
};

const run = (stage: RunRecord['stage'], time: string, extra: Partial<RunRecord> = {}): RunRecord => ({ id: `${stage}-${time}`, stage, time, status: 'ok', source: 'run', ...extra });

describe('compare: a config as a row', () => {
  it('params and MACs are those PyTorch counts (reference fixtures)', () => {
    for (const name of ['mixvargenet_imagenet', 'mixvargenet_fusion', 'mixvargenet_backbone_only', 'mixvargenet_expressions']) {
      const inp = inputsOf(`examples/configs/${name}.py`);
      const want = expected(name);
      assert.equal(inp.params, want.params, name);
      assert.equal(inp.macs, want.macs, name);
      assert.ok(inp.relevant && inp.stages > 0);
      assert.ok(inp.activationBytes !== null && inp.activationBytes > 0);
    }
  });

  it('findings by severity; a file without a config has no numbers', () => {
    const bad = inputsOf('examples/configs/mistakes.py');
    assert.ok(bad.findings.errors > 0);
    const none = rowInputs(toSnapshot(analyze('x = 1\n'), { uri: 'n.py', version: 1 }));
    assert.equal(none.relevant, false);
    assert.equal(none.params, null);
    assert.equal(none.macs, null);
    assert.equal(none.activationBytes, null);
  });

  it('accuracy (percent) and J5 FPS from a hand-written results history: the latest successful run of each', () => {
    const runs: RunRecord[] = [
      run('float_predict', '2026-01-01T00:00:00Z', { accuracy: 0.70 }),
      run('float_predict', '2026-01-02T00:00:00Z', { accuracy: 0.7132 }),
      run('calibration', '2026-01-03T00:00:00Z', { accuracy: 0.7066 }),
      run('calibration', '2026-01-04T00:00:00Z', { accuracy: 0.1, status: 'failed' }),
      run('int_infer_predict', '2026-01-05T00:00:00Z', { accuracy: 70.5 }), // already a percentage
      run('compile_perf', '2026-01-06T00:00:00Z', { fps: 5790, latencyMs: 0.52, march: 'bayes' }),
    ];
    const row = compareRow('m.py', inputsOf('examples/configs/mixvargenet_imagenet.py'), latestResults(runs), 12.5);
    assert.ok(Math.abs(row.accuracy.float! - 71.32) < 1e-9);
    assert.ok(Math.abs(row.accuracy.calibration! - 70.66) < 1e-9); // the failed later run is not a result
    assert.equal(row.accuracy.int_infer, 70.5);
    assert.equal(row.fps, 5790);
    assert.equal(row.j5LatencyMs, 0.52);
    assert.equal(row.perfSource, 'compile_perf');
    assert.equal(row.latencyMs, 12.5);
    assert.equal(row.params, 2310744);

    // A board import after it wins; one before it does not.
    const later = [...runs, run('board', '2026-01-07T00:00:00Z', { board: { source: 'hrt_model_exec', fps: 5612, avgLatencyMs: 0.7 } })];
    const b = compareRow('m.py', null, latestResults(later));
    assert.deepEqual([b.fps, b.j5LatencyMs, b.perfSource], [5612, 0.7, 'board']);
    const earlier = [run('board', '2025-12-31T00:00:00Z', { board: { source: 'hrt_model_exec', fps: 5612 } }), ...runs];
    assert.equal(compareRow('m.py', null, latestResults(earlier)).fps, 5790);
  });

  it('a config without results or analysis: every number null, never 0', () => {
    const row = compareRow('x.py', null, null);
    assert.deepEqual(row, { file: 'x.py', params: null, macs: null, activationBytes: null, latencyMs: null, accuracy: { float: null, calibration: null, int_infer: null }, fps: null, j5LatencyMs: null, perfSource: null, findings: null });
    assert.equal(compareRow('x.py', null, latestResults([]), Number.NaN).latencyMs, null);
  });
});

describe('compare: columns, CSV and messages', () => {
  const a = compareRow('a.py', { relevant: true, stages: 5, params: 100, macs: 1000, activationBytes: 4, findings: { errors: 0, warnings: 0, hints: 1 } }, null);
  const b = compareRow('b.py', { relevant: true, stages: 5, params: 200, macs: 1000, activationBytes: 4, findings: { errors: 0, warnings: 0, hints: 1 } }, null);

  it('only the columns that differ (an unknown differs from a known value)', () => {
    assert.deepEqual(differingColumns([a, b]).map((c) => c.key), ['params']);
    const c = { ...b, latencyMs: 3 };
    assert.deepEqual(differingColumns([a, c]).map((x) => x.key), ['params', 'latencyMs']);
    assert.deepEqual(differingColumns([a, a]).map((x) => x.key), []);
    assert.equal(differingColumns([a]).length, COLUMNS.length);
  });

  it('default axes: accuracy against FPS, else MACs against CPU latency, else params against MACs', () => {
    assert.deepEqual(defaultAxes([a, b]), { x: 'params', y: 'macs' });
    assert.deepEqual(defaultAxes([a, { ...b, latencyMs: 2 }]), { x: 'macs', y: 'latencyMs' });
    const acc = { ...b, fps: 10, accuracy: { float: 70, calibration: null, int_infer: null } };
    assert.deepEqual(defaultAxes([a, acc]), { x: 'fps', y: 'accFloat' });
    assert.deepEqual(defaultAxes([{ ...acc, accuracy: { float: 70, calibration: 69, int_infer: 68 } }]), { x: 'fps', y: 'accInt' });
  });

  it('CSV: quoted where needed, formulas defused, empty for unknown', () => {
    const csv = toCsv([{ ...a, file: 'we,ird "name".py' }, { ...b, file: '=cmd|x.py' }], [COLUMN_BY_KEY.get('params')!, COLUMN_BY_KEY.get('latencyMs')!]);
    assert.equal(csv, 'file,params,latencyMs\r\n"we,ird ""name"".py",100,\r\n"\'=cmd|x.py",200,\r\n');
    assert.equal(cellText(COLUMN_BY_KEY.get('latencyMs')!, a), '');
    assert.equal(cellText(COLUMN_BY_KEY.get('params')!, b), '200');
  });

  it('messages are validated both ways', () => {
    assert.deepEqual(parseCompareHostMessage({ type: 'rows', rows: [{ label: 'a.py', row: a }], computeMs: 1 })?.type, 'rows');
    assert.equal(parseCompareHostMessage({ type: 'rows', rows: [{ label: 'a.py', row: { ...a, params: '1' } }], computeMs: 1 }), null);
    assert.equal(parseCompareHostMessage({ type: 'rows', rows: [{ label: 1, row: a }], computeMs: 1 }), null);
    assert.deepEqual(parseCompareWebviewMessage({ type: 'open', file: 'a.py' }), { type: 'open', file: 'a.py' });
    assert.equal(parseCompareWebviewMessage({ type: 'open', file: 3 }), null);
    assert.equal(parseCompareWebviewMessage({ type: 'exportCsv', columns: ['params', 'nope'] }), null);
    assert.equal(parseCompareWebviewMessage({ type: 'exportSvg', svg: '<script>' }), null);
    assert.equal(parseCompareWebviewMessage({ type: 'rendered', rows: 1, points: 1, selected: [], frontier: [], x: 'fps', y: 'macs', columns: [], drawMs: 1 })?.type, 'rendered');
    assert.equal(parseCompareWebviewMessage({ type: 'rendered', rows: -1, points: 1, selected: [], frontier: [], x: 'fps', y: 'macs', columns: [], drawMs: 1 }), null);
    assert.equal(parseCompareWebviewMessage(null), null);
  });
});
