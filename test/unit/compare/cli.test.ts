import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { appendRun, storePathFor } from '../../../extension/core/hat/store';
import { mvg, removeWorkspace, ROOT, workspace } from '../cli/helpers';

const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');
const expected = (name: string) => JSON.parse(read(`test/fixtures/expected/${name}.json`)) as { params: number; macs: number };

describe('mvg compare', () => {
  let dir: string;
  beforeEach(() => {
    dir = workspace({
      'configs/a.py': read('examples/configs/mixvargenet_imagenet.py'),
      'configs/sub/b.py': read('examples/configs/mixvargenet_fusion.py'),
      'configs/notes.py': 'print("not a config")\n',
    });
  });
  afterEach(() => removeWorkspace(dir));

  it('--json: one row per config of a directory, with params/MACs as PyTorch counts and the stored results', async () => {
    await appendRun(storePathFor(dir), 'configs/a.py', { id: '1', stage: 'calibration', time: '2026-01-01T00:00:00Z', status: 'ok', source: 'run', accuracy: 0.7066 });
    await appendRun(storePathFor(dir), 'configs/a.py', { id: '2', stage: 'compile_perf', time: '2026-01-02T00:00:00Z', status: 'ok', source: 'run', fps: 5790, latencyMs: 0.5 });
    const r = mvg(['compare', 'configs', '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    const rows = JSON.parse(r.out) as Record<string, unknown>[];
    assert.deepEqual(rows.map((x) => x.file), [path.join('configs', 'a.py'), path.join('configs', 'sub', 'b.py')]);
    assert.match(r.err, /notes\.py: no MixVarGENetConfig found; skipped/);
    const [a, b] = rows as { params: number; macs: number; latencyMs: null; accuracy: Record<string, number | null>; fps: number | null; j5LatencyMs: number | null; findings: Record<string, number> }[];
    assert.equal(a.params, expected('mixvargenet_imagenet').params);
    assert.equal(a.macs, expected('mixvargenet_imagenet').macs);
    assert.equal(b.params, expected('mixvargenet_fusion').params);
    assert.equal(b.macs, expected('mixvargenet_fusion').macs);
    assert.ok(Math.abs(a.accuracy.calibration! - 70.66) < 1e-9);
    assert.equal(a.accuracy.float, null);
    assert.equal(a.fps, 5790);
    assert.equal(a.j5LatencyMs, 0.5);
    assert.equal(a.latencyMs, null);
    // A config without results still appears, with nulls.
    assert.deepEqual([b.fps, b.accuracy.calibration], [null, null]);
    assert.deepEqual(Object.keys(a).sort(), ['accuracy', 'activationBytes', 'file', 'findings', 'fps', 'j5LatencyMs', 'latencyMs', 'macs', 'params', 'perfSource'].sort());
    assert.deepEqual(Object.keys(a.findings).sort(), ['errors', 'hints', 'warnings']);
  });

  it('text: a table with a row per config', () => {
    const r = mvg(['compare', 'configs/a.py', 'configs/sub/b.py'], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0], /^config\s+params\s+MACs/);
    assert.match(lines[1], /configs\/a\.py\s+2\.31M\s+1\.03 GMAC/);
    assert.match(lines[2], /configs\/sub\/b\.py\s+2\.71M\s+1\.09 GMAC/);
  });

  it('bad usage and unreadable paths exit 2', () => {
    assert.equal(mvg(['compare'], { cwd: dir }).code, 2);
    const r = mvg(['compare', 'configs/a.py', 'missing.py', '--json'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.err, /cannot read missing\.py: no such file/);
    assert.equal(JSON.parse(r.out).length, 1); // what could be read is still reported
    assert.equal(mvg(['compare', 'configs', '--bogus'], { cwd: dir }).code, 2);
  });
});
