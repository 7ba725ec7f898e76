// What a person sees of a comparison (issue 14 A) in the real workbench: "MixVarGENet: Compare with File…" on the
// fusion example, picking the seed config in the quick pick, marks the graph preview's changed stages (dashed
// outline), puts their old values in the node's tooltip and the keys in the legend, and shows each changed stage's
// delta on the line above it, beside its numbers (the editor is half as wide beside the preview). Expected: the stages whose PyTorch counts differ between the two
// examples' reference fixtures (test/fixtures/expected) are the changed ones; stage 0 is written the same in both.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { useWorkbench } from './lib/mocha';
import { ROOT } from './lib/paths';
import { positionOf, until } from './lib/workbench';

const FILE = 'configs/mixvargenet_fusion.py';
type Ref = { stages: { params: number; macs: number }[] };
const ref = (name: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/expected', name), 'utf8')) as Ref;

describe('UI: the comparison and the graph diff mode', function () {
  this.timeout(180_000);
  const wb = useWorkbench({ name: 'diff' });

  it('Compare with File… marks the changed stages in the graph, with their old values, and shows their deltas above them', async () => {
    const w = wb();
    const seed = ref('mixvargenet_imagenet.json');
    const fusion = ref('mixvargenet_fusion.json');
    const changed = fusion.stages.map((s, i) => i).filter((i) => fusion.stages[i].params !== seed.stages[i].params || fusion.stages[i].macs !== seed.stages[i].macs);
    assert.deepEqual(changed, [1, 2, 3, 4], 'the fixtures differ in stages 1-4');

    await w.openFile(FILE);
    await w.command('MixVarGENet: Open Graph Preview');
    const f = w.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await f.locator('svg#graph g.node.kind-stage').first().waitFor({ state: 'visible', timeout: 30_000 });
    await w.command('MixVarGENet: Compare with File…');
    const input = w.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill('mixvargenet_imagenet');
    const row = w.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'mixvargenet_imagenet.py' }).first();
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    await row.click();

    await f.locator('svg#graph g.node.diff-changed').first().waitFor({ state: 'visible', timeout: 20_000 });
    const marked = await f.locator('svg#graph g.node.diff-changed').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    assert.deepEqual(marked.sort(), changed.map((i) => `s${i}`));
    assert.equal(await f.locator('svg#graph g.node.diff-added').count(), 0);
    // The tooltip (the node's <title>) says what it was: the seed's stage 4 counts as PyTorch has them.
    const title = await f.locator('svg#graph g.node[data-id="s4"] > title').textContent();
    assert.match(title ?? '', /~ changed since the compared version/);
    assert.ok((title ?? '').includes(`was ${seed.stages[4].params.toLocaleString('en-US')} params · ${seed.stages[4].macs.toLocaleString('en-US')} MACs`), title ?? '');
    assert.match(title ?? '', /was stack_ops \["mixvarge_f2_gb16", "mixvarge_f2_gb16"\] → \["mixvarge_f2_gb16", "mixvarge_f2_r_gb16"\]/);
    assert.match(await f.locator('#legend').innerText(), /added[\s\S]*changed vs mixvargenet_imagenet\.py/);
    assert.match(await f.locator('#diff-summary').innerText(), /vs mixvargenet_imagenet\.py: \+/);
    // The editor: stage 4's line ends with its delta (PyTorch: 330,944 − 272,704 = +58,240 params; 15,905,792 −
    // 13,146,112 = +2,759,680 MACs).
    assert.equal(fusion.stages[4].params - seed.stages[4].params, 58_240);
    assert.equal(fusion.stages[4].macs - seed.stages[4].macs, 2_759_680);
    // The editor is half as wide beside the preview: the deltas are on the line above each stage, with its numbers.
    const lens = w.editor().locator('.codelens-decoration', { hasText: 'Δ +58.2K params · +2.76M MACs' }).first();
    await w.goto(positionOf(w.readFile(FILE), 'in_channels=96, out_channels=160'));
    await lens.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match((await lens.innerText()).replace(/\s+/g, ' '), /stage 4 → 160×7×7 .*\| Δ \+58\.2K params · \+2\.76M MACs/);
    // The README's picture (docs/images/compare-diff-mode.png): the side bar closed, the notification dismissed.
    await w.dismissNotifications();
    await w.command('View: Close Primary Side Bar');
    await w.page.waitForTimeout(500);
    await w.screenshot('graph-diff-mode');
    await w.command('View: Toggle Primary Side Bar Visibility');

    await w.command('MixVarGENet: Clear Comparison');
    await f.locator('svg#graph g.node.diff-changed').first().waitFor({ state: 'detached', timeout: 15_000 });
    assert.equal(await f.locator('#diff-summary').isVisible(), false);
  });

  it('Compare with Revision… lists the file\'s commits; picking one compares with it, named by its short hash in the status bar', async () => {
    const w = wb();
    const git = (...args: string[]) => {
      const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: w.file('.'), encoding: 'utf8' });
      assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
      return r.stdout.trim();
    };
    const SEED = 'configs/mixvargenet_imagenet.py';
    git('init', '-q');
    git('add', SEED);
    git('commit', '-q', '-m', 'the seed as the model zoo has it');
    const head = git('rev-parse', 'HEAD');
    // The working copy becomes the edited seed (test/fixtures/diff: stage 3 shorter, stage 4 wider, a stage 5).
    fs.writeFileSync(w.file(SEED), fs.readFileSync(path.join(ROOT, 'test/fixtures/diff/seed_edited.py'), 'utf8'));
    const seed = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/expected/mixvargenet_imagenet.json'), 'utf8')) as { params: number; macs: number };
    const edited = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/diff/seed_edited.json'), 'utf8')) as { params: number; macs: number };
    // PyTorch: 3,062,104 − 2,310,744 = +751,360 params (+751K); 1,056,977,920 − 1,033,746,432 = +23,231,488 MACs (+23.2M).
    assert.equal(edited.params - seed.params, 751_360);
    assert.equal(edited.macs - seed.macs, 23_231_488);

    await w.openFile(SEED);
    await until('the edited seed in the editor', async () => (await w.editorText()).includes('out_channels=192'), 15_000);
    await w.command('MixVarGENet: Compare with Revision…');
    const row = w.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'the seed as the model zoo has it' }).first();
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    // The row's label is the commit's short hash; its description the age and the subject.
    const label = (await row.locator('.label-name').first().innerText()).trim();
    const short = /^[0-9a-f]{7,8}$/.test(label) ? label : undefined;
    assert.ok(short && head.startsWith(short), `the commit's short hash as the row's label: ${label}`);
    assert.match(await row.locator('.label-description').first().innerText(), /ago · the seed as the model zoo has it/);
    await row.click();
    const status = await until('the comparison in the status bar', async () => {
      const t = (await w.page.locator('.part.statusbar').innerText()).replace(/\s+/g, ' ');
      return t.includes(`vs ${short}: +751K params · +23.2M MACs`) && t;
    }, 20_000);
    assert.ok(!status.includes(head), 'not the full hash');
    await w.dismissNotifications();
    await w.command('MixVarGENet: Clear Comparison');
    await until('the status item to go', async () => !(await w.page.locator('.part.statusbar').innerText()).includes(`vs ${short}`), 10_000);
  });
});
