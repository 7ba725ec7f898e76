import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_OPS, FIELDS } from '../../../extension/core/schema';
import { ROOT } from './helpers';
import { requireOrSkip } from '../../requires';

const GRAMMAR = join(ROOT, 'syntaxes', 'mixvargenet.injection.json');
// Dynamic import that TypeScript's CommonJS output leaves alone (the generator is an ES module).
const importEsm = new Function('p', 'return import(p)') as (p: string) => Promise<{ buildGrammar(): unknown }>;

interface Grammar {
  injectionSelector: string;
  repository: Record<string, { patterns?: { match?: string; name?: string }[]; begin?: string }>;
}

describe('TextMate injection grammar', () => {
  const grammar = JSON.parse(readFileSync(GRAMMAR, 'utf8')) as Grammar;

  it('is generated from schemas/ops.json and the config schema (not stale)', async () => {
    const gen = await importEsm(join(ROOT, 'scripts', 'build-grammar.mjs'));
    assert.deepEqual(gen.buildGrammar(), grammar);
    assert.match(grammar.injectionSelector, /^L:source\.python -comment/);
  });

  it('marks exactly the known op names in strings, and the fields in MixVarGENetConfig(', () => {
    const opRes = grammar.repository['op-name'].patterns!.map((p) => new RegExp(p.match!));
    const isOp = (s: string) => opRes.some((re) => re.test(s));
    for (const name of DEFAULT_OPS.names()) assert.ok(isOp(`"${name}"`), name);
    for (const bad of ['"mixvarge_f3"', '"mixvarge_f2_gb1"', '"xmixvarge_f2"', 'mixvarge_f2', '"mixvarge_f2 "']) assert.ok(!isOp(bad), bad);
    const fieldRe = new RegExp(grammar.repository['config-call'].patterns![0].match!);
    for (const f of FIELDS) assert.ok(fieldRe.test(`${f.name}=1`), f.name);
    assert.ok(!fieldRe.test('in_channel=1') && !fieldRe.test('stride == 2'));
  });

  // With code-server installed (test/vscode/server), run VS Code's own tokenizer on MagicPython + the injection.
  const vsRoot = join(ROOT, 'test', 'vscode', 'server', 'node_modules', 'code-server', 'lib', 'vscode');
  const have = existsSync(join(vsRoot, 'node_modules', 'vscode-textmate')) && existsSync(join(vsRoot, 'extensions', 'python', 'syntaxes', 'MagicPython.tmLanguage.json'));
  it('colours a config as VS Code tokenises it (vscode-textmate + MagicPython)', async function () {
    requireOrSkip(this, have, "code-server's vscode-textmate and MagicPython grammar", 'bash test/vscode/server/install.sh');
    /* eslint-disable @typescript-eslint/no-require-imports */
    const tm = require(join(vsRoot, 'node_modules', 'vscode-textmate'));
    const onig = require(join(vsRoot, 'node_modules', 'vscode-oniguruma'));
    const wasm = readFileSync(join(vsRoot, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
    await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength)).catch(() => undefined);
    const registry = new tm.Registry({
      onigLib: Promise.resolve({ createOnigScanner: (s: string[]) => new onig.OnigScanner(s), createOnigString: (s: string) => new onig.OnigString(s) }),
      loadGrammar: async (scope: string) => {
        if (scope === 'source.python') return tm.parseRawGrammar(readFileSync(join(vsRoot, 'extensions', 'python', 'syntaxes', 'MagicPython.tmLanguage.json'), 'utf8'), 'p.json');
        if (scope === 'mixvargenet.injection') return tm.parseRawGrammar(readFileSync(GRAMMAR, 'utf8'), 'm.json');
        return null;
      },
      getInjections: (scope: string) => (scope === 'source.python' ? ['mixvargenet.injection'] : []),
    });
    const g = await registry.loadGrammar('source.python');
    const lines = [
      'net = [[MixVarGENetConfig(in_channels=int(32 * a), head_op="mixvarge_f2", stack_ops=["mixvarge_f3", \'repmixvarge_f2\'] * 2,',
      '                          stride=1, foo=2)], "mixvarge_f4"]',
      'conv = Conv2d(in_channels=3)  # "mixvarge_f2"',
    ];
    let stack = tm.INITIAL;
    const tokens: { text: string; scopes: string[] }[] = [];
    for (const line of lines) {
      const r = g.tokenizeLine(line, stack);
      for (const t of r.tokens) tokens.push({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
      stack = r.ruleStack;
    }
    const scopesOf = (text: string, nth = 0) => tokens.filter((t) => t.text === text)[nth]?.scopes.join(' ') ?? '';
    assert.match(scopesOf('MixVarGENetConfig'), /support\.class\.mixvargenet-config/);
    assert.match(scopesOf('in_channels'), /variable\.parameter\.mixvargenet-field/);
    assert.match(scopesOf('stride'), /variable\.parameter\.mixvargenet-field/, 'on the continuation line too');
    assert.doesNotMatch(scopesOf('foo'), /mixvargenet-field/);
    assert.match(scopesOf('mixvarge_f2'), /string\.quoted.*entity\.name\.type\.mixvargenet-op\.j5/);
    assert.match(scopesOf('repmixvarge_f2'), /entity\.name\.type\.mixvargenet-op\.python/);
    assert.doesNotMatch(scopesOf('mixvarge_f3'), /mixvargenet-op/, 'unknown ops stay plain strings');
    assert.match(scopesOf('mixvarge_f4'), /mixvargenet-op/, 'op names in any string');
    assert.doesNotMatch(scopesOf('in_channels', 1), /mixvargenet/, 'other calls keep their keyword arguments');
    assert.ok(!tokens.some((t) => t.scopes.some((s) => s.startsWith('comment')) && t.scopes.some((s) => s.includes('mixvargenet'))), 'nothing inside comments');
  });
});
