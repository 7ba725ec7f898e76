// Mocha glue for UI tests: one workbench (code-server + Chromium) per describe block, a screenshot of every failing
// test, and the logs kept in test-output/ when anything in the block failed.
import type { ServerOptions } from './server';
import { Workbench } from './workbench';

export function useWorkbench(opts: ServerOptions & { width?: number; height?: number }): () => Workbench {
  let wb: Workbench | undefined;
  let failed = false;
  before(async function () {
    this.timeout(180_000);
    wb = await Workbench.start(opts);
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      failed = true;
      const shot = await wb?.screenshot(`FAILED-${this.currentTest.title}`).catch(() => undefined);
      if (shot) console.log(`      screenshot: ${shot}`);
    }
  });
  after(async function () {
    this.timeout(60_000);
    await wb?.close(failed);
  });
  return () => {
    if (!wb) throw new Error('the workbench did not start');
    return wb;
  };
}
