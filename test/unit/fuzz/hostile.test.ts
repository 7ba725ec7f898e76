/**
 * Hostile inputs (hostile-families.ts: huge ranges, sorts and copies in comprehensions, nesting past
 * Python's limit, doubling, deep copies of shared lists, exponential recursion, 50,000 stages, …)
 * end within the analysis' budgets: each is analysed in a worker thread whose heap is limited to
 * 256 MB (a text that needs more kills it, and the test names the text), in bounded time, without a
 * rule throwing; the network written before the hostile part is still analysed, and where the
 * analysis must stop, one MVG017 says so at the hostile statement.
 *
 * Time is min(wall, CPU) with one retry (a busy machine), against 1.5 s: the analysis' own deadline is
 * 1 s (bench/sections/50-budgets.mjs measures the figures on a quiet machine).
 * A deeper local search: MVG_FUZZ_SEED=<n> MVG_HOSTILE_PER_FAMILY=<k> npx mocha out/test/unit/fuzz/hostile.test.js
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { HostileReply } from './hostile-worker';
import { type Hostile, hostileInputs } from './hostile-families';

const SEED_CONFIG = path.join(__dirname, '../../../../examples/configs/mixvargenet_imagenet.py');
const PER_FAMILY = Number(process.env.MVG_HOSTILE_PER_FAMILY) || 3;
const SEED = Number(process.env.MVG_FUZZ_SEED) || 0x686f73; // "hos"
const HEAP_MB = 256;
const MAX_MS = 1500;

class HostileWorker {
  private readonly worker: Worker;
  private pending?: { resolve: (r: HostileReply) => void; reject: (e: Error) => void };
  private dead?: string;

  constructor() {
    this.worker = new Worker(path.join(__dirname, 'hostile-worker.js'), { resourceLimits: { maxOldGenerationSizeMb: HEAP_MB } });
    this.worker.on('message', (r: HostileReply) => this.pending?.resolve(r));
    this.worker.on('error', (e) => this.die((e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY' ? `ran out of its ${HEAP_MB} MB heap` : e.message));
    this.worker.on('exit', (code) => this.die(`exited (${code})`));
  }

  private die(why: string): void {
    this.dead ??= why;
    this.pending?.reject(new Error(why));
  }

  analyze(text: string): Promise<HostileReply> {
    if (this.dead) return Promise.reject(new Error(this.dead));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(text);
    });
  }

  dispose(): Promise<number> {
    return this.worker.terminate();
  }
}

describe('hostile inputs end within the budgets (a worker with a 256 MB heap)', function () {
  this.timeout(240_000);
  const inputs = hostileInputs(fs.readFileSync(SEED_CONFIG, 'utf8'), SEED, PER_FAMILY);
  let worker: HostileWorker;

  before(() => {
    worker = new HostileWorker();
  });
  after(async () => {
    await worker.dispose();
  });

  it('the families and their checks are what they say', () => {
    assert.ok(inputs.length >= 16 * PER_FAMILY);
    const sorted = inputs.find((h) => h.family === 'sorted')!;
    assert.equal(sorted.text.split('\n')[sorted.stopLine! - 1].slice(0, 18), 'x = [sorted(L) for');
    const nested = inputs.find((h) => h.family === 'nested brackets')!;
    assert.match(nested.text.split('\n')[nested.syntaxLine! - 1], /^x = [[({]{201}/);
  });

  const families = [...new Set(inputs.map((h) => h.family))];
  for (const family of families) {
    it(`${family}: ${inputs.filter((h) => h.family === family).length} inputs`, async () => {
      for (const h of inputs.filter((x) => x.family === family)) await check(h);
    });
  }

  async function check(h: Hostile): Promise<void> {
    const label = `${h.family}: ${h.name}`;
    let r: HostileReply;
    try {
      r = await worker.analyze(h.text);
      if (Math.min(r.wallMs, r.cpuMs) >= MAX_MS) r = await worker.analyze(h.text); // one retry: a busy machine
    } catch (e) {
      throw new Error(`${label}: the analysis worker ${(e as Error).message}`);
    }
    const ms = Math.min(r.wallMs, r.cpuMs);
    assert.ok(ms < MAX_MS, `${label}: ${ms.toFixed(0)} ms (wall ${r.wallMs.toFixed(0)}, CPU ${r.cpuMs.toFixed(0)})`);
    assert.equal(r.ruleErrors, 0, `${label}: a rule threw`);
    if (h.seedFirst) assert.equal(r.stages, 5, `${label}: the seed's network before the hostile part is analysed`);
    const stopped = r.codes.filter((c) => c.code === 'MVG017');
    if (h.stopLine !== undefined) {
      assert.deepEqual(stopped.map((c) => c.line), [h.stopLine], `${label}: one MVG017, at the hostile statement (stopped: ${JSON.stringify(r.stopped)})`);
    } else assert.ok(stopped.length <= 1, `${label}: at most one MVG017`);
    if (h.syntaxLine !== undefined) {
      assert.deepEqual(r.codes.filter((c) => c.code === 'MVG000').map((c) => c.line), [h.syntaxLine], `${label}: one MVG000, on the nested line`);
    }
  }
});
