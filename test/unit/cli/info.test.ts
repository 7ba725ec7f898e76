import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { mvg, removeWorkspace, ROOT, SEED, seedText, workspace } from './helpers';
import { compressOps } from '../../../extension/cli/info';

/** Rows of the info table whose first cell is a stage index. */
function stageRows(out: string): string[][] {
  return out
    .split('\n')
    .filter((l) => /^\d+\s/.test(l))
    .map((l) => l.split(/\s{2,}/));
}

// Hand-derived from MIXVARGENET.md §3 (bias=True): stem 3x3/s2 3→32 + BN; stage 0 = one mixvarge_f2 block 32→32 at
// stride 1 on 112x112 (conv1 3x3 32→64, conv2 1x1 64→32, identity shortcut); the head fc 160→1024 and cls 1024→1000.
const STEM_PARAMS = 32 * 3 * 9 + 32 + 2 * 32;
const STAGE0_PARAMS = 64 * 32 * 9 + 64 + 2 * 64 + (32 * 64 + 32 + 2 * 32);
const STAGE0_MACS = (64 * 32 * 9 + 32 * 64) * 112 * 112;
const HEAD_PARAMS = 1024 * 160 + 1024 + 2 * 1024 + (1000 * 1024 + 1000 + 2 * 1000);

describe('mvg info', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) removeWorkspace(dir);
    dir = undefined;
  });

  it('prints the seed network: five stages, stage 4 at 160x7x7, and the documented totals', () => {
    const r = mvg(['info', path.relative(ROOT, SEED)]);
    assert.equal(r.code, 0, r.err);
    const rows = stageRows(r.out);
    assert.equal(rows.length, 5);
    assert.deepEqual(
      rows.map((x) => x[0]),
      ['0', '1', '2', '3', '4'],
    );
    // stage, stride, channels, output, params, MACs, share, ops
    assert.deepEqual(rows[4].slice(0, 4), ['4', '32', '96→160', '160×7×7']);
    assert.deepEqual(rows[0].slice(0, 6), ['0', '2', '32→32', '32×112×112', STAGE0_PARAMS.toLocaleString('en-US'), STAGE0_MACS.toLocaleString('en-US')]);
    assert.equal(rows[3][7], 'mixvarge_f2_gb16 ×7');
    assert.equal(rows[1][7], 'mixvarge_f4 ×3');
    assert.equal(rows[0][6], `${((100 * STAGE0_MACS) / 1033746432).toFixed(1)}%`);
    assert.match(r.out, /^stem\s+2\s+3→32\s+32×112×112\s+960\s/m);
    assert.match(r.out, new RegExp(`^head\\s+-\\s+160→1000\\s+1000\\s+${HEAD_PARAMS.toLocaleString('en-US')}\\s`, 'm'));
    assert.match(r.out, /params\s+2,310,744 \(2\.31M\)/);
    assert.match(r.out, /MACs\s+1,033,746,432 \(1\.03 G\) per 224×224 image/);
    assert.match(r.out, /input\s+1×3×224×224 \(from deploy_inputs, line \d+\)/);
    assert.match(r.out, /target\s+J5 \(from march = March\.BAYES, line 13\)/);
    assert.doesNotMatch(r.out, /\?/);
  });

  it('--json: totals, stem and head outside the stages, and per-stage fields', () => {
    const r = mvg(['info', SEED, '--json']);
    assert.equal(r.code, 0);
    const j = JSON.parse(r.out);
    assert.deepEqual(j.inputShape, [1, 3, 224, 224]);
    assert.equal(j.inputSource, 'deploy_inputs');
    assert.equal(j.target, 'J5');
    assert.equal(j.params, 2310744);
    assert.equal(j.macs, 1033746432);
    assert.equal(j.exact, true);
    assert.equal(j.stem.params, STEM_PARAMS);
    assert.deepEqual(j.stem.outputShape, [32, 112, 112]);
    assert.equal(j.head.params, HEAD_PARAMS);
    assert.equal(j.head.rowsPerImage, 1);
    assert.equal(j.stages.length, 5);
    const s4 = j.stages[4];
    assert.deepEqual(s4.outputShape, [160, 7, 7]);
    assert.equal(s4.outputStride, 32);
    assert.equal(s4.stride, 2);
    assert.equal(s4.inChannels, 96);
    assert.equal(s4.outChannels, 160);
    assert.equal(s4.headOp, 'mixvarge_f2_gb16');
    assert.deepEqual(s4.stackOps, ['mixvarge_f2_gb16', 'mixvarge_f2_gb16']);
    assert.equal(s4.activationElems > 160 * 7 * 7, true);
    assert.deepEqual(s4.fusionIn, []);
    assert.equal(s4.downsamples, 0);
    assert.equal(j.stages[0].params, STAGE0_PARAMS);
    assert.equal(j.stages[0].macs, STAGE0_MACS);
    // The stem and head are in the totals, not in the stages.
    const sum = (k: 'params' | 'macs') => j.stem[k] + j.head[k] + j.stages.reduce((t: number, s: { params: number; macs: number }) => t + s[k], 0);
    assert.equal(sum('params'), j.params);
    assert.equal(sum('macs'), j.macs);
    assert.deepEqual(j.findings.errors, 0);
    for (const k of ['warnings', 'hints']) assert.equal(typeof j.findings[k], 'number');
  });

  it('shows which downsampled maps each head receives, as HAT routes them by position', () => {
    // Stage 1 emits 2x and 4x maps, stage 2 a 2x map. Routing (§3): stage 2's head gets [s1 2x];
    // stage 3's head gets [s1 4x, s2 2x]; stage 4 gets a plain tensor.
    const text = seedText()
      .replace(
        /stack_ops=\["mixvarge_f4", "mixvarge_f4"\], stack_factor=1, stride=2,\n(\s+)fusion_strides=\[\], extra_downsample_num=0\)\],(\s+)# stride 4/,
        'stack_ops=["mixvarge_f4", "mixvarge_f4"], stack_factor=1, stride=2,\n$1fusion_strides=[], extra_downsample_num=2)],$2# stride 4',
      )
      .replace(
        /stack_ops=\["mixvarge_f4", "mixvarge_f4"\], stack_factor=1, stride=2,\n(\s+)fusion_strides=\[\], extra_downsample_num=0\)\],(\s+)# stride 8/,
        'stack_ops=["mixvarge_f4", "mixvarge_f4"], stack_factor=1, stride=2,\n$1fusion_strides=[4], extra_downsample_num=1)],$2# stride 8',
      )
      .replace('stack_ops=["mixvarge_f2_gb16"] * 6, stack_factor=1, stride=2,\n                       fusion_strides=[]', 'stack_ops=["mixvarge_f2_gb16"] * 6, stack_factor=1, stride=2,\n                       fusion_strides=[4, 8]');
    assert.equal((text.match(/extra_downsample_num=[12]/g) ?? []).length, 2);
    assert.ok(text.includes('fusion_strides=[4, 8]'));
    dir = workspace({ 'fusion.py': text });
    const j = JSON.parse(mvg(['info', 'fusion.py', '--json'], { cwd: dir }).out);
    assert.deepEqual(
      j.stages[2].fusionIn.map((f: { fromStage: number; scale: number; fusionStride: number }) => [f.fromStage, f.scale, f.fusionStride]),
      [[1, 2, 4]],
    );
    assert.deepEqual(
      j.stages[3].fusionIn.map((f: { fromStage: number; scale: number; fusionStride: number }) => [f.fromStage, f.scale, f.fusionStride]),
      [
        [1, 4, 4],
        [2, 2, 8],
      ],
    );
    assert.equal(j.stages[1].downsamples, 2);
    const rows = stageRows(mvg(['info', 'fusion.py'], { cwd: dir }).out);
    assert.equal(rows[3][8], '←s1 4x, ←s2 2x');
    assert.equal(rows[2][8], '←s1 2x');
    assert.equal(rows[1][9], '2');
  });

  it('prints ? for what cannot be known, with a line saying why', () => {
    const text = seedText().replace('in_channels=64, out_channels=96,', 'in_channels=64, out_channels=widths.stage3,');
    dir = workspace({ 'unk.py': text });
    const r = mvg(['info', 'unk.py'], { cwd: dir });
    assert.equal(r.code, 0);
    const rows = stageRows(r.out);
    assert.equal(rows[3][2], '64→?');
    assert.equal(rows[3][4], '?');
    assert.match(r.out, /params\s+\? \(at least [\d,]+\)/);
    assert.match(r.out, /marks figures that cannot be computed:\n(\s+- .*\n)*\s+- stage 3: out_channels cannot be known/);
    const j = JSON.parse(mvg(['info', 'unk.py', '--json'], { cwd: dir }).out);
    assert.equal(j.params, null);
    assert.equal(j.exact, false);
    assert.equal(j.stages[3].outChannels, null);
    assert.ok(j.unknown.some((u: string) => /out_channels/.test(u)));
  });

  it('a file without MixVarGENetConfig, a missing file, a directory and two files', () => {
    dir = workspace({ 'plain.py': 'x = 1\n', 'd/a.py': 'x = 1\n' });
    const plain = mvg(['info', 'plain.py'], { cwd: dir });
    assert.equal(plain.code, 0);
    assert.match(plain.out, /plain\.py: no MixVarGENetConfig found/);
    assert.equal(JSON.parse(mvg(['info', 'plain.py', '--json'], { cwd: dir }).out).stages.length, 0);
    const missing = mvg(['info', 'gone.py'], { cwd: dir });
    assert.equal(missing.code, 2);
    assert.equal(missing.err, 'mvg: cannot read gone.py: no such file\n');
    assert.equal(mvg(['info', 'd'], { cwd: dir }).code, 2);
    assert.equal(mvg(['info', 'plain.py', 'plain.py'], { cwd: dir }).code, 2);
    assert.equal(mvg(['info'], { cwd: dir }).code, 2);
    assert.equal(mvg(['info', 'plain.py', '--format', 'json'], { cwd: dir }).code, 2);
  });

  it('compresses op runs', () => {
    assert.equal(compressOps(['a', 'a', 'b', 'a']), 'a ×2, b, a');
    assert.equal(compressOps(['x']), 'x');
    assert.equal(compressOps(['x', null, null]), 'x, ? ×2');
  });
});
