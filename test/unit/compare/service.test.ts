import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AnalysisService } from '../../../extension/analysis/service';
import type { CompareInputsResult, DocOptions } from '../../../extension/analysis/protocol';

const ROOT = path.resolve(__dirname, '../../../..');
const OPTIONS: DocOptions = { target: 'J5', hints: true, disabled: [] };
const expected = (name: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/expected', `${name}.json`), 'utf8')) as { params: number; macs: number };

describe('analysis service: the compareInputs request (the compare and configs views)', () => {
  const svc = new AnalysisService();
  const ask = (p: string, text?: string, withPlan = false) => svc.handle({ type: 'compareInputs', path: p, text, options: OPTIONS, withPlan }) as CompareInputsResult;
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-cmp-svc-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads the file at the path (the worker, not the host) and answers its row inputs; the plan only when asked', () => {
    const file = path.join(ROOT, 'examples/configs/mixvargenet_fusion.py');
    const r = ask(file);
    assert.ok(r.ok);
    assert.equal(r.inputs.params, expected('mixvargenet_fusion').params);
    assert.equal(r.inputs.macs, expected('mixvargenet_fusion').macs);
    assert.equal(r.plan, null);
    const withPlan = ask(file, undefined, true);
    assert.ok(withPlan.ok && withPlan.plan && withPlan.plan.kind === 'network-plan');
  });

  it("an editor's text wins over the file on disk (unsaved edits count)", () => {
    const file = path.join(ROOT, 'examples/configs/mixvargenet_imagenet.py');
    const text = fs.readFileSync(file, 'utf8').replace('in_channels=96, out_channels=160', 'in_channels=96, out_channels=192');
    const r = ask(file, text);
    assert.ok(r.ok);
    assert.ok(r.inputs.params! > expected('mixvargenet_imagenet').params);
  });

  it('a missing file, a directory or a file that is not a config: a clear answer, never a throw', () => {
    const missing = ask(path.join(dir, 'nope.py'));
    assert.equal(missing.ok, false);
    assert.match((missing as { error: string }).error, /cannot read .*nope\.py/);
    assert.equal(ask(dir).ok, false);
    const plain = path.join(dir, 'plain.py');
    fs.writeFileSync(plain, 'x = 1\n');
    const r = ask(plain, undefined, true);
    assert.ok(r.ok);
    assert.equal(r.inputs.relevant, false);
    assert.equal(r.inputs.params, null);
    assert.equal(r.plan, null);
  });
});
