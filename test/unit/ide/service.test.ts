import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AnalysisService } from '../../../extension/analysis/service';
import type { AnalysisSnapshot } from '../../../extension/core/ide/snapshot';
import type { IdeCompletion } from '../../../extension/core/ide/completion';
import { WorkerEngine } from '../../../extension/analysis/engine';
import '../../../extension/analysis/worker';
import { SEED, at, replaceOnce } from './helpers';

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
    await assert.rejects(engine.request({ type: 'ping' }, 300), /timed out/);
    assert.match(died, /timed out/);
    await assert.rejects(engine.request({ type: 'ping' }), /not running/);
    void Worker;
  });
});
