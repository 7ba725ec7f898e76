import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { run, memoryIO } from '../../../extension/cli/main';

const fixtures = path.join(__dirname, '../../../../test/fixtures/logs');

describe('mvg log', () => {
  it('prints the root cause of a failure repeated once per rank, once', () => {
    const io = memoryIO({ cwd: fixtures });
    assert.equal(run(['log', 'failure_keyerror_4ranks.log'], io), 0);
    assert.match(io.out, /FAILED: KeyError: 'mixvarge_f3'/);
    assert.match(io.out, /printed 4× by ranks 0, 1, 2, 3/);
    assert.equal(io.out.match(/FAILED/g)?.length, 1);
  });

  it('reads accuracy, compile_perf (log and summary JSON) and board results; --json has the parsed report', () => {
    const io = memoryIO({ cwd: fixtures });
    assert.equal(run(['log', 'predict_float.log', 'compile_perf_j5.log', 'compile_perf_j6.json', 'hrt_perf.log'], io), 0);
    assert.match(io.out, /accuracy 0\.7132.*71\.32%/);
    assert.match(io.out, /5722\.98 FPS, latency 44\.732 ms, DDR 1\.92 MB\/frame/);
    assert.match(io.out, /812\.50 FPS/);
    assert.match(io.out, /hrt_model_exec\): 5790\.35 FPS/);
    const j = memoryIO({ cwd: fixtures });
    run(['log', 'predict_float.log', '--json'], j);
    const parsed = JSON.parse(j.out);
    assert.equal(parsed[0].report.validations[0].accuracy, 0.7132);
  });

  it('exits 2 on a missing file and on no files, and says nothing was recognised in unknown output', () => {
    const io = memoryIO({ cwd: fixtures });
    assert.equal(run(['log', 'missing.log'], io), 2);
    assert.match(io.err, /cannot read missing\.log: no such file/);
    assert.equal(run(['log'], memoryIO()), 2);
    const u = memoryIO({ cwd: path.join(fixtures, '../../../examples/configs') });
    assert.equal(run(['log', 'mixvargenet_imagenet.py'], u), 0);
    assert.match(u.out, /nothing recognised/);
  });
});
