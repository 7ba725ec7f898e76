// Measured latency in the editor: "Measure Latency" (ORT in a child process), the per-stage decorations, "Export ONNX".
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, closeAll, open, withSettings } from './lib/ext';

interface PerfState {
  measuring: boolean;
  stages: { stage: number; line: number; character: number; text: string; hover: string }[];
  medianMs: number | null;
  error?: string;
}

describe('perf: measure latency and export ONNX', function () {
  this.timeout(180_000);
  afterEach(closeAll);

  it('"Measure Latency" shows a measured time at each stage line, with an explaining hover', async function () {
    const a = await api();
    const { doc } = await open('configs/mixvargenet_imagenet.py');
    await a.whenAnalyzed(doc);
    if (!vscode.workspace.isTrusted) {
      const r = await vscode.commands.executeCommand<{ ok: boolean; error?: string }>('mixvargenet.measureLatency', { uri: doc.uri.toString(), silent: true });
      assert.equal(r.ok, false);
      assert.match(r.error ?? '', /trusted workspace/);
      this.skip();
    }
    const before = await vscode.commands.executeCommand<PerfState>('mixvargenet._perfState', doc.uri.toString());
    assert.deepEqual(before.stages, [], 'nothing before a measurement (static cost is the inlay hints\' job)');

    const pending = vscode.commands.executeCommand<{ ok: boolean; latencyMs?: { median: number }; stages?: unknown[]; error?: string }>('mixvargenet.measureLatency', {
      uri: doc.uri.toString(),
      runs: 3,
      warmup: 1,
      threads: 1,
      silent: true,
    });
    // While it runs: a placeholder on every stage line.
    const during = await vscode.commands.executeCommand<PerfState>('mixvargenet._perfState', doc.uri.toString());
    const r = await pending;
    assert.equal(r.ok, true, `measurement failed: ${r.error}`);
    assert.ok(r.latencyMs!.median > 0);
    if (during.measuring) assert.ok(during.stages.length === 5 && during.stages.every((s) => s.text === '· measuring…'), JSON.stringify(during.stages));

    const st = await vscode.commands.executeCommand<PerfState>('mixvargenet._perfState', doc.uri.toString());
    assert.equal(st.measuring, false);
    assert.equal(st.stages.length, 5, 'one decoration per stage');
    const lines = doc.getText().split('\n');
    // Each stage's call ends on its `extra_downsample_num=0)],` line (the seed), before its `# stride N` comment.
    const endLines = lines.map((l, i) => (l.includes('extra_downsample_num=0)]') ? i : -1)).filter((i) => i >= 0);
    assert.equal(endLines.length, 5);
    assert.deepEqual(
      st.stages.map((s) => [s.line, s.character]),
      endLines.map((i) => [i, lines[i].indexOf(')],') + 3]),
      'where each stage\'s call ends, before its trailing comment (with the inlay hint)',
    );
    let sum = 0;
    for (const s of st.stages) {
      const m = /^· (\d+\.\d+) ms CPU$/.exec(s.text);
      assert.ok(m, `a time per stage: ${s.text}`);
      sum += Number(m[1]);
      assert.match(s.hover, /onnxruntime-node \d+\.\d+/);
      assert.match(s.hover, /not J5/);
      assert.match(s.hover, /batch 1 · 1 intra-op thread/);
      assert.match(s.hover, /graph optimisation: all/);
      assert.match(s.hover, /seeded random weights/);
    }
    assert.ok(sum > 0 && sum <= st.medianMs! * 1.05 + 0.05, `stage times (${sum}) are shares of the median (${st.medianMs})`);

    // Same network, same settings: from the cache, not measured again.
    const again = await vscode.commands.executeCommand<{ ok: boolean; fromCache?: boolean }>('mixvargenet.measureLatency', {
      uri: doc.uri.toString(),
      runs: 3,
      warmup: 1,
      threads: 1,
      silent: true,
    });
    assert.equal(again.ok, true);
    assert.equal(again.fromCache, true);
  });

  it('with mixvargenet.perf.batch = 3 it times batch 1 (per stage) and batch 3, both in the hover', async function () {
    const a = await api();
    const { doc } = await open('configs/mixvargenet_imagenet.py');
    await a.whenAnalyzed(doc);
    if (!vscode.workspace.isTrusted) this.skip();
    await withSettings({ 'perf.batch': 3 }, async () => {
      const r = await vscode.commands.executeCommand<{
        ok: boolean;
        error?: string;
        batch?: number;
        batches?: { batch: number; fps: number; latencyMs: { median: number; p90: number; min: number } }[];
      }>('mixvargenet.measureLatency', { uri: doc.uri.toString(), runs: 2, warmup: 1, threads: 1, silent: true });
      assert.equal(r.ok, true, `measurement failed: ${r.error}`);
      assert.equal(r.batch, 1, 'the per-stage result is at batch 1');
      assert.deepEqual(r.batches?.map((b) => b.batch), [1, 3]);
      const st = await vscode.commands.executeCommand<PerfState>('mixvargenet._perfState', doc.uri.toString());
      assert.equal(st.stages.length, 5);
      for (const b of r.batches!) {
        assert.ok(Math.abs(b.fps - (b.batch * 1000) / b.latencyMs.median) < 1e-6 * b.fps);
        const fps = b.fps.toFixed(1).replace('.', '\\.');
        assert.match(st.stages[0].hover, new RegExp(`- batch ${b.batch}: median [\\d.]+ ms · p90 [\\d.]+ ms · min [\\d.]+ ms · \\*\\*${fps} FPS\\*\\*`));
      }
      assert.match(st.stages[0].hover, /batch 1 \(the per-stage times\) · 1 intra-op thread/);
    });
  });

  it('"Export ONNX" writes the seed network to a file', async function () {
    const a = await api();
    const { doc } = await open('configs/mixvargenet_imagenet.py');
    await a.whenAnalyzed(doc);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-export-')), 'seed.onnx');
    const r = await vscode.commands.executeCommand<{ ok: boolean; path?: string; bytes?: number; error?: string }>('mixvargenet.exportOnnx', { uri: doc.uri.toString(), path: file });
    if (!vscode.workspace.isTrusted) {
      assert.equal(r.ok, false);
      this.skip();
    }
    assert.equal(r.ok, true, r.error);
    const bytes = fs.readFileSync(file);
    assert.equal(bytes.length, r.bytes);
    // ~2.3M float32 weights: more than 8 MB.
    assert.ok(bytes.length > 8_000_000, `size ${bytes.length}`);
    // ModelProto: field 1 (ir_version, varint) first: tag 0x08.
    assert.equal(bytes[0], 0x08, 'starts with ModelProto.ir_version');
    assert.ok(bytes[1] >= 3 && bytes[1] <= 12, `plausible ir_version ${bytes[1]}`);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });
});
