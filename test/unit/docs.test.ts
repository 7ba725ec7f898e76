import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../extension/core/rules/index';

// docs/rules is generated from the rule modules (`npm run docs:rules`): it must not drift from them.
describe('rule documentation', () => {
  const dir = path.join(__dirname, '../../../docs/rules');
  for (const rule of RULES) {
    it(`${rule.code} has an up-to-date page`, () => {
      const file = path.join(dir, `${rule.code}.md`);
      assert.ok(fs.existsSync(file), `${file} is missing: run npm run docs:rules`);
      const md = fs.readFileSync(file, 'utf8');
      assert.ok(md.includes(rule.title), `${rule.code}.md does not carry the rule's title: run npm run docs:rules`);
      assert.ok(md.includes(rule.doc.trim().split('\n')[0]), `${rule.code}.md does not carry the rule's doc: run npm run docs:rules`);
    });
  }
  it('the index lists every rule', () => {
    const md = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
    for (const rule of RULES) assert.ok(md.includes(`[${rule.code}](${rule.code}.md)`), rule.code);
  });
});
