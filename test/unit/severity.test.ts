// The severity per rule category a user chooses (issue 13, point 8: J5 design hints were invisible in the Problems
// panel): the mapping itself, what the analysis reports with it, and package.json / README describing the same choices.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../extension/core/analyze';
import { toSnapshot } from '../../extension/core/ide/snapshot';
import { RULE_BY_CODE } from '../../extension/core/rules/index';
import { choiceFor, effectiveSeverity, sanitizeSeverityOverrides, SEVERITY_CHOICES } from '../../extension/core/severity';
import { ROOT, SEED } from './ide/helpers';

const example = (f: string) => readFileSync(join(ROOT, 'examples', 'configs', f), 'utf8');
const FUSION = example('mixvargenet_fusion.py');
const MISTAKES = example('mistakes.py');
/** The seed without its deploy_inputs: MVG301 (information, guidance category) says 1x3x224x224 is assumed. */
const NO_INPUT = SEED.split('\n').filter((l) => !/^deploy_inputs\b|^data_shape\b/.test(l)).join('\n');
const codes = (fs: { code: string; severity: string }[]) => fs.map((f) => `${f.code}:${f.severity}`).sort();

describe('severity per category', () => {
  it('guidance: by default each rule keeps its own (hint, information); a choice applies to all; off drops them', () => {
    assert.equal(effectiveSeverity('guidance', 'hint', undefined), 'hint');
    assert.equal(effectiveSeverity('guidance', 'info', {}), 'info');
    assert.equal(effectiveSeverity('guidance', 'hint', { guidance: 'information' }), 'info');
    assert.equal(effectiveSeverity('guidance', 'info', { guidance: 'information' }), 'info');
    assert.equal(effectiveSeverity('guidance', 'hint', { guidance: 'warning' }), 'warning');
    assert.equal(effectiveSeverity('guidance', 'info', { guidance: 'hint' }), 'hint');
    assert.equal(effectiveSeverity('guidance', 'hint', { guidance: 'off' }), null);
    // Design guidance is never an error, whatever a settings file says.
    assert.equal(effectiveSeverity('guidance', 'hint', { guidance: 'error' }), 'hint');
  });

  it('silent: warnings by default, raised to errors or lowered; crash and syntax errors stay errors', () => {
    assert.equal(effectiveSeverity('silent', 'warning', undefined), 'warning');
    assert.equal(effectiveSeverity('silent', 'warning', { silent: 'error' }), 'error');
    assert.equal(effectiveSeverity('silent', 'warning', { silent: 'information' }), 'info');
    assert.equal(effectiveSeverity('silent', 'warning', { silent: 'hint' }), 'hint');
    assert.equal(effectiveSeverity('silent', 'warning', { silent: 'off' }), null);
    // Another category's choice does not touch it.
    assert.equal(effectiveSeverity('silent', 'warning', { guidance: 'off' }), 'warning');
    for (const c of ['crash', 'syntax'] as const) {
      const all = { silent: 'off', guidance: 'off', [c]: 'off' } as never;
      assert.equal(effectiveSeverity(c, 'error', all), 'error', c);
      assert.equal(choiceFor(c, all), 'default', c);
    }
  });

  it('sanitizes what settings hold: unknown categories and values are dropped', () => {
    assert.deepEqual(sanitizeSeverityOverrides({ guidance: 'information', silent: 'error' }), { guidance: 'information', silent: 'error' });
    assert.deepEqual(sanitizeSeverityOverrides({ guidance: 'loud', silent: 3, crash: 'off', syntax: 'hint' }), {});
    assert.deepEqual(sanitizeSeverityOverrides({ guidance: 'error' }), {}, 'guidance has no error choice');
    assert.deepEqual(sanitizeSeverityOverrides({ silent: 'default' }), {}, 'silent has no default choice (warning is)');
    for (const bad of [null, undefined, 'information', ['information'], 7]) assert.deepEqual(sanitizeSeverityOverrides(bad), {});
  });

  it('the analysis reports with them: MVG203 on the fusion example as a hint, information, a warning, or not at all', () => {
    assert.deepEqual(codes(analyze(FUSION).findings), ['MVG203:hint']);
    assert.deepEqual(codes(analyze(FUSION, { severity: { guidance: 'information' } }).findings), ['MVG203:info']);
    assert.deepEqual(codes(analyze(FUSION, { severity: { guidance: 'warning' } }).findings), ['MVG203:warning']);
    assert.deepEqual(codes(analyze(FUSION, { severity: { guidance: 'off' } }).findings), []);
    // The snapshot's counts (graph header, status bar) follow.
    const snap = toSnapshot(analyze(FUSION, { severity: { guidance: 'information' } }), { uri: 'file:///w/f.py', version: 1 });
    assert.deepEqual(snap.counts, { error: 0, warning: 0, info: 1, hint: 0 });
    // The rule itself still says hint (its documentation, `mvg rules`).
    assert.equal(RULE_BY_CODE.get('MVG203')!.severity, 'hint');
  });

  it('MVG301 (information by default) follows the guidance choice too', () => {
    assert.deepEqual(codes(analyze(NO_INPUT).findings), ['MVG301:info']);
    assert.deepEqual(codes(analyze(NO_INPUT, { severity: { guidance: 'hint' } }).findings), ['MVG301:hint']);
    assert.deepEqual(codes(analyze(NO_INPUT, { severity: { guidance: 'off' } }).findings), []);
  });

  it('mistakes.py: the silent choice moves MVG101 only; every crash error stays, whatever is chosen', () => {
    const base = analyze(MISTAKES).findings;
    const errors = codes(base.filter((f) => f.severity === 'error'));
    assert.ok(errors.length >= 5, errors.join(' '));
    assert.deepEqual(codes(base.filter((f) => f.severity === 'warning')), ['MVG101:warning']);
    const raised = analyze(MISTAKES, { severity: { silent: 'error' } }).findings;
    assert.deepEqual(codes(raised.filter((f) => f.severity === 'error')), [...errors, 'MVG101:error'].sort());
    const quiet = analyze(MISTAKES, { severity: { silent: 'off', guidance: 'off' } }).findings;
    assert.deepEqual(codes(quiet), errors);
  });

  it('package.json offers the same choices, defaults and descriptions; the README lists the settings', () => {
    type Prop = { enum: string[]; enumDescriptions: string[]; default: string };
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, Prop> }[] } };
    const props = Object.assign({}, ...pkg.contributes.configuration.map((c) => c.properties)) as Record<string, Prop>;
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const [cat, choices] of Object.entries(SEVERITY_CHOICES)) {
      const p = props[`mixvargenet.severity.${cat}`];
      assert.ok(p, `mixvargenet.severity.${cat} in package.json`);
      assert.deepEqual(p.enum, [...choices]);
      assert.equal(p.default, choices[0]);
      assert.equal(p.enumDescriptions.length, choices.length);
      assert.ok(readme.includes(`\`mixvargenet.severity.${cat}\``), `README settings table: mixvargenet.severity.${cat}`);
    }
    assert.equal(props['mixvargenet.severity.crash'], undefined, 'crash errors stay errors');
  });
});
