import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AnalysisService } from '../../../extension/analysis/service';
import type { AnalysisSnapshot } from '../../../extension/core/ide/snapshot';
import type { IdeCompletion } from '../../../extension/core/ide/completion';
import { restartDelayMs, WorkerEngine } from '../../../extension/analysis/engine';
import '../../../extension/analysis/worker';
import { SEED, at, replaceOnce } from './helpers';
import { hostileInputs } from '../fuzz/hostile-families';

const OPTS = { target: 'J5' as const, hints: true, disabled: [] };

describe('analysis service (worker side)', () => {
  it('analyses once per version and options', () => {
    const s = new AnalysisService();
    const a = s.snapshot('u', 1, SEED, OPTS);
    assert.equal(s.snapshot('u', 1, SEED, OPTS), a, 'same version: cached');
    const b = s.snapshot('u', 2, SEED + '\n', OPTS);
    assert.notEqual(b, a);
    assert.equal(b.version, 2);
    const c = s.snapshot('u', 2, SEED + '\n', { ...OPTS, target: 'any' });
    assert.notEqual(c, b, 'options are part of the key');
  });

  it('completes a half-typed stage from the last intact analysis', () => {
    const s = new AnalysisService();
    s.snapshot('u', 1, SEED, OPTS);
    const broken = replaceOnce(SEED, 'MixVarGENetConfig(in_channels=96, out_channels=160, head_op="mixvarge_f2_gb16",', 'MixVarGENetConfig(in_channels=96, out_channels=160, head_op="',);
    const c = s.query('u', 2, broken, OPTS, 'completion', at(broken, 'out_channels=160, head_op="|')) as IdeCompletion;
    assert.equal(c.context, 'head_op');
    assert.equal(c.stage, 4);
    assert.match(c.items.find((i) => i.label === 'mixvarge_f2_gb16')!.detail!, /96→192→160/);
  });

  it('takes extra ops from a user table, and reports invalid ones', () => {
    const s = new AnalysisService();
    const r = s.configure({ json: { ops: { team_f3: { conv2_kernel_size: 1, padding: 0, factor: 3, j5: true }, broken: { factor: 2 } } }, source: 'ops.json' });
    assert.ok(r.ops.includes('team_f3'));
    assert.ok(!r.ops.includes('broken'));
    assert.match(r.problems.join(), /ops\.json: op "broken"/);
    const text = replaceOnce(SEED, 'head_op="mixvarge_f2",', 'head_op="team_f3",');
    const snap = s.snapshot('u', 1, text, OPTS);
    assert.deepEqual(
      snap.findings.filter((f) => f.code === 'MVG001'),
      [],
      'a user op is not an unknown op',
    );
    const c = s.query('u', 1, text, OPTS, 'completion', at(text, 'head_op="team|_f3"')) as IdeCompletion;
    assert.ok(c.items.some((i) => i.label === 'team_f3'));
    s.configure(null);
    assert.equal(s.snapshot('u', 1, text, OPTS).findings.filter((f) => f.code === 'MVG001').length, 1, 'gone again without the table');
  });

  it('runs in a worker thread and answers by message', async function () {
    this.timeout(20000);
    const engine = new WorkerEngine(join(__dirname, '..', '..', '..', 'extension', 'analysis', 'worker.js'));
    try {
      const r = await engine.request({ type: 'analyze', uri: 'u', version: 7, text: SEED, options: OPTS });
      const snap = r.value as AnalysisSnapshot;
      assert.equal(snap.version, 7);
      assert.equal(snap.params, 2_310_744);
      assert.ok(r.roundTripMs >= r.serviceMs);
      const rules = (await engine.request({ type: 'rules' })).value as { code: string }[];
      assert.ok(rules.some((x) => x.code === 'MVG002'));
    } finally {
      engine.dispose();
    }
  });

  it('kills a stuck worker and rejects what was pending', async function () {
    this.timeout(20000);
    // A worker that never answers.
    const path = join(__dirname, 'silent-worker.js');
    require('node:fs').writeFileSync(path, "require('node:worker_threads').parentPort.on('message', () => {});\n");
    const engine = new WorkerEngine(path);
    let died = '';
    engine.onDidDie((r) => (died = r));
    await assert.rejects(engine.request({ type: 'ping' }, 300), /took longer than 0.3 s/);
    assert.match(died, /took longer than 0.3 s/);
    await assert.rejects(engine.request({ type: 'ping' }), /not running/);
    void Worker;
  });

  it('names the request a worker died on: the oldest unanswered one (it serves in order), for a deadline or running out of memory', async function () {
    this.timeout(30000);
    const fs = require('node:fs') as typeof import('node:fs');
    // Answers pings; on an analysis of "hog" it allocates until the heap limit kills it; "stall" never returns.
    const path = join(__dirname, 'hog-worker.js');
    fs.writeFileSync(
      path,
      `const { parentPort } = require('node:worker_threads');
       parentPort.on('message', (m) => {
         if (m.req.type === 'analyze' && m.req.text === 'hog') { const keep = []; for (;;) keep.push(new Array(1e6).fill(1)); }
         if (m.req.type === 'analyze' && m.req.text === 'stall') { for (;;) {} }
         parentPort.postMessage({ id: m.id, ok: true, value: null, ms: 0 });
       });\n`,
    );
    const analyze = (text: string, uri: string) => ({ type: 'analyze' as const, uri, version: 7, text, options: OPTS });
    // (the hog gets a long deadline: on a loaded machine filling 512 MB may take longer than a second)
    for (const [text, reason, deadline] of [['hog', /ran out of memory \(over 512 MB\)/, 25_000], ['stall', /took longer than 1 s/, 1000]] as const) {
      const engine = new WorkerEngine(path);
      const deaths: { reason: string; culprit?: { type: string; uri?: string; version?: number } }[] = [];
      engine.onDidDie((r, c) => deaths.push({ reason: r, culprit: c as { type: string; uri?: string; version?: number } }));
      assert.equal((await engine.request({ type: 'ping' })).value, null, 'positive control: it answers');
      const first = engine.request(analyze(text, `file:///${text}.py`), deadline);
      const queued = engine.request(analyze('fine', 'file:///other.py'), 60_000);
      await assert.rejects(first, reason);
      await assert.rejects(queued, reason);
      assert.equal(deaths.length, 1);
      assert.match(deaths[0].reason, reason);
      assert.deepEqual([deaths[0].culprit?.type, deaths[0].culprit?.uri, deaths[0].culprit?.version], ['analyze', `file:///${text}.py`, 7], 'the culprit, not the queued request');
    }
  });

  it('the hostile snippets through the real worker engine: each family ends within its budget, the worker never dies, MVG017 at the hostile line', async function () {
    this.timeout(120_000);
    const engine = new WorkerEngine(join(__dirname, '..', '..', '..', 'extension', 'analysis', 'worker.js'));
    const deaths: string[] = [];
    engine.onDidDie((r) => deaths.push(r));
    try {
      for (const [i, h] of hostileInputs(SEED, 0x776b72, 1).entries()) {
        const label = `${h.family}: ${h.name}`;
        const r = await engine.request({ type: 'analyze', uri: `file:///hostile-${i}.py`, version: 1, text: h.text, options: OPTS });
        const snap = r.value as AnalysisSnapshot;
        // The analysis' deadline is 1 s; the rest is the snapshot and a busy machine (bench/sections/50-budgets.mjs has the figures).
        assert.ok(r.serviceMs < 2500, `${label}: ${r.serviceMs.toFixed(0)} ms in the worker`);
        assert.deepEqual(deaths, [], `${label}: the worker died`);
        const lines = (code: string) => snap.findings.filter((f) => f.code === code).map((f) => f.range.from.line + 1);
        if (h.stopLine !== undefined) assert.deepEqual(lines('MVG017'), [h.stopLine], `${label}: MVG017 at the hostile statement`);
        if (h.syntaxLine !== undefined) assert.deepEqual(lines('MVG000'), [h.syntaxLine], `${label}: MVG000 at the nesting`);
        if (h.seedFirst) assert.equal(snap.stages.length, 5, `${label}: the seed's network before it is analysed`);
        if (h.stopLine !== undefined) assert.match(snap.findings.find((f) => f.code === 'MVG017')!.message, /^(Analysis stopped|Network not modelled)/);
      }
      // And it still answers a plain config at once.
      const ok = await engine.request({ type: 'analyze', uri: 'file:///seed.py', version: 1, text: SEED, options: OPTS });
      assert.equal((ok.value as AnalysisSnapshot).params, 2_310_744);
      assert.ok(ok.serviceMs < 500, `${ok.serviceMs} ms`);
    } finally {
      engine.dispose();
    }
  });

  it('restarts a worker that keeps dying later and later (never moving the analysis onto the host thread)', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 9, 20].map(restartDelayMs), [0, 500, 1000, 2000, 4000, 30000, 30000]);
  });
});
