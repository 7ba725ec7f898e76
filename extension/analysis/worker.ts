/**
 * Entry of dist/analysisWorker.js. In a worker thread it serves requests from the extension
 * host; required from the main thread (the in-process fallback) it only exports the service.
 */
import { parentPort, isMainThread } from 'node:worker_threads';
import { AnalysisService } from './service';
import type { Envelope, Reply } from './protocol';

export { AnalysisService };

if (!isMainThread && parentPort) {
  const port = parentPort;
  const service = new AnalysisService();
  port.on('message', (m: Envelope) => {
    const t0 = performance.now();
    let reply: Reply;
    try {
      const value = service.handle(m.req);
      reply = { id: m.id, ok: true, value, ms: performance.now() - t0 };
    } catch (e) {
      reply = { id: m.id, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e), ms: performance.now() - t0 };
    }
    port.postMessage(reply);
  });
}
