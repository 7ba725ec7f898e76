// The settings are contributed in titled groups whose ids are the keys' prefixes: VS Code's Settings editor then
// shows a setting under its group's title ("MixVarGENet: HAT") with the rest of its key as its name ("Scripts Dir")
// instead of "Mixvargenet › Hat: Scripts Dir" (it trims a category equal to the group's id).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

describe('package.json: settings groups', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { configuration: { id: string; title: string; properties: Record<string, unknown> }[] } };
  const groups = pkg.contributes.configuration;

  it('three titled groups, spelt as the product and HAT are', () => {
    assert.deepEqual(groups.map((g) => [g.id, g.title]), [
      ['mixvargenet', 'MixVarGENet'],
      ['mixvargenet.perf', 'MixVarGENet: Latency (CPU)'],
      ['mixvargenet.hat', 'MixVarGENet: HAT'],
    ]);
  });

  it('every key starts with its group id, and sits in the most specific group that fits it', () => {
    const ids = groups.map((g) => g.id);
    for (const g of groups) {
      for (const key of Object.keys(g.properties)) {
        assert.ok(key.startsWith(`${g.id}.`), `${key} in ${g.id}`);
        const best = ids.filter((id) => key.startsWith(`${id}.`)).sort((a, b) => b.length - a.length)[0];
        assert.equal(best, g.id, `${key} belongs in ${best}`);
      }
    }
  });
});
