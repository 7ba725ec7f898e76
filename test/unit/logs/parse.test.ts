import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseLog, bracketMetrics, readPerfSummary, parsePythonLiteral } from '../../../extension/core/logs/parse';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '../../../../test/fixtures/logs', name), 'utf8');

describe('log parsers', () => {
  it('reads the predict result line, stage banner and progress', () => {
    const r = parseLog(fixture('predict_float.log'));
    assert.deepEqual(r.kinds, ['predict']);
    assert.equal(r.stage, 'float');
    assert.equal(r.validations.length, 1);
    assert.equal(r.validations[0].task, 'mixvargenet_imagenet');
    assert.equal(r.validations[0].accuracy, 0.7132);
    assert.equal(r.validations[0].metrics.top_k_accuracy_5, 0.9012);
    assert.deepEqual(r.predictProgress, { done: 391, total: 391 });
    assert.equal(r.failure, undefined);
  });

  it('reads training progress, metrics, lr and checkpoints through ANSI colours, CRLF, interleaved ranks and a cut last line', () => {
    const r = parseLog(fixture('train_calibration_crlf.log'));
    assert.equal(r.stage, 'calibration');
    assert.equal(r.progress.length, 2);
    assert.equal(r.progress[0].samplesPerSec, 4.25);
    assert.equal(r.progress[0].remainingSeconds, 11 * 3600 + 36);
    assert.equal(r.progress[1].remainingText, '11:00:40');
    assert.deepEqual(r.steps[0].metrics, { loss: 2.3456, accuracy: 0.1234 });
    assert.equal(r.steps[0].prefix, 'Train');
    assert.equal(r.lrs[0].lr, 0.0004);
    assert.deepEqual(r.checkpoints, ['./tmp_models/mixvargenet_imagenet/calibration-checkpoint-last.pth.tar']);
  });

  it('reads the J5 compile_perf FPS line and the pformat summary dict with the Python parser', () => {
    const r = parseLog(fixture('compile_perf_j5.log'));
    assert.ok(r.kinds.includes('compile_perf'));
    const c = r.compile!;
    assert.equal(c.fps, 5722.98);
    assert.equal(c.latencyUs, 44731.9);
    assert.equal(c.htmlFile, './tmp_compile/mixvargenet_imagenet.html');
    assert.equal(c.ddrMBPerFrame, 1.92);
    assert.equal(c.march, 'BAYES');
    assert.equal(c.hbdkVersion, '3.49.15');
    assert.equal(c.shape, 'hbdk3');
    assert.deepEqual(c.layerDetails!.header, ['layer', 'ops', 'latency (us)']);
    assert.equal(c.layerDetails!.rows.length, 2);
    assert.equal(r.partial, false);
  });

  it('reads the nested J6 (HBDK4) summary JSON', () => {
    const c = readPerfSummary(JSON.parse(fixture('compile_perf_j6.json')))!;
    assert.equal(c.shape, 'hbdk4');
    assert.equal(c.fps, 812.5);
    assert.equal(c.latencyUs, 1230.8);
    assert.ok(Math.abs(c.latencyMs! - 1.2308) < 1e-9);
    assert.equal(c.march, 'nash-e');
  });

  it('reads hrt_model_exec perf output', () => {
    const r = parseLog(fixture('hrt_perf.log'));
    assert.deepEqual(r.kinds, ['hrt_perf']);
    assert.deepEqual(
      { ...r.board },
      { source: 'hrt_model_exec', threads: 8, frameCount: 1000, coreNumber: 1, runTimeMs: 172.7, totalLatencyMs: 1361.02, avgLatencyMs: 1.36, fps: 5790.35 },
    );
  });

  it('reads AI Benchmark throughput and latency', () => {
    const r = parseLog(fixture('ai_benchmark.log'));
    assert.equal(r.board!.source, 'ai_benchmark');
    assert.equal(r.board!.fps, 1129.39);
    assert.equal(r.board!.avgLatencyMs, 13.124);
    assert.equal(r.board!.maxLatencyMs, 13.946);
    assert.equal(r.board!.minLatencyMs, 13.048);
  });

  it('collapses a traceback repeated once per GPU rank into one root cause', () => {
    const r = parseLog(fixture('failure_keyerror_4ranks.log'));
    const f = r.failure!;
    assert.equal(f.exception, 'KeyError');
    assert.equal(f.message, "'mixvarge_f3'");
    assert.equal(f.quotedValue, 'mixvarge_f3');
    assert.deepEqual(f.ranks, [0, 1, 2, 3]);
    assert.equal(f.repeats, 4);
    assert.equal(f.frames.length, 3);
    assert.equal(f.frames[2].func, '__init__');
    assert.equal(f.frames[2].code, '**BLOCK_CONFIG[head_op],');
  });

  it('points at the config file when the traceback passes through it', () => {
    const text = [
      'Traceback (most recent call last):',
      '  File "/ws/tools/train.py", line 10, in <module>',
      '    cfg = Config.fromfile(args.config)',
      '  File "/ws/configs/classification/mixvargenet_imagenet.py", line 42, in <module>',
      '    MixVarGENetConfig(in_channel=32, out_channels=32)',
      "TypeError: __init__() got an unexpected keyword argument 'in_channel'",
    ].join('\n');
    const f = parseLog(text).failure!;
    assert.equal(f.exception, 'TypeError');
    assert.deepEqual(f.configFrame, { file: '/ws/configs/classification/mixvargenet_imagenet.py', line: 42 });
    assert.equal(f.quotedValue, 'in_channel');
  });

  it('reports unknown, empty and cut-off output without throwing', () => {
    assert.deepEqual(parseLog('').kinds, ['unknown']);
    assert.deepEqual(parseLog('hello\nworld').kinds, ['unknown']);
    const cut = parseLog("FPS=10.5, latency = 95.2 us\n{'summary': {'FPS': 10.5,\n 'latency (us)': 95.2,\n 'layer details': [['a'");
    assert.equal(cut.partial, true);
    assert.equal(cut.compile!.fps, 10.5);
    const tb = parseLog('Traceback (most recent call last):\n  File "x.py", line 1, in <module>\n');
    assert.equal(tb.partial, true);
    for (let i = 0; i < 200; i++) {
      const s = fixture('compile_perf_j5.log');
      const cutAt = Math.floor((i / 200) * s.length);
      assert.doesNotThrow(() => parseLog(s.slice(0, cutAt)));
    }
  });

  it('bracketMetrics and parsePythonLiteral', () => {
    assert.deepEqual(bracketMetrics('Epoch[1] Validation x: accuracy[0.5] top_k_accuracy_5[0.75] mIoU[1e-2]'), { accuracy: 0.5, top_k_accuracy_5: 0.75, mIoU: 0.01 });
    assert.deepEqual(parsePythonLiteral("{'a': [1, 2.5, 'x'], 'b': {'c': None, 'd': True}}"), { a: [1, 2.5, 'x'], b: { c: null, d: true } });
  });
});
