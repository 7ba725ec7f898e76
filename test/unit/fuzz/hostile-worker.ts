/**
 * The worker thread of hostile.test.ts: analyses each text it is sent with analyze() under the
 * default budgets, in a heap of its own (the test starts it with a 256 MB limit), and answers with
 * what the test checks. A text that made the heap grow past the limit kills this worker.
 */
import { parentPort } from 'node:worker_threads';
import { getHeapStatistics } from 'node:v8';
import { analyze } from '../../../extension/core/analyze';

export interface HostileReply {
  wallMs: number;
  cpuMs: number;
  heapMb: number;
  stopped?: { kind: string; line: number };
  codes: { code: string; line: number }[];
  stages: number;
  ruleErrors: number;
}

parentPort!.on('message', (text: string) => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const a = analyze(text);
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const line = (o: number) => a.lines.positionAt(o).line + 1;
  const reply: HostileReply = {
    wallMs,
    cpuMs: (c.user + c.system) / 1000,
    heapMb: getHeapStatistics().used_heap_size / 2 ** 20,
    stopped: a.stopped && { kind: a.stopped.kind, line: line(a.stopped.range.start) },
    codes: a.findings.map((f) => ({ code: f.code, line: line(f.range.start) })),
    stages: a.network?.stages.length ?? 0,
    ruleErrors: a.ruleErrors.length,
  };
  parentPort!.postMessage(reply);
});
