// What a person sees on the seed config (examples/configs/mixvargenet_imagenet.py): the status-bar summary, the
// hover on an op and on a field, and completion of op names inside head_op="…" and of fields inside
// MixVarGENetConfig(. Screenshots in the dark and the light theme.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { useWorkbench } from './lib/mocha';
import { ROOT } from './lib/paths';
import { positionOf, until } from './lib/workbench';

const FILE = 'configs/mixvargenet_imagenet.py';
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'mixvargenet-config.schema.json'), 'utf8'));
const ops: Record<string, Record<string, unknown>> = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'ops.json'), 'utf8')).ops;
const J5_OPS = Object.keys(ops).filter((k) => ops[k].j5 !== false);
const FIELDS = Object.keys(schema.properties);

describe('UI: the seed config', function () {
  this.timeout(90_000);
  const wb = useWorkbench({ name: 'seed' });

  it('shows the network summary in the status bar (5 stages, 2.31M params, 1.03 GMAC)', async () => {
    const w = wb();
    await w.openFile(FILE);
    const item = await until('the MixVarGENet status-bar item', async () => {
      const texts = await w.page.locator('.part.statusbar .statusbar-item').allInnerTexts();
      return texts.find((t) => /MixVarGENet/.test(t) || /2\.31\s*M/.test(t));
    });
    assert.match(item, /2\.31\s*M/);
    assert.match(item, /1\.03\s*G/);
    await w.screenshot('status-bar');
  });

  it('hovers an op name: its settings, the convs it becomes here and their params/MACs', async () => {
    const w = wb();
    const text = w.readFile(FILE);
    await w.openFile(FILE);
    // Stage 2's head op (the first "mixvarge_f4" in the file is stage 1's head).
    const at = positionOf(text, 'mixvarge_f4', { occurrence: 0, offset: 4 });
    const hover = await w.hover(at, { contains: 'mixvarge_f4' });
    await w.screenshot('hover-op-dark');
    assert.match(hover, /mixvarge_f4/);
    assert.match(hover, /settings/i, 'the op settings table');
    assert.match(hover, /widens|factor/i, 'the op settings (its widening factor)');
    assert.match(hover, /conv1/, 'the convs the op becomes');
    assert.match(hover, /conv2/);
    assert.match(hover, /params/i);
    assert.match(hover, /MACs?/);
    // The same hover in the light theme, as a person on a light theme sees it.
    await w.setTheme('Default Light Modern');
    try {
      await w.hover(at, { contains: 'mixvarge_f4' });
      await w.screenshot('hover-op-light');
    } finally {
      await w.setTheme('Default Dark Modern');
    }
  });

  it('hovers a field name: its documentation from the schema', async () => {
    const w = wb();
    const text = w.readFile(FILE);
    await w.openFile(FILE);
    const at = positionOf(text, 'extra_downsample_num', { offset: 3 });
    const doc = String(schema.properties.extra_downsample_num.description);
    const words = doc.split(/\s+/).slice(0, 5).join(' ');
    const hover = await w.hover(at, { contains: 'extra_downsample_num' });
    await w.screenshot('hover-field');
    assert.ok(hover.replace(/\s+/g, ' ').includes(words), `the hover quotes the schema ("${words}"):\n${hover}`);
  });

  it('completes op names inside head_op="…", with what each costs here', async () => {
    const w = wb();
    const text = w.readFile(FILE);
    await w.openFile(FILE);
    // Empty stage 1's head_op string and ask for completion between the quotes.
    const at = positionOf(text, 'head_op="mixvarge_f4"', { offset: 'head_op="'.length });
    await w.goto(at);
    for (let i = 0; i < 'mixvarge_f4'.length; i++) await w.page.keyboard.press('Shift+ArrowRight');
    await w.page.keyboard.press('Delete');
    const rows = await w.complete({ expect: (r) => r.some((x) => x.label === 'mixvarge_f2') });
    const labels = rows.map((r) => r.label);
    for (const op of J5_OPS.slice(0, 3)) assert.ok(labels.includes(op), `${op} is offered: ${labels.join(', ')}`);
    assert.ok(!labels.includes('in_channels'), 'no field names inside an op string');
    // The details of the focused suggestion (Ctrl+Space again opens them) tell the cost at this position.
    await w.page.keyboard.press('Control+Space');
    const details = await until('suggestion details', async () => {
      const d = w.page.locator('.suggest-details-container .suggest-details').filter({ visible: true }).first();
      const t = (await d.count()) ? await d.innerText() : '';
      const rowText = rows.map((r) => `${r.detail} ${r.ariaLabel}`).join('\n');
      const all = `${t}\n${rowText}`;
      return /params/i.test(all) && /MAC/.test(all) ? all : undefined;
    });
    assert.match(details, /params/i);
    await w.screenshot('completion-ops');
    await w.page.keyboard.press('Escape');
    await w.page.keyboard.press('Control+Z');
  });

  it('completes field names inside MixVarGENetConfig(', async () => {
    const w = wb();
    const text = w.readFile(FILE);
    await w.openFile(FILE);
    // A new stage after the last one: type its call, as a person does (brackets close themselves).
    const last = positionOf(text, '# stride 32');
    await w.goto({ line: last.line, column: last.column });
    await w.page.keyboard.press('End');
    await w.page.keyboard.press('Enter');
    await w.type('[MixVarGENetConfig(');
    await w.page.keyboard.press('Escape');
    const rows = await w.complete({ expect: (r) => r.some((x) => x.label.startsWith('in_channels')) });
    const labels = rows.map((r) => r.label.replace(/\s*=.*$/, ''));
    for (const f of ['in_channels', 'out_channels', 'head_op', 'stride']) assert.ok(labels.includes(f), `${f} is offered: ${labels.join(', ')}`);
    assert.ok(labels.every((l) => FIELDS.includes(l) || !/_/.test(l)), `only schema fields among the field suggestions: ${labels.join(', ')}`);
    await w.screenshot('completion-fields');
    await w.page.keyboard.press('Escape');
  });
});
