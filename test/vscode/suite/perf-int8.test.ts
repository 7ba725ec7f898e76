// int8 beside fp32 in the editor (issue 15): mixvargenet.perf.precision, the stage decorations with both times,
// the hover's fused-conv count, calibration, ISA and per-stage quantization error, and the cache keyed by precision.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, closeAll, open, until, withSettings } from './lib/ext';

interface PerfState {
  measuring: boolean;
  fromCache: boolean | null;
  workersStarted: number;
  stages: { stage: number; line: number; character: number; text: string; hover: string }[];
  medianMs: number | null;
  error?: string;
}

interface Figures {
  latencyMs: { median: number };
  stages: { index: number; latencyMs: number }[];
}

interface Measured {
  ok: boolean;
  error?: string;
  fromCache?: boolean;
  precision?: string;
  latencyMs?: { median: number };
  precisions?: {
    fp32?: Figures;
    int8?: Figures & { quantizedConvs: number; totalConvs: number; calibration: { samples: number; method: string; percentile?: number }; error: { stages: { index: number; sqnrDb: number | null; cosine: number | null }[] } };
  };
  isa?: string[];
}

/** A time as the editor writes it: two decimals below 10 ms, one above (independently of core/format). */
function figure(ms: number): string {
  return ms < 10 ? ms.toFixed(2) : ms.toFixed(1);
}

describe('perf: int8 beside fp32 (mixvargenet.perf.precision)', function () {
  this.timeout(300_000);
  // Leave no measurement behind for the suites after this one (as after a reload: nothing shown until measured).
  afterEach(async () => {
    await closeAll();
    await vscode.commands.executeCommand('mixvargenet._perfCache', { newSession: true });
  });

  it('with precision "both" each stage shows its fp32 and int8 times; the hover says fused convs, calibration, ISA and the stage\'s SQNR', async function () {
    const a = await api();
    const { doc } = await open('configs/mixvargenet_imagenet.py');
    await a.whenAnalyzed(doc);
    if (!vscode.workspace.isTrusted) this.skip();
    await withSettings({ 'perf.precision': 'both' }, async () => {
      const r = await vscode.commands.executeCommand<Measured>('mixvargenet.measureLatency', { uri: doc.uri.toString(), runs: 3, warmup: 1, threads: 1, silent: true });
      assert.equal(r.ok, true, `measurement failed: ${r.error}`);
      const f = r.precisions?.fp32;
      const q = r.precisions?.int8;
      assert.ok(f && q, 'both precisions measured');
      assert.equal(q.totalConvs, 41, 'the seed network has 41 convs (MIXVARGENET.md: stem, 2 per block, shortcuts, head)');
      assert.equal(q.quantizedConvs, 41);
      const st = await vscode.commands.executeCommand<PerfState>('mixvargenet._perfState', doc.uri.toString());
      assert.equal(st.stages.length, 5);
      for (const s of st.stages) {
        const m = /^· (\d+\.\d+) ms fp32 · (\d+\.\d+) ms int8$/.exec(s.text);
        assert.ok(m, `both times after stage ${s.stage}: ${s.text}`);
        assert.equal(m[1], figure(f.stages.find((x) => x.index === s.stage)!.latencyMs));
        assert.equal(m[2], figure(q.stages.find((x) => x.index === s.stage)!.latencyMs));
        assert.match(s.hover, /onnxruntime runs \*\*41\/41 convs in int8\*\*/);
        assert.match(s.hover, /calibrated on \*\*16 seeded random inputs\*\* \(minmax\)/);
        assert.ok(r.isa && r.isa.length > 0, 'the CPU flags were read');
        assert.ok(s.hover.includes(`CPU: ${r.isa.join(', ')}`), s.hover);
        const e = q.error.stages.find((x) => x.index === s.stage)!;
        assert.ok(e.sqnrDb !== null && e.cosine !== null);
        assert.ok(s.hover.includes(`this stage's int8 output against fp32: **SQNR ${e.sqnrDb.toFixed(1)} dB · cosine ${e.cosine.toFixed(4)}**`), s.hover);
        assert.match(s.hover, /a property of the structure, not of your trained model/);
        assert.match(s.hover, /×\s?fp32/);
      }
    });
    // Back to fp32 (the default): a result keyed by precision — not the int8 one from the cache, and today's text.
    const back = await vscode.commands.executeCommand<Measured>('mixvargenet.measureLatency', { uri: doc.uri.toString(), runs: 3, warmup: 1, threads: 1, silent: true });
    assert.equal(back.ok, true, back.error);
    assert.equal(back.precisions, undefined, 'an fp32 measurement has no precisions');
    const st = await vscode.commands.executeCommand<PerfState>('mixvargenet._perfState', doc.uri.toString());
    assert.ok(st.stages.every((s) => /^· \d+\.\d+ ms CPU$/.test(s.text)), JSON.stringify(st.stages.map((s) => s.text)));
    assert.ok(st.stages.every((s) => !/int8/.test(s.hover)));
  });

  it('with precision "int8" only the int8 time shows, and a second measurement comes from the cache', async function () {
    const a = await api();
    const { doc } = await open('configs/mixvargenet_imagenet.py');
    await a.whenAnalyzed(doc);
    if (!vscode.workspace.isTrusted) this.skip();
    await withSettings({ 'perf.precision': 'int8' }, async () => {
      const args = { uri: doc.uri.toString(), runs: 2, warmup: 1, threads: 1, silent: true };
      const r = await vscode.commands.executeCommand<Measured>('mixvargenet.measureLatency', args);
      assert.equal(r.ok, true, r.error);
      assert.equal(r.precision, 'int8');
      assert.equal(r.precisions?.fp32, undefined);
      const st = await vscode.commands.executeCommand<PerfState>('mixvargenet._perfState', doc.uri.toString());
      assert.ok(st.stages.every((s) => /^· \d+\.\d+ ms int8$/.test(s.text)), JSON.stringify(st.stages.map((s) => s.text)));
      const again = await vscode.commands.executeCommand<Measured>('mixvargenet.measureLatency', args);
      assert.equal(again.fromCache, true);
      assert.equal(again.precision, 'int8');
    });
  });

  it('changing the precision shows that precision\'s figures: none until measured, then the cached ones when switched back (no new measurement)', async function () {
    const a = await api();
    const { doc } = await open('configs/mixvargenet_imagenet.py');
    await a.whenAnalyzed(doc);
    if (!vscode.workspace.isTrusted) this.skip();
    await vscode.commands.executeCommand('mixvargenet._perfCache', { newSession: true, clearDisk: true });
    const state = () => vscode.commands.executeCommand<PerfState>('mixvargenet._perfState', doc.uri.toString());
    const texts = (st: PerfState) => JSON.stringify(st.stages.map((s) => s.text));
    // fp32 (the default), measured with the settings' options (what a restore from the cache looks up).
    const r = await vscode.commands.executeCommand<Measured>('mixvargenet.measureLatency', { uri: doc.uri.toString(), silent: true });
    assert.equal(r.ok, true, r.error);
    const fp32 = await state();
    assert.ok(fp32.stages.length === 5 && fp32.stages.every((s) => /^· \d+\.\d+ ms CPU$/.test(s.text)), texts(fp32));
    const workers = fp32.workersStarted;
    await withSettings({ 'perf.precision': 'int8' }, async () => {
      // int8 was never measured: the fp32 figures go (they are not int8's), and nothing is measured by itself.
      const st = await until(async () => {
        const s = await state();
        return s.stages.length === 0 && s;
      }, 'the fp32 figures to go when the precision is int8');
      assert.equal(st.medianMs, null);
      assert.equal(st.workersStarted, workers, 'no measurement started');
    });
    // Back to fp32: the figures come back from the cache, the same as measured, without timing anything.
    const back = await until(async () => {
      const s = await state();
      return s.stages.length === 5 && s;
    }, 'the fp32 figures to come back from the cache');
    assert.equal(texts(back), texts(fp32));
    assert.equal(back.fromCache, true);
    assert.equal(back.workersStarted, workers, 'restored, not measured');
    // Measured with the settings' own options: the suites after this one would find it on disk. Leave none.
    await vscode.commands.executeCommand('mixvargenet._perfCache', { newSession: true, clearDisk: true });
  });

  it('mixvargenet.perf.calibrationMethod "percentile" with its percentile: the calibration the hover names, a measurement of its own', async function () {
    const a = await api();
    const { doc } = await open('configs/mixvargenet_imagenet.py');
    await a.whenAnalyzed(doc);
    if (!vscode.workspace.isTrusted) this.skip();
    const args = { uri: doc.uri.toString(), runs: 2, warmup: 1, threads: 1, silent: true };
    await withSettings({ 'perf.precision': 'int8' }, async () => {
      const mm = await vscode.commands.executeCommand<Measured>('mixvargenet.measureLatency', args);
      assert.equal(mm.ok, true, mm.error);
      assert.equal(mm.precisions?.int8?.calibration.method, 'minmax');
      await withSettings({ 'perf.calibrationMethod': 'percentile', 'perf.calibrationPercentile': 99.9 }, async () => {
        const r = await vscode.commands.executeCommand<Measured>('mixvargenet.measureLatency', args);
        assert.equal(r.ok, true, r.error);
        assert.equal(r.fromCache, false, 'not the min/max result from the cache');
        assert.equal(r.precisions?.int8?.calibration.method, 'percentile');
        assert.equal(r.precisions?.int8?.calibration.percentile, 99.9);
        const st = await vscode.commands.executeCommand<PerfState>('mixvargenet._perfState', doc.uri.toString());
        assert.match(st.stages[0].hover, /calibrated on \*\*16 seeded random inputs\*\* \(percentile 99\.9%\)/);
      });
    });
  });

  it('a folder of float32 inputs: the hover says how many of yours were used; a folder without inputs is refused with the reason', async function () {
    const a = await api();
    const { doc } = await open('configs/mixvargenet_imagenet.py');
    await a.whenAnalyzed(doc);
    if (!vscode.workspace.isTrusted) this.skip();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-calib-'));
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-calib-empty-'));
    try {
      for (let i = 0; i < 3; i++) fs.writeFileSync(path.join(dir, `img${i}.f32`), Buffer.from(new Float32Array(3 * 224 * 224).fill(0.2 * i - 0.2).buffer));
      await withSettings({ 'perf.precision': 'int8', 'perf.calibrationData': dir }, async () => {
        const r = await vscode.commands.executeCommand<Measured>('mixvargenet.measureLatency', { uri: doc.uri.toString(), runs: 2, warmup: 1, threads: 1, silent: true });
        assert.equal(r.ok, true, r.error);
        assert.equal(r.precisions?.int8?.calibration.samples, 3);
        const st = await vscode.commands.executeCommand<PerfState>('mixvargenet._perfState', doc.uri.toString());
        assert.match(st.stages[0].hover, /calibrated on \*\*3 of your inputs\*\* \(minmax\)/);
        assert.match(st.stages[0].hover, /seeded random weights on your inputs/);
      });
      await withSettings({ 'perf.precision': 'int8', 'perf.calibrationData': empty }, async () => {
        const r = await vscode.commands.executeCommand<Measured>('mixvargenet.measureLatency', { uri: doc.uri.toString(), runs: 2, warmup: 1, threads: 1, silent: true });
        assert.equal(r.ok, false);
        assert.match(r.error ?? '', /calibrationData: .* holds no calibration input/);
        const st = await vscode.commands.executeCommand<PerfState>('mixvargenet._perfState', doc.uri.toString());
        assert.equal(st.measuring, false, 'a refused measurement leaves no "measuring…" behind');
        assert.ok(st.stages.every((s) => !s.text.includes('measuring')), JSON.stringify(st.stages.map((s) => s.text)));
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
