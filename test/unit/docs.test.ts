import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES, RULE_BY_CODE } from '../../extension/core/rules/index';
import { ruleMarkdown, rulesIndexMarkdown } from '../../extension/core/rules/docs';

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
  it('is the page the editor shows, plus the generated-file note and the link to the index', () => {
    for (const rule of RULES) {
      const md = fs.readFileSync(path.join(dir, `${rule.code}.md`), 'utf8');
      assert.equal(md, ruleMarkdown(rule, { file: true }), `${rule.code}.md: run npm run docs:rules`);
      const editor = ruleMarkdown({ ...rule });
      assert.equal(md.replace(/<!-- Generated[^\n]*-->\n\n/, '').replace('\n\n[All rules](README.md)', ''), editor);
    }
    assert.equal(fs.readFileSync(path.join(dir, 'README.md'), 'utf8'), rulesIndexMarkdown(RULES), 'README.md: run npm run docs:rules');
  });
});

describe('rule documentation page', () => {
  it('names the rule, its severity and category, its doc and how to turn it off', () => {
    const md = ruleMarkdown(RULE_BY_CODE.get('MVG002')!);
    assert.match(md, /^# MVG002 · channel-chain\n/);
    assert.match(md, /^Severity: \*\*Error\*\* · Category: crash \(HAT fails when it builds or first runs the model\)$/m);
    assert.ok(md.includes(RULE_BY_CODE.get('MVG002')!.doc.trim()));
    assert.match(md, /"mixvargenet\.disabledRules": \["MVG002"\]/);
    assert.match(md, /mvg lint --disable MVG002` \(or `--disable channel-chain`\)/);
    assert.doesNotMatch(md, /--no-hints|Generated|\[All rules\]/);
    assert.match(ruleMarkdown(RULE_BY_CODE.get('MVG201')!), /mixvargenet\.hints": false` in the settings, or `mvg lint --no-hints`, turns off every guidance rule/);
  });

  it('takes what the analysis protocol sends (severity and category as strings)', () => {
    const md = ruleMarkdown({ code: 'MVG999', name: 'x', severity: 'odd', category: 'new', title: 't', doc: 'd' });
    assert.match(md, /^Severity: \*\*odd\*\* · Category: new \(new\)$/m);
  });
});
