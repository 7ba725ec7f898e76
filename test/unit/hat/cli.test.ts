import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { memoryIO, run } from '../../../extension/cli/main';
import { appendRun, storePathFor } from '../../../extension/core/hat/store';
import { run as rec } from './helpers';

describe('hat: mvg results', () => {
  let dir: string;
  const cfg = () => path.join(dir, 'configs', 'm.py');
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-res-'));
    fs.mkdirSync(path.join(dir, 'configs'));
    fs.writeFileSync(cfg(), 'task_name = "m"\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints the summary and every run of a config, found from the config path', async () => {
    await appendRun(storePathFor(dir), 'configs/m.py', rec('float_predict', new Date(Date.now() - 3 * 3600_000).toISOString(), { accuracy: 0.7132 }));
    await appendRun(storePathFor(dir), 'configs/m.py', rec('calibration', new Date(Date.now() - 60_000).toISOString(), { accuracy: 0.7066 }));
    await appendRun(storePathFor(dir), 'configs/other.py', rec('infer', new Date().toISOString()));
    const io = memoryIO({ cwd: dir });
    assert.equal(run(['results', 'configs/m.py'], io), 0, io.err);
    assert.match(io.out, /configs\/m\.py: float 71\.32% · calib 70\.66% \(calibration, 1 min ago\)/);
    assert.equal(io.out.split('\n').filter((l) => /^ {2}\d{4}-/.test(l)).length, 2);
    assert.ok(!io.out.includes('other.py'));

    const j = memoryIO({ cwd: path.join(dir, 'configs') });
    assert.equal(run(['results', 'm.py', '--json'], j), 0);
    const parsed = JSON.parse(j.out);
    assert.equal(parsed.configs[0].config, 'configs/m.py');
    assert.equal(parsed.configs[0].latest.calib.accuracy, 0.7066);
    assert.equal(parsed.configs[0].runs.length, 2);

    const all = memoryIO({ cwd: dir });
    assert.equal(run(['results', '.mixvargenet/results.json'], all), 0);
    assert.match(all.out, /configs\/other\.py: infer, just now/);
  });

  it('no store is not an error; a corrupt store, a missing file and bad usage are (exit 2)', () => {
    const io = memoryIO({ cwd: dir });
    assert.equal(run(['results', 'configs/m.py'], io), 0);
    assert.match(io.out, /no HAT results recorded/);
    fs.mkdirSync(path.join(dir, '.mixvargenet'));
    fs.writeFileSync(storePathFor(dir), '{broken');
    const bad = memoryIO({ cwd: dir });
    assert.equal(run(['results', 'configs/m.py'], bad), 2);
    assert.match(bad.err, /not valid JSON/);
    assert.equal(fs.readFileSync(storePathFor(dir), 'utf8'), '{broken', 'the CLI only reads');
    const missing = memoryIO({ cwd: dir });
    assert.equal(run(['results', 'nope.py'], missing), 2);
    assert.match(missing.err, /no such file/);
    const usage = memoryIO({ cwd: dir });
    assert.equal(run(['results'], usage), 2);
    assert.equal(run(['results', 'a', 'b'], memoryIO({ cwd: dir })), 2);
    const help = memoryIO();
    assert.equal(run(['help', 'results'], help), 0);
    assert.match(help.out, /Usage: mvg results FILE/);
  });
});
