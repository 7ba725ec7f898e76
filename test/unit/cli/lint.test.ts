import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHAIN_MISTAKE, mvg, positionOf, removeWorkspace, ROOT, SEED, seedText, workspace } from './helpers';
import { RULES } from '../../../extension/core/rules/index';
import type { Rule } from '../../../extension/core/rules/types';
import { memoryIO } from '../../../extension/cli/io';
import { run } from '../../../extension/cli/main';

interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
  related?: { file: string; line: number; column: number; message: string }[];
  fixes?: { title: string; edits: { line: number; column: number; endLine: number; endColumn: number; newText: string }[] }[];
}

describe('mvg lint', () => {
  let dir: string;
  afterEach(() => dir && removeWorkspace(dir));

  // The `48` of `in_channels=48`, found by hand: line 5, column 36 (1-based).
  const at48 = () => positionOf(CHAIN_MISTAKE, 'in_channels=48', 'in_channels='.length);

  it('prints a compiler-style line at the exact 1-based position of the bad value, its related location and fix', () => {
    dir = workspace({ 'cfg.py': CHAIN_MISTAKE });
    const r = mvg(['lint', 'cfg.py'], { cwd: dir });
    assert.equal(r.code, 1);
    const pos = at48();
    assert.deepEqual(pos, { line: 5, column: 36 });
    const lines = r.out.split('\n');
    const i = lines.findIndex((l) => l.startsWith(`cfg.py:${pos.line}:${pos.column}: error MVG002 `));
    assert.ok(i >= 0, r.out);
    assert.match(lines[i], /^cfg.py:\d+:\d+: error MVG002 Stage 1 expects 48 channels, stage 0 gives 32\. in_channels=48, but stage 0.s out_channels is 32/);
    // Related location: the first stage's out_channels=32, indented below.
    const rel = positionOf(CHAIN_MISTAKE, 'out_channels=32', 'out_channels='.length);
    assert.ok(lines.slice(i + 1).some((l) => l.startsWith(`    cfg.py:${rel.line}:${rel.column}: note:`)), r.out);
    assert.ok(lines.slice(i + 1).some((l) => /^\s+fix: Set in_channels to 32$/.test(l)), r.out);
    assert.match(lines[lines.length - 2], /^1 error, 0 warnings, 0 hints in 1 file$/);
    assert.equal(r.err, '');
  });

  it('JSON: an array of findings with 1-based positions and an exclusive end column', () => {
    dir = workspace({ 'cfg.py': CHAIN_MISTAKE });
    const r = mvg(['lint', '--format', 'json', 'cfg.py'], { cwd: dir });
    assert.equal(r.code, 1);
    const arr = JSON.parse(r.out) as JsonFinding[];
    assert.ok(Array.isArray(arr));
    const f = arr.find((x) => x.code === 'MVG002');
    assert.ok(f, r.out);
    const pos = at48();
    assert.deepEqual(
      { file: f.file, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn, severity: f.severity },
      { file: 'cfg.py', line: pos.line, column: pos.column, endLine: pos.line, endColumn: pos.column + 2, severity: 'error' },
    );
    for (const x of arr) {
      assert.ok(['error', 'warning', 'info', 'hint'].includes(x.severity));
      for (const k of ['line', 'column', 'endLine', 'endColumn'] as const) assert.ok(Number.isInteger(x[k]) && x[k] >= 1);
    }
    // The fix replaces exactly "48".
    const edit = f.fixes![0].edits[0];
    const src = CHAIN_MISTAKE.split('\n')[edit.line - 1].slice(edit.column - 1, edit.endColumn - 1);
    assert.equal(src, '48');
    assert.equal(edit.newText, '32');
    assert.equal(f.related![0].line, positionOf(CHAIN_MISTAKE, 'out_channels=32').line);
  });

  it('SARIF 2.1.0: driver rules from the registry, results with regions, related locations and fixes', () => {
    dir = workspace({ 'sub/cfg.py': CHAIN_MISTAKE });
    const r = mvg(['lint', 'sub/cfg.py', '--format=sarif'], { cwd: dir });
    assert.equal(r.code, 1);
    const s = JSON.parse(r.out);
    assert.equal(s.version, '2.1.0');
    assert.match(s.$schema, /sarif-2\.1\.0/);
    const run = s.runs[0];
    const driver = run.tool.driver;
    assert.equal(driver.name, 'mvg');
    assert.ok(driver.informationUri === undefined || /^https:\/\//.test(driver.informationUri));
    assert.deepEqual(
      driver.rules.map((x: { id: string }) => x.id),
      RULES.map((x) => x.code),
    );
    const chain = driver.rules.find((x: { id: string }) => x.id === 'MVG002');
    assert.equal(chain.name, 'channel-chain');
    assert.equal(chain.shortDescription.text, RULES.find((x) => x.code === 'MVG002')!.title);
    assert.ok(chain.fullDescription.text.length > 0 && chain.help.markdown.includes('in_channels'));
    assert.equal(chain.defaultConfiguration.level, 'error');
    for (const rule of driver.rules) assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
    const res = run.results.find((x: { ruleId: string }) => x.ruleId === 'MVG002');
    assert.equal(res.level, 'error');
    assert.match(res.message.text, /in_channels=48/);
    assert.equal(driver.rules[res.ruleIndex].id, 'MVG002');
    const loc = res.locations[0].physicalLocation;
    assert.equal(loc.artifactLocation.uri, 'sub/cfg.py');
    const pos = at48();
    assert.deepEqual(loc.region, { startLine: pos.line, startColumn: pos.column, endLine: pos.line, endColumn: pos.column + 2 });
    assert.equal(res.relatedLocations[0].physicalLocation.region.startLine, positionOf(CHAIN_MISTAKE, 'out_channels=32').line);
    assert.equal(res.fixes[0].artifactChanges[0].replacements[0].insertedContent.text, '32');
    for (const x of run.results) assert.ok(['error', 'warning', 'note'].includes(x.level));
  });

  it('exit 0 on the seed config (warnings and hints allowed), with a summary naming one file', () => {
    const r = mvg(['lint', path.relative(ROOT, SEED)]);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /^0 errors, \d+ warnings?, (\d+ infos?, )?\d+ hints? in 1 file$/m);
    const json = JSON.parse(mvg(['lint', SEED, '--format', 'json']).out) as JsonFinding[];
    assert.equal(json.filter((f) => f.severity === 'error').length, 0);
  });

  it('exit 2 on bad usage: unknown flag, no files, bad --format, flag without value, unknown rule to disable', () => {
    for (const args of [['lint', '--frmat', 'json', SEED], ['lint'], ['lint', SEED, '--format', 'xml'], ['lint', SEED, '--format'], ['lint', SEED, '--disable', 'MVG999'], ['lint', SEED, '--target', 'J7'], ['frobnicate'], ['--bogus']]) {
      const r = mvg(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, /^mvg: /);
      assert.doesNotMatch(r.err, /\n\s+at /);
    }
    assert.match(mvg(['lint', '--frmat', 'json', SEED]).err, /unknown option '--frmat' \(did you mean '--format'\?\)/);
    assert.match(mvg(['lint', '--frmat', 'json', SEED]).err, /mvg help lint/);
  });

  it('a missing file: a clear message and exit 2, while the other files are still checked', () => {
    dir = workspace({ 'bad.py': CHAIN_MISTAKE });
    const r = mvg(['lint', 'nope.py', 'bad.py'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.err, /^mvg: cannot read nope\.py: no such file$/m);
    assert.match(r.out, /^bad\.py:5:36: error MVG002/m);
    const only = mvg(['lint', 'nope.py'], { cwd: dir });
    assert.equal(only.code, 2);
    assert.equal(only.err, 'mvg: cannot read nope.py: no such file\n');
  });

  it('a directory: lints its *.py files recursively (skipping hidden folders and node_modules), in order', () => {
    dir = workspace({
      'proj/a/deep/bad.py': CHAIN_MISTAKE,
      'proj/b/seed.py': seedText(),
      'proj/readme.txt': 'net_config = [',
      'proj/.venv/lib/x.py': CHAIN_MISTAKE,
      'proj/node_modules/y.py': CHAIN_MISTAKE,
      'proj/tool.py': 'import os\nprint(os.getcwd())\n',
    });
    const r = mvg(['lint', 'proj'], { cwd: dir });
    assert.equal(r.code, 1);
    const reported = new Set([...r.out.matchAll(/^(\S+\.py):\d+:\d+: /gm)].map((m) => m[1]));
    const bad = path.join('proj', 'a', 'deep', 'bad.py');
    assert.ok(reported.has(bad), r.out);
    // Only the two configs can have findings: nothing from .venv or node_modules, nothing from tool.py.
    for (const f of reported) assert.ok([bad, path.join('proj', 'b', 'seed.py')].includes(f), f);
    assert.match(r.out, new RegExp(`^${bad.replace(/[\\/.]/g, '\\$&')}:5:36: error MVG002`, 'm'));
    assert.match(r.out, /note: proj[/\\]tool\.py: no MixVarGENetConfig found; nothing to check/);
    assert.match(r.out, /in 3 files$/m);
    const empty = workspace({ 'e/readme.md': '# nothing' });
    try {
      const e = mvg(['lint', 'e'], { cwd: empty });
      assert.equal(e.code, 0);
      assert.match(e.out, /e: no \.py files found/);
    } finally {
      removeWorkspace(empty);
    }
  });

  it('a file with no MixVarGENetConfig is a note, not an error — even when it does not parse', () => {
    dir = workspace({ 'other.py': 'def f(:\n    pass\n' });
    const r = mvg(['lint', 'other.py'], { cwd: dir });
    assert.equal(r.code, 0);
    assert.match(r.out, /other\.py: no MixVarGENetConfig found; nothing to check/);
    assert.match(r.out, /^0 errors, 0 warnings, 0 hints in 1 file$/m);
    const j = mvg(['lint', 'other.py', '--format', 'json'], { cwd: dir });
    assert.deepEqual(JSON.parse(j.out), []);
    assert.match(j.err, /no MixVarGENetConfig found/);
  });

  it('--ops adds a custom op: the config lints clean with it and fails without it', () => {
    const custom = seedText().replace('head_op="mixvarge_f2",', 'head_op="team_f2_wide",');
    assert.notEqual(custom, seedText());
    dir = workspace({
      'cfg.py': custom,
      'ops.json': JSON.stringify({ ops: { team_f2_wide: { conv2_kernel_size: 1, padding: 0, factor: 2, j5: true, doc: 'our op' } } }),
      'broken.json': '{"ops": {',
      'partly.json': JSON.stringify({ ops: { team_f2_wide: { conv2_kernel_size: 1, padding: 0, factor: 2, j5: true }, bad_op: { factor: -1 } } }),
    });
    const without = mvg(['lint', 'cfg.py', '--format', 'json'], { cwd: dir });
    assert.equal(without.code, 1);
    const f = (JSON.parse(without.out) as JsonFinding[]).find((x) => x.code === 'MVG001');
    assert.ok(f);
    assert.deepEqual({ line: f.line, column: f.column }, positionOf(custom, '"team_f2_wide"'));
    const withOps = mvg(['lint', 'cfg.py', '--ops', 'ops.json', '--format', 'json'], { cwd: dir });
    assert.equal(withOps.code, 0, withOps.out);
    assert.equal((JSON.parse(withOps.out) as JsonFinding[]).filter((x) => x.severity === 'error').length, 0);
    // Invalid JSON and unreadable files: exit 2 with a clear message; bad entries: warnings.
    const broken = mvg(['lint', 'cfg.py', '--ops', 'broken.json'], { cwd: dir });
    assert.equal(broken.code, 2);
    assert.match(broken.err, /^mvg: ops file broken\.json is not valid JSON: /);
    const missing = mvg(['lint', 'cfg.py', '--ops', 'none.json'], { cwd: dir });
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot read ops file none\.json: no such file/);
    const partly = mvg(['lint', 'cfg.py', '--ops', 'partly.json'], { cwd: dir });
    assert.equal(partly.code, 0);
    assert.match(partly.err, /mvg: warning: partly\.json: op "bad_op": .*skipped/);
  });

  it('--disable and --no-hints take rules out', () => {
    dir = workspace({ 'cfg.py': CHAIN_MISTAKE });
    const r = mvg(['lint', 'cfg.py', '--disable', 'MVG002,unknown-op', '--format', 'json'], { cwd: dir });
    assert.ok(!(JSON.parse(r.out) as JsonFinding[]).some((f) => f.code === 'MVG002' || f.code === 'MVG001'));
    const hints = mvg(['lint', 'cfg.py', '--no-hints', '--format', 'json'], { cwd: dir });
    assert.ok(!(JSON.parse(hints.out) as JsonFinding[]).some((f) => f.severity === 'hint'));
  });

  it('colour only on a terminal without NO_COLOR', () => {
    dir = workspace({ 'cfg.py': CHAIN_MISTAKE });
    assert.match(mvg(['lint', 'cfg.py'], { cwd: dir, isTTY: true }).out, /\x1b\[/);
    assert.doesNotMatch(mvg(['lint', 'cfg.py'], { cwd: dir, isTTY: true, env: { NO_COLOR: '1' } }).out, /\x1b\[/);
    assert.doesNotMatch(mvg(['lint', 'cfg.py'], { cwd: dir, isTTY: false }).out, /\x1b\[/);
  });

  it('exit 3 on an internal error, with the stack only under MVG_DEBUG=1', () => {
    const thrower: Rule = {
      code: 'MVG999',
      name: 'test-thrower',
      severity: 'error',
      category: 'crash',
      title: 'test',
      doc: 'test',
      check() {
        throw new Error('rule exploded');
      },
    };
    RULES.push(thrower);
    try {
      const r = mvg(['lint', SEED]);
      assert.equal(r.code, 3);
      assert.match(r.err, /mvg: internal error in rule MVG999 while checking .*: Error: rule exploded/);
      assert.doesNotMatch(r.err, /\n\s+at /);
      assert.match(mvg(['lint', SEED], { env: { MVG_DEBUG: '1' } }).err, /\n\s+at /);
    } finally {
      RULES.splice(RULES.indexOf(thrower), 1);
    }
  });

  it('never prints a stack trace for an unexpected failure: "mvg: internal error", exit 3', () => {
    // A stdout that fails is the most direct way to make the command itself throw.
    for (const debug of [false, true]) {
      const io = memoryIO({ cwd: ROOT, env: debug ? { MVG_DEBUG: '1' } : {} });
      io.stdout = () => {
        throw new Error('disk on fire');
      };
      assert.equal(run(['lint', SEED], io), 3);
      assert.match(io.err, /^mvg: internal error: disk on fire$/m);
      if (debug) assert.match(io.err, /\n\s+at /);
      else assert.doesNotMatch(io.err, /\n\s+at /);
    }
  });

  it('reads a file with a byte-order mark at the same columns an editor shows', () => {
    const oneLine =
      'from hat.models.backbones.mixvargenet import MixVarGENetConfig; net_config = [[MixVarGENetConfig(in_channels=32, out_channels=32, head_op="mixvarge_f2", stack_ops=[], stride=1)], ' +
      '[MixVarGENetConfig(in_channels=48, out_channels=64, head_op="mixvarge_f4", stack_ops=[], stride=2)]]\n';
    dir = workspace({ 'bom.py': '\ufeff' + oneLine });
    assert.equal(fs.readFileSync(path.join(dir, 'bom.py'), 'utf8').charCodeAt(0), 0xfeff);
    const pos = positionOf(oneLine, 'in_channels=48', 'in_channels='.length);
    assert.equal(pos.line, 1);
    const r = mvg(['lint', 'bom.py'], { cwd: dir });
    assert.match(r.out, new RegExp(`^bom\\.py:1:${pos.column}: error MVG002`, 'm'), r.out);
  });
});
