import { strict as assert } from 'node:assert';
import { buildCommand, configArg, sanitizeStageOptions, shellQuote, STAGES, stageSpec, substitute } from '../../../extension/core/hat';

const base = { scriptsDir: '/opt/hat/scripts', python: 'python3', config: '/opt/hat/scripts/configs/classification/mixvargenet_imagenet.py' };

function ok(r: ReturnType<typeof buildCommand>) {
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r;
}

describe('hat: stage catalogue and argv', () => {
  it('covers every stage of the workflow, Run Calibration among them', () => {
    const scripts = new Set(STAGES.map((s) => s.script));
    for (const s of ['tools/train.py', 'tools/predict.py', 'tools/align_bpu_validation.py', 'tools/compile_perf.py', 'tools/infer.py', 'tools/datasets/imagenet_packer.py']) assert.ok(scripts.has(s), s);
    assert.equal(stageSpec('calibration')?.title, 'Run Calibration');
    assert.equal(stageSpec('nope'), undefined);
  });

  it('builds the documented commands, config relative to the scripts folder when inside it', () => {
    assert.deepEqual(ok(buildCommand({ ...base, stage: 'calibration' })).argv, ['python3', 'tools/train.py', '--config', 'configs/classification/mixvargenet_imagenet.py', '--stage', 'calibration']);
    assert.deepEqual(ok(buildCommand({ ...base, stage: 'float_train' })).argv.slice(1), ['tools/train.py', '--config', 'configs/classification/mixvargenet_imagenet.py', '--stage', 'float']);
    assert.deepEqual(ok(buildCommand({ ...base, stage: 'int_infer_predict' })).argv.slice(1), ['tools/predict.py', '--config', 'configs/classification/mixvargenet_imagenet.py', '--stage', 'int_infer']);
    assert.deepEqual(ok(buildCommand({ ...base, stage: 'calibration_predict' })).argv.slice(-2), ['--stage', 'calibration']);
    assert.deepEqual(ok(buildCommand({ ...base, stage: 'align_bpu' })).argv.slice(1), ['tools/align_bpu_validation.py', '--config', 'configs/classification/mixvargenet_imagenet.py']);
    assert.deepEqual(ok(buildCommand({ ...base, stage: 'compile_perf' })).argv.slice(1), ['tools/compile_perf.py', '--config', 'configs/classification/mixvargenet_imagenet.py', '--out-dir', './tmp_compile', '--opt', '3']);
    assert.deepEqual(ok(buildCommand({ ...base, stage: 'compile_perf', options: { opt: 0, outDir: '/tmp/o' } })).argv.slice(-4), ['--out-dir', '/tmp/o', '--opt', '0']);
    assert.deepEqual(ok(buildCommand({ ...base, stage: 'infer' })).argv.slice(-2), ['--save-path', './tmp_infer']);
    const r = ok(buildCommand({ ...base, stage: 'float_predict' }));
    assert.equal(r.cwd, '/opt/hat/scripts');
  });

  it('passes a config outside the scripts folder as an absolute path, literally (no quoting, no expansion)', () => {
    const weird = `/home/u/my cfgs/it's "q" $(touch pwned) \`id\` \${HOME}.py`;
    const r = ok(buildCommand({ ...base, stage: 'float_predict', config: weird }));
    assert.equal(r.argv[3], weird);
    assert.equal(r.argv.length, 6);
    // A sibling folder with the scripts folder as a name prefix is not "inside".
    assert.equal(configArg('/opt/hat/scripts2/a.py', '/opt/hat/scripts'), '/opt/hat/scripts2/a.py');
    assert.equal(configArg('C:\\hat\\scripts\\configs\\a.py', 'c:\\HAT\\scripts', '\\'), 'configs\\a.py');
  });

  it('renders a display command that a POSIX shell would read back as the same argv', () => {
    assert.equal(shellQuote('plain-1.py'), 'plain-1.py');
    assert.equal(shellQuote(`it's`), `'it'\\''s'`);
    assert.equal(shellQuote(''), `''`);
    assert.equal(shellQuote('$(x)'), `'$(x)'`);
  });

  it('adds the prefix, device ids, extra args and env; substitutes ${…} only in settings', () => {
    const r = ok(
      buildCommand({
        ...base,
        stage: 'calibration',
        prefix: ['docker', 'exec', '-w', '${scriptsDir}', 'oe', ''],
        options: { deviceIds: [0, 1], args: ['--opts', '${workspaceFolder}/x'], env: { CUDA_LAUNCH_BLOCKING: '1', OUT: '${config}' } },
        vars: { workspaceFolder: '/ws' },
      }),
    );
    assert.deepEqual(r.argv, ['docker', 'exec', '-w', '/opt/hat/scripts', 'oe', 'python3', 'tools/train.py', '--config', 'configs/classification/mixvargenet_imagenet.py', '--stage', 'calibration', '--device-ids', '0,1', '--opts', '/ws/x']);
    assert.deepEqual(r.env, { CUDA_LAUNCH_BLOCKING: '1', OUT: base.config });
    // compile_perf takes no --device-ids.
    assert.ok(!ok(buildCommand({ ...base, stage: 'compile_perf', options: { deviceIds: [0] } })).argv.includes('--device-ids'));
    assert.equal(substitute('${unknown}/${scriptsDir}', { scriptsDir: 's' }), '${unknown}/s');
  });

  it('uses backslashes for the script on Windows', () => {
    const r = ok(buildCommand({ stage: 'float_predict', scriptsDir: 'C:\\hat\\scripts', python: 'py', config: 'C:\\hat\\scripts\\configs\\a.py', sep: '\\' }));
    assert.deepEqual(r.argv, ['py', 'tools\\predict.py', '--config', 'configs\\a.py', '--stage', 'float']);
  });

  it('the pack stages need the source folder; unknown stages and a missing config are errors', () => {
    const miss = buildCommand({ ...base, stage: 'pack_train' });
    assert.equal(miss.ok, false);
    assert.match(miss.ok ? '' : miss.error, /srcDataDir.*mixvargenet\.hat\.stages\.pack_train/);
    const pack = ok(buildCommand({ ...base, config: undefined, stage: 'pack_val', options: { srcDataDir: '/data/imagenet' } }));
    assert.deepEqual(pack.argv.slice(1), ['tools/datasets/imagenet_packer.py', '--src-data-dir', '/data/imagenet', '--target-data-dir', './tmp_data/imagenet', '--split-name', 'val', '--pack-type', 'lmdb']);
    assert.equal(buildCommand({ ...base, stage: 'bogus' as never }).ok, false);
    assert.equal(buildCommand({ ...base, config: undefined, stage: 'calibration' }).ok, false);
  });

  it('keeps only well-typed stage settings', () => {
    assert.deepEqual(sanitizeStageOptions({ args: ['a', 3, null], env: { A: 'x', B: 2, C: {} }, deviceIds: [0, -1, 1.5, '2', 'a;b'], opt: 7, outDir: '  ' }), { args: ['a'], env: { A: 'x', B: '2' }, deviceIds: [0, '2'] });
    assert.deepEqual(sanitizeStageOptions({ deviceIds: '0, 1' }), { deviceIds: ['0', '1'] });
    assert.deepEqual(sanitizeStageOptions('nonsense'), {});
    assert.deepEqual(sanitizeStageOptions({ opt: 2 }), { opt: 2 });
  });
});
