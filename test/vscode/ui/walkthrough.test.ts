// The Getting Started walkthrough (issue 14 D), in the real workbench: "MixVarGENet: Get Started" opens it with its
// six steps, each with its image; the first step's button opens the shipped example as an untitled buffer, which is
// analysed (status bar) — and ticks the step; the graph step's button opens the preview of that buffer.
import { strict as assert } from 'node:assert';
import { useWorkbench } from './lib/mocha';
import { until } from './lib/workbench';

const STEPS = [
  'Open a MixVarGENet config',
  'Fix what HAT would fail on',
  'See the network',
  'Measure latency on this CPU',
  'Run calibration with HAT',
  'Compare your variants',
];

describe('UI: the Getting Started walkthrough', function () {
  this.timeout(150_000);
  const wb = useWorkbench({ name: 'walkthrough' });

  it('"MixVarGENet: Get Started" shows the six steps and the image of the open one', async () => {
    const w = wb();
    await w.command('MixVarGENet: Get Started');
    const page = w.page.locator('.gettingStartedContainer');
    await page.getByText('Get started with MixVarGENet Studio').first().waitFor({ state: 'visible', timeout: 30_000 });
    const titles = await until('the step titles', async () => {
      const t = (await page.locator('.getting-started-step .step-title').allInnerTexts()).map((x) => x.trim());
      return t.length === STEPS.length ? t : undefined;
    }, 20_000);
    assert.deepEqual(titles, STEPS);
    // The open step's image is drawn (loaded, not a broken image).
    const img = page.locator('.getting-started-media img').first();
    await img.waitFor({ state: 'visible', timeout: 15_000 });
    const size = await until('the step image loads', async () => {
      const s = await img.evaluate((e) => [(e as HTMLImageElement).naturalWidth, (e as HTMLImageElement).naturalHeight]);
      return s[0] > 0 ? s : undefined;
    }, 15_000);
    assert.ok(size[0] > 400 && size[1] > 200, JSON.stringify(size));
    assert.match((await img.getAttribute('alt')) ?? '', /status bar/);
    await w.screenshot('walkthrough');
  });

  it('"Open the Example Config" opens the seed as an untitled buffer, analysed, and ticks the step', async () => {
    const w = wb();
    const page = w.page.locator('.gettingStartedContainer');
    await page.locator('.getting-started-step', { hasText: STEPS[0] }).first().click();
    await page.getByRole('button', { name: 'Open the Example Config' }).click();
    await w.page.locator('.tabs-container .tab.active', { hasText: /Untitled-\d/ }).waitFor({ state: 'visible', timeout: 20_000 });
    await until('the example in the editor', async () => /MixVarGENetConfig\(/.test(await w.editorText()), 15_000);
    await until('the status-bar summary of the seed', async () => (await w.page.locator('.part.statusbar').innerText()).match(/2\.31\s*M/), 30_000);
    // Back on the walkthrough, the first step is done.
    await w.command('MixVarGENet: Get Started');
    const first = page.locator('.getting-started-step', { hasText: STEPS[0] }).first();
    await until('the first step ticked', async () => first.locator('.codicon-pass-filled, .complete').count(), 15_000);
    await w.screenshot('step-done');
  });

  it('"Open Graph Preview" from the graph step opens the preview of the example', async () => {
    const w = wb();
    const page = w.page.locator('.gettingStartedContainer');
    // The walkthrough takes the editor area; the graph preview opens beside the last active text editor.
    await w.page.locator('.tabs-container .tab', { hasText: /Untitled-\d/ }).first().click();
    await w.command('MixVarGENet: Get Started');
    await page.locator('.getting-started-step', { hasText: STEPS[2] }).first().click();
    await page.getByRole('button', { name: 'Open Graph Preview' }).click();
    await w.page.locator('.tabs-container .tab', { hasText: /Graph: Untitled-\d/ }).first().waitFor({ state: 'visible', timeout: 30_000 });
    // The seed's five stages, drawn (2.31M params in the header).
    const f = w.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await f.locator('svg#graph g.node.kind-stage').first().waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await f.locator('svg#graph g.node.kind-stage').count(), 5);
    assert.match(await f.locator('#header').innerText(), /2\.31M params/);
    await w.screenshot('graph-from-walkthrough');
  });
});
