import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../../extension/core/rules/index';
import type { Rule } from '../../../extension/core/rules/types';

// The rule modules' structure, read from the sources: one registry, one rule per module, and rules
// that share code through rules/support/, never through each other.
const SRC = path.join(__dirname, '../../../../extension/core/rules');
const BUILT = path.join(__dirname, '../../../extension/core/rules');
const RULE_FILE = /^(MVG\d{3})-([a-z0-9]+(?:-[a-z0-9]+)*)\.ts$/;

const ruleFiles = fs.readdirSync(SRC).filter((f) => f.startsWith('MVG'));
const supportFiles = fs.readdirSync(path.join(SRC, 'support')).filter((f) => f.endsWith('.ts'));

/** Every module specifier a source imports or re-exports (static and dynamic imports, require). */
function specifiers(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/\b(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g)) out.push(m[1]);
  for (const m of source.matchAll(/\bimport\s*['"]([^'"]+)['"]/g)) out.push(m[1]);
  for (const m of source.matchAll(/\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]);
  return out;
}

/** The rule module a specifier written in `fromDir` points at, if it points at one. */
function ruleModuleOf(fromDir: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const target = path.resolve(fromDir, spec);
  return path.dirname(target) === SRC && /^MVG\d{3}-/.test(path.basename(target)) ? path.basename(target) : undefined;
}

describe('rule registry and rule modules', () => {
  it('names every rule file MVGnnn-<kebab-name>.ts', () => {
    assert.ok(ruleFiles.length >= 30, `only ${ruleFiles.length} rule files found in ${SRC}`);
    for (const f of ruleFiles) assert.match(f, RULE_FILE);
  });

  it('registers every rule file, once, in code order', () => {
    const codes = RULES.map((r) => r.code);
    assert.deepEqual(codes, [...codes].sort(), 'RULES is in code order');
    assert.equal(new Set(codes).size, codes.length, 'codes are unique');
    assert.equal(new Set(RULES.map((r) => r.name)).size, RULES.length, 'names are unique');
    for (const f of ruleFiles) {
      const [, code, name] = RULE_FILE.exec(f)!;
      const mod = require(path.join(BUILT, f.replace(/\.ts$/, ''))) as { default?: Rule };
      assert.ok(mod.default, `${f} has no default export`);
      assert.ok(RULES.includes(mod.default), `${f} is not in RULES (extension/core/rules/index.ts)`);
      assert.equal(mod.default.code, code, `${f} holds ${mod.default.code}`);
      assert.equal(mod.default.name, name, `${f} holds ${mod.default.name}`);
    }
    assert.equal(RULES.length, ruleFiles.length, 'RULES holds a rule with no file of its own');
  });

  it('a rule module exports its rule and nothing else', () => {
    for (const f of ruleFiles) {
      const src = fs.readFileSync(path.join(SRC, f), 'utf8');
      const other = src.split('\n').filter((l) => /^\s*export\b/.test(l) && !/^export default rule;$/.test(l.trim()));
      assert.deepEqual(other, [], `${f} exports more than its rule: shared helpers go to rules/support/`);
      const mod = require(path.join(BUILT, f.replace(/\.ts$/, ''))) as Record<string, unknown>;
      assert.deepEqual(Object.keys(mod).filter((k) => k !== 'default' && k !== '__esModule'), [], f);
    }
  });

  it('no rule module imports another rule module, directly or through support/', () => {
    const offenders: string[] = [];
    for (const f of ruleFiles) {
      for (const spec of specifiers(fs.readFileSync(path.join(SRC, f), 'utf8'))) {
        const target = ruleModuleOf(SRC, spec);
        if (target) offenders.push(`${f} imports ${target}`);
      }
    }
    for (const f of supportFiles) {
      for (const spec of specifiers(fs.readFileSync(path.join(SRC, 'support', f), 'utf8'))) {
        const target = ruleModuleOf(path.join(SRC, 'support'), spec);
        if (target || /(^|\/)index$/.test(spec)) offenders.push(`support/${f} imports ${target ?? spec}`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('reads imports the way the check above needs', () => {
    const src = [
      "import type { Rule } from './types';",
      "import { a,\n  b } from './MVG101-dropped-downsamples';",
      "export { c } from '../MVG002-channel-chain';",
      "const d = require('./MVG003-group-divisibility');",
      "import './MVG004-downsample-range';",
    ].join('\n');
    assert.deepEqual(
      specifiers(src).map((s) => ruleModuleOf(SRC, s) ?? s),
      ['./types', 'MVG101-dropped-downsamples', '../MVG002-channel-chain', 'MVG004-downsample-range', 'MVG003-group-divisibility'],
    );
  });
});
