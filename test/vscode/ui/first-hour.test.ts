// The first hour of a new user (issue 13), in the real workbench: what a person meets on the bundled examples.
//
// HAT commands on a workspace with no HAT scripts folder: one notification that says so and offers "Choose Folder…"
// and the workspace settings — no terminal opens only to fail — and the Settings editor spells the product and HAT
// right ("MixVarGENet: HAT", "Scripts Dir"), on the Workspace scope.
import { strict as assert } from 'node:assert';
import { useWorkbench } from './lib/mocha';
import { positionOf, until } from './lib/workbench';

const FILE = 'configs/mixvargenet_imagenet.py';

describe('UI: the first hour — HAT without a scripts folder, and the settings it names', function () {
  this.timeout(150_000);
  const wb = useWorkbench({ name: 'first-hour' });

  it('the editor-title buttons on a config say what they do (tooltip), and the status-bar summary shows', async () => {
    const w = wb();
    await w.openFile(FILE);
    await until('the status-bar summary', async () => (await w.page.locator('.part.statusbar').innerText()).match(/2\.31\s*M/), 30_000);
    const actions = w.page.locator('.editor-group-container.active .editor-actions .action-label');
    const labels = await until('our editor-title buttons', async () => {
      const l = await actions.evaluateAll((els) => els.map((e) => (e.getAttribute('aria-label') || e.getAttribute('title') || '').trim()));
      return l.some((x) => /Graph Preview/.test(x)) ? l : undefined;
    }, 20_000);
    assert.ok(labels.some((l) => /^MixVarGENet: Open Graph Preview/.test(l) || /^Open Graph Preview/.test(l)), JSON.stringify(labels));
    assert.ok(labels.some((l) => /HAT/.test(l)), JSON.stringify(labels));
    assert.ok(labels.every((l) => l.length > 0), `every button has a tooltip: ${JSON.stringify(labels)}`);
  });

  it('Ctrl+Space where nothing of ours fits says why (no word suggestions); the op list shows J5 uncut and each block\'s total', async () => {
    const w = wb();
    await w.openFile(FILE);
    const text = w.readFile(FILE);
    // Stage 2's fusion_strides=[…]: nothing arrives there (stage 1 emits no downsamples).
    const at = positionOf(text, 'fusion_strides=[], extra_downsample_num=0)],                              # stride 8', { offset: 'fusion_strides=['.length });
    const rows = await w.complete({ at });
    await w.screenshot('completion-note');
    assert.deepEqual(rows.map((r) => r.label), ['(no fusion map arrives at this stage)'], JSON.stringify(rows));
    await w.page.keyboard.press('Escape');
    // Stage 3's head_op (the first mixvarge_f2_gb16 head).
    const opAt = positionOf(text, 'head_op="mixvarge_f2_gb16"', { offset: 'head_op="mixvarge_f2'.length });
    const ops = await w.complete({ at: opAt, expect: (r) => r.some((x) => x.label === 'mixvarge_f2_gb16') });
    await w.screenshot('completion-ops');
    const row = ops.find((r) => r.label === 'mixvarge_f2_gb16')!;
    assert.match(row.ariaLabel, /^mixvarge_f2_gb16\s+J5 · 37\.8K params · 7\.23 MMAC/, JSON.stringify(row));
    // What is drawn: the mark is whole on every J5 row (the details may be cut at their end, never the mark).
    const shown = await w.page.locator('.editor-widget.suggest-widget.visible .monaco-list-row').allInnerTexts();
    assert.ok(shown.some((t) => /mixvarge_f2_gb16\s+J5 ·/.test(t)), JSON.stringify(shown));
    assert.ok(!shown.some((t) => /\bJ…/.test(t)), JSON.stringify(shown));
    await w.page.keyboard.press('Escape');
  });

  it('"Run Calibration" with no scripts folder: one notification with "Choose Folder…", and no terminal', async () => {
    const w = wb();
    await w.dismissNotifications();
    await w.command('MixVarGENet: Run Calibration');
    const toast = w.page.locator('.notification-toast', { hasText: 'scripts folder' }).first();
    await toast.waitFor({ state: 'visible', timeout: 20_000 });
    const buttons = await toast.locator('.monaco-button').allInnerTexts();
    assert.deepEqual(buttons.map((b) => b.trim()), ['Choose Folder…', 'Open Workspace Settings', 'Details'], JSON.stringify(buttons));
    const message = (await toast.locator('.notification-list-item-message').innerText()).trim();
    assert.equal(message, "MixVarGENet: HAT's scripts folder was not found for mixvargenet_imagenet.py.", 'one short sentence');
    await new Promise((r) => setTimeout(r, 800)); // the toast slides in
    await w.screenshot('hat-no-scripts-folder');
    // No task terminal: neither a terminal tab nor VS Code's "failed to launch" / "exit code" message.
    await new Promise((r) => setTimeout(r, 1500));
    const panel = await w.page.locator('.part.panel').innerText().catch(() => '');
    assert.doesNotMatch(panel, /failed to launch|exit code|Calibration — /, panel.slice(0, 400));
    assert.equal(await w.page.locator('.terminal-tabs-entry, .single-terminal-tab').count(), 0, 'no terminal was opened');
  });

  it('"Open Workspace Settings" opens the Workspace scope on the setting; browsing, its group reads "MixVarGENet: HAT" and the setting "Scripts Dir"', async () => {
    const w = wb();
    const toast = w.page.locator('.notification-toast', { hasText: 'scripts folder' }).first();
    await toast.locator('.monaco-button', { hasText: 'Open Workspace Settings' }).click();
    const editor = w.page.locator('.settings-editor');
    await editor.waitFor({ state: 'visible', timeout: 20_000 });
    const found = editor.locator('.setting-item-contents', { hasText: 'Scripts Dir' }).first();
    await found.waitFor({ state: 'visible', timeout: 20_000 });
    const scope = (await editor.locator('.settings-tabs-widget .action-label.checked').first().innerText()).trim();
    assert.match(scope, /^Workspace/, `the scope tab selected: ${scope}`);
    // (A search result keeps VS Code's own label, derived from the key. Browsing, the group's title is used.)
    await w.screenshot('settings-hat-search');
    await editor.locator('.settings-header [aria-label="Clear Settings Search Input"]').first().click();
    const toc = editor.locator('.settings-toc-container');
    await until('the whole settings tree (not search results)', async () => /Commonly Used/.test(await toc.innerText()), 20_000, 300);
    const hatEntry = toc.getByText('MixVarGENet: HAT', { exact: true }).first();
    // The extension's groups sit under Extensions › MixVarGENet Studio, collapsed at first: open them as a person does.
    for (const node of ['Extensions', 'MixVarGENet Studio']) {
      if ((await hatEntry.count()) > 0) break;
      const row = toc.getByText(node, { exact: true }).first();
      await row.waitFor({ state: 'visible', timeout: 20_000 });
      await row.click();
      await new Promise((r) => setTimeout(r, 500));
    }
    await hatEntry.waitFor({ state: 'visible', timeout: 20_000 });
    await hatEntry.click();
    const row = editor.locator('.settings-tree-container .setting-item-contents', { hasText: 'Scripts Dir' }).first();
    await row.waitFor({ state: 'visible', timeout: 20_000 });
    const title = (await row.locator('.setting-item-title').innerText()).replace(/\s+/g, ' ').trim();
    assert.equal(title, 'Scripts Dir', `browsing the group, the setting's title is "${title}"`);
    const tocText = await toc.innerText();
    assert.match(tocText, /MixVarGENet: Latency \(CPU\)/);
    assert.doesNotMatch(tocText, /Mixvargenet/);
    await w.screenshot('settings-hat');
  });
});
