// The Getting Started walkthrough (package.json contributes.walkthroughs): every step shows an image that is there
// and shipped, and every button is a command that exists — ours contributed, or one of VS Code's own.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

interface Step { id: string; title: string; description: string; media: { image?: string; altText?: string }; completionEvents?: string[] }
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  publisher: string;
  contributes: { commands: { command: string }[]; walkthroughs: { id: string; title: string; steps: Step[] }[] };
};
const ours = new Set(pkg.contributes.commands.map((c) => c.command));
/** VS Code's own commands a step may name (checked against the workbench in the UI test). */
const WORKBENCH = new Set(['workbench.actions.view.problems', 'workbench.action.files.openFile']);

function links(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(command:([\w.]+)\)/g)].map((m) => m[1]);
}

describe('package.json: the Getting Started walkthrough', () => {
  const [walk] = pkg.contributes.walkthroughs;
  const ignore = readFileSync(join(ROOT, '.vscodeignore'), 'utf8').split('\n');

  it('takes a user from a config to lint, the graph, latency, calibration and the compare view', () => {
    assert.equal(pkg.contributes.walkthroughs.length, 1);
    assert.deepEqual(walk.steps.map((s) => s.id), ['openConfig', 'lint', 'graph', 'latency', 'calibration', 'compare']);
    const commands = walk.steps.map((s) => links(s.description));
    assert.deepEqual(commands.map((c) => c.filter((x) => x.startsWith('mixvargenet.'))), [
      ['mixvargenet.openExample'],
      [],
      ['mixvargenet.openGraphPreview'],
      ['mixvargenet.measureLatency'],
      ['mixvargenet.hat.chooseScriptsDir', 'mixvargenet.hat.runCalibration'],
      ['mixvargenet.compareConfigs', 'mixvargenet.compareWithHead'],
    ]);
  });

  it('every button runs a command that exists', () => {
    for (const s of walk.steps) {
      const named = links(s.description);
      assert.ok(named.length > 0, `${s.id} has a button`);
      for (const c of named) assert.ok(ours.has(c) || WORKBENCH.has(c), `${s.id}: ${c} is neither contributed nor a known workbench command`);
      for (const e of s.completionEvents ?? []) {
        const m = /^onCommand:(.+)$/.exec(e);
        if (m) assert.ok(ours.has(m[1]) || WORKBENCH.has(m[1]), `${s.id}: completion on ${m[1]}`);
      }
    }
  });

  it('the negative control: a made-up command is caught', () => {
    const c = links('[x](command:mixvargenet.noSuchThing)')[0];
    assert.equal(c, 'mixvargenet.noSuchThing');
    assert.ok(!ours.has(c) && !WORKBENCH.has(c));
  });

  it('every step has an image that exists, is a PNG, has alt text, and is shipped in the .vsix', () => {
    assert.ok(ignore.includes('!media/walkthrough/*.png'), '.vscodeignore ships the images');
    for (const s of walk.steps) {
      const image = s.media.image;
      assert.ok(image && /^media\/walkthrough\/[\w-]+\.png$/.test(image), `${s.id}: ${image}`);
      const bytes = readFileSync(join(ROOT, image));
      assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${image} is a PNG`);
      assert.ok(bytes.length > 10_000, `${image} is a real picture (${bytes.length} bytes)`);
      assert.ok((s.media.altText ?? '').length > 20, `${s.id} has alt text`);
    }
  });

  it('the example config the first step opens is shipped', () => {
    assert.ok(ignore.includes('!examples/configs/mixvargenet_imagenet.py'));
    assert.ok(existsSync(join(ROOT, 'examples/configs/mixvargenet_imagenet.py')));
    const src = readFileSync(join(ROOT, 'extension/features/welcome/welcome.ts'), 'utf8');
    assert.match(src, /EXAMPLE_CONFIG = 'examples\/configs\/mixvargenet_imagenet\.py'/);
    assert.match(src, new RegExp(`WALKTHROUGH_ID = '${pkg.publisher}\\.${pkg.name}#${walk.id}'`));
  });
});
