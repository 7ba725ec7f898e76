import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mvg, removeWorkspace, workspace } from './helpers';
import { RULES } from '../../../extension/core/rules/index';

describe('mvg rules', () => {
  it('lists every registered rule with code, severity, name and title', () => {
    const r = mvg(['rules']);
    assert.equal(r.code, 0);
    for (const rule of RULES) assert.match(r.out, new RegExp(`^${rule.code}\\s+${rule.severity}\\s+${rule.name}\\s+`, 'm'));
    const j = JSON.parse(mvg(['rules', '--json']).out);
    assert.deepEqual(
      j.map((x: { code: string }) => x.code),
      RULES.map((x) => x.code),
    );
    assert.ok(j.every((x: { doc: string; title: string }) => x.doc.length > 0 && x.title.length > 0));
  });

  it('prints one rule by code or name; an unknown one is exit 2 with a suggestion', () => {
    const r = mvg(['rules', 'mvg002']);
    assert.equal(r.code, 0);
    assert.match(r.out, /^MVG002 channel-chain \(error; crash: /);
    assert.ok(r.out.includes(RULES.find((x) => x.code === 'MVG002')!.doc.trim()));
    assert.equal(mvg(['rules', 'channel-chain']).out, r.out);
    const bad = mvg(['rules', 'chanel-chain']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /no rule 'chanel-chain' \(did you mean 'channel-chain'\?\)/);
  });

  it('--markdown DIR writes a page per rule and an index linking them', () => {
    const dir = workspace({});
    try {
      const r = mvg(['rules', '--markdown', 'docs/rules'], { cwd: dir });
      assert.equal(r.code, 0, r.err);
      const out = path.join(dir, 'docs/rules');
      const files = fs.readdirSync(out).sort();
      assert.deepEqual(files, [...RULES.map((x) => `${x.code}.md`), 'README.md'].sort());
      const index = fs.readFileSync(path.join(out, 'README.md'), 'utf8');
      for (const rule of RULES) {
        assert.ok(index.includes(`[${rule.code}](${rule.code}.md)`));
        const page = fs.readFileSync(path.join(out, `${rule.code}.md`), 'utf8');
        assert.ok(page.startsWith(`# ${rule.code} · ${rule.name}\n`));
        assert.ok(page.includes(rule.doc.trim()));
      }
      assert.equal(mvg(['rules', 'MVG002', '--markdown', 'x'], { cwd: dir }).code, 2);
    } finally {
      removeWorkspace(dir);
    }
  });
});
