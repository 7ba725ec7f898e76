import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from '../../../extension/cli/args';
import { UsageError } from '../../../extension/cli/io';
import { mvg, ROOT } from './helpers';
import { requireOrSkip } from '../../requires';

const SPECS = [{ name: 'format', value: true }, { name: 'json' }, { name: 'disable', value: true, repeat: true }, { name: 'help', short: 'h' }];

describe('mvg command line', () => {
  it('parses values inline or separate, repeats, switches and --', () => {
    const p = parseArgs(['a.py', '--format=json', '--disable', 'X', '--disable=Y', '-h', '--', '--json'], SPECS);
    assert.deepEqual(p.positionals, ['a.py', '--json']);
    assert.equal(p.flags.get('format'), 'json');
    assert.deepEqual(p.flags.get('disable'), ['X', 'Y']);
    assert.equal(p.flags.get('help'), true);
  });

  it('rejects unknown options, missing values, values on switches and repeats', () => {
    const bad = [['--nope'], ['-x'], ['--format'], ['--format', '--json'], ['--json=1'], ['--json', '--json'], ['--format', 'a', '--format', 'b']];
    for (const args of bad) assert.throws(() => parseArgs(args, SPECS), UsageError, args.join(' '));
  });

  it('help, version and unknown commands', () => {
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    assert.deepEqual(mvg(['--version']), { code: 0, out: `${version}\n`, err: '' });
    const help = mvg(['--help']);
    assert.equal(help.code, 0);
    for (const cmd of ['lint', 'info', 'rules']) assert.match(help.out, new RegExp(`mvg ${cmd} `));
    assert.match(mvg(['help', 'lint']).out, /--format text\|json\|sarif/);
    assert.equal(mvg(['help', 'lint']).out, mvg(['lint', '--help']).out);
    assert.match(mvg(['help', 'info']).out, /--json/);
    assert.equal(mvg(['help', 'nope']).code, 2);
    const none = mvg([]);
    assert.equal(none.code, 2);
    assert.match(none.err, /Usage:/);
  });

  it('bin/mvg.js runs the bundle (when dist/cli.js has been built)', function () {
    requireOrSkip(this, fs.existsSync(path.join(ROOT, 'dist/cli.js')), 'dist/cli.js', 'npm run build');
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    const v = spawnSync(process.execPath, [path.join(ROOT, 'bin/mvg.js'), '--version'], { encoding: 'utf8' });
    assert.equal(v.status, 0, v.stderr);
    assert.equal(v.stdout.trim(), version);
    const missing = spawnSync(process.execPath, [path.join(ROOT, 'bin/mvg.js'), 'lint', 'does-not-exist.py'], { encoding: 'utf8', cwd: ROOT });
    assert.equal(missing.status, 2);
    assert.equal(missing.stderr, 'mvg: cannot read does-not-exist.py: no such file\n');
    assert.ok((fs.statSync(path.join(ROOT, 'bin/mvg.js')).mode & 0o111) !== 0, 'bin/mvg.js is executable');
  });
});
