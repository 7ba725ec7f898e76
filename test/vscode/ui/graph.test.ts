// What a person sees in the graph preview (issue 4): "MixVarGENet: Open Graph Preview" on the fusion example opens
// the panel beside the editor; its SVG has the 5 stage nodes and the 6 fusion edges; a click on a stage selects
// its MixVarGENetConfig call in the editor; an edit redraws it; "Export Graph as SVG…" through the save dialog
// writes a file Chromium's XML parser accepts; the panel comes back after a window reload. Screenshots in the
// dark and the light theme.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import type { FrameLocator } from 'playwright-core';
import { useWorkbench } from './lib/mocha';
import { positionOf, until } from './lib/workbench';

const FILE = 'configs/mixvargenet_fusion.py';

describe('UI: the graph preview', function () {
  this.timeout(180_000);
  const wb = useWorkbench({ name: 'graph' });

  const frame = (): FrameLocator => wb().page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');

  async function openPreview(): Promise<FrameLocator> {
    const w = wb();
    // Each test starts from a clean window (the previous one left the config and its preview open).
    await w.command('View: Close All Editors');
    await w.page.locator('.editor-group-container .tab').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
    await w.openFile(FILE);
    await w.command('MixVarGENet: Open Graph Preview');
    const f = frame();
    await f.locator('svg#graph g.node.kind-stage').first().waitFor({ state: 'visible', timeout: 30_000 });
    return f;
  }

  it('opens beside the config and draws the stages and fusion edges; dark and light', async () => {
    const w = wb();
    const f = await openPreview();
    assert.equal(await f.locator('svg#graph g.node.kind-stage').count(), 5);
    assert.equal(await f.locator('svg#graph g.edge.kind-fusion').count(), 6);
    // edge labels sit in their own layer above the lines (text.edge-label[data-edge="<edge id>"])
    const labels = await f.locator('svg#graph text.edge-label[data-edge^="fusion:"]').allTextContents();
    assert.ok(labels.includes('fusion s8 · 64ch'), labels.join(' | '));
    const header = await f.locator('#header').innerText();
    assert.match(header, /mixvargenet_fusion\.py/);
    // two editor groups: the config on the left, the preview on the right
    assert.equal(await w.page.locator('.editor-group-container').count(), 2);
    await w.screenshot('graph-dark');
    await w.setTheme('Default Light Modern');
    await f.locator('svg#graph g.node.kind-stage').first().waitFor({ state: 'visible' });
    await w.screenshot('graph-light');
    await w.setTheme('Default Dark Modern');
  });

  it('a click on a stage node selects its config call in the editor', async () => {
    const w = wb();
    const f = await openPreview();
    await f.locator('svg#graph g.node.kind-stage[data-id="s3"]').click();
    const text = w.readFile(FILE);
    // The call runs from `MixVarGENetConfig(in_channels=64, out_channels=96` to the `)` after extra_downsample_num=1:
    // the selection ends there (the editor's active line), and the editor paints a selection.
    const last = positionOf(text, 'fusion_strides=[4, 8], extra_downsample_num=1)');
    const editor = w.page.locator('.editor-group-container').first();
    await until('the cursor on the last line of stage 3', async () => {
      const n = await editor.locator('.margin-view-overlays .active-line-number').first().innerText({ timeout: 1000 }).catch(() => '');
      return n.trim() === String(last.line) ? n : undefined;
    });
    assert.ok((await editor.locator('.view-overlays .selected-text').count()) > 0, 'a selection is painted');
    assert.equal(await f.locator('svg#graph g.node.selected').getAttribute('data-id'), 's3');
    await w.screenshot('graph-click-selects');
  });

  it('"Export Graph as SVG…" writes, through the save dialog, an SVG that parses', async () => {
    const w = wb();
    const f = await openPreview();
    await f.locator('svg#graph g.node.kind-stage').first().click();
    await w.command('MixVarGENet: Export Graph as SVG…');
    // The save dialog (VS Code's simple file dialog in the browser) proposes <config>.graph.svg beside the config.
    const input = w.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    // (the dialog fills its path in after it opens)
    const proposed = await until('the proposed file name', async () => {
      const v = await input.inputValue();
      return /\.svg$/.test(v) ? v : undefined;
    });
    assert.match(proposed, /mixvargenet_fusion\.graph\.svg$/);
    await input.press('Enter');
    const out = w.file('configs/mixvargenet_fusion.graph.svg');
    // Whole: the file may exist before its last byte is written.
    await until('the exported file', async () => fs.existsSync(out) && fs.readFileSync(out, 'utf8').trimEnd().endsWith('</svg>'));
    const svg = fs.readFileSync(out, 'utf8');
    const parsed = await w.page.evaluate((s) => {
      const doc = new DOMParser().parseFromString(s, 'image/svg+xml');
      const err = doc.querySelector('parsererror');
      return {
        error: err ? err.textContent : null,
        root: doc.documentElement.localName,
        stages: doc.querySelectorAll('g.node.kind-stage').length,
        fusion: doc.querySelectorAll('g.edge.kind-fusion').length,
      };
    }, svg);
    assert.equal(parsed.error, null);
    assert.deepEqual(parsed, { error: null, root: 'svg', stages: 5, fusion: 6 });
  });

  it('an edit in the editor redraws the picture; the preview is restored after a window reload', async () => {
    const w = wb();
    const f = await openPreview();
    const titleOf = async () => (await f.locator('svg#graph g.node[data-id="s4"] title').first().textContent()) ?? '';
    const before = await titleOf();
    // Back to the editor: change stage 4's out_channels 160 → 192.
    const text = w.readFile(FILE);
    await w.command('View: Focus First Editor Group');
    await w.goto(positionOf(text, 'out_channels=160', { offset: 'out_channels='.length }));
    await w.page.keyboard.press('Shift+ArrowRight');
    await w.page.keyboard.press('Shift+ArrowRight');
    await w.page.keyboard.press('Shift+ArrowRight');
    await w.type('192');
    const after = await until('stage 4 redrawn', async () => {
      const t = await titleOf();
      return t !== before ? t : undefined;
    });
    assert.match(after, /192/);
    await w.save();

    // "Developer: Reload Window", as a person reloads: VS Code's own shutdown stores the open editors first (a bare
    // browser reload may not let it).
    await w.command('Developer: Reload Window');
    await w.page.waitForLoadState('load');
    await w.page.locator('.monaco-workbench').waitFor({ state: 'detached', timeout: 30_000 }).catch(() => undefined);
    await w.waitForReady();
    const g = frame();
    await g.locator('svg#graph g.node.kind-stage').first().waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(await g.locator('svg#graph g.node.kind-stage').count(), 5);
    await w.screenshot('graph-restored');
  });
});
