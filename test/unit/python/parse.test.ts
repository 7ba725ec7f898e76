import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { analyze, type Analysis } from '../../../extension/core/analyze';
import { parsePython, topLevelStarts } from '../../../extension/core/python/parse';
import { evaluateWithOrphans } from '../../../extension/core/python/evaluate';
import { LineIndex } from '../../../extension/core/text';
import type { Value } from '../../../extension/core/python/values';

const SEED = fs.readFileSync(path.join(__dirname, '../../../../examples/configs/mixvargenet_imagenet.py'), 'utf8');
/** in/out channels of the seed's five stages (MIXVARGENET.md §2). */
const SEED_CHANNELS = [
  [32, 32],
  [32, 32],
  [32, 64],
  [64, 96],
  [96, 160],
];

/** Offset of the n-th (0-based) occurrence of needle. */
function nth(text: string, needle: string, n: number): number {
  let at = -1;
  for (let i = 0; i <= n; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `'${needle}' occurs fewer than ${n + 1} times`);
  }
  return at;
}

function intOf(v: Value | undefined): number | undefined {
  return v && v.k === 'int' ? v.v : undefined;
}

/** in/out channels of each stage net_config was found to have. */
function stageChannels(a: Analysis): (number | undefined)[][] {
  const stages = a.extracted.netConfig?.stages ?? [];
  return stages.map((s) => {
    const c = s.configs[0];
    return [intOf(c?.args.get('in_channels')?.value), intOf(c?.args.get('out_channels')?.value)];
  });
}

/** Offset just past the `)` that closes stage `i`'s MixVarGENetConfig call in the seed (the `)` of `)],`). */
function stageCallEnd(text: string, i: number): number {
  return nth(text, ')],', i) + 1;
}

describe('parsePython', () => {
  it('parses the seed config without errors or recovery, one statement per top-level line group', () => {
    const p = parsePython(SEED);
    assert.equal(p.syntaxErrors.length, 0);
    assert.equal(p.recovered, false);
    const assigned = p.statements
      .filter((s) => s.type === 'AssignStatement')
      .map((s) => SEED.slice(s.from, s.to).split(/\s*=/)[0]);
    assert.deepEqual(assigned, [
      'task_name', 'num_classes', 'batch_size_per_gpu', 'device_ids', 'ckpt_dir', 'march', 'bn_kwargs', 'net_config',
      'model', 'deploy_model', 'deploy_inputs', 'data_loader', 'val_data_loader',
    ]);
    assert.equal(p.statements.filter((s) => s.type === 'ImportStatement').length, 4);
    // Comments are dropped from the tree.
    const types = new Set<string>();
    const visit = (n: { type: string; children: { type: string; children: unknown[] }[] }) => {
      types.add(n.type);
      for (const c of n.children) visit(c as never);
    };
    for (const s of p.statements) visit(s);
    assert.ok(!types.has('Comment'));
  });

  describe('recovery from an unclosed bracket in stage 1 of net_config', () => {
    const stage1 = nth(SEED, 'MixVarGENetConfig(', 1);
    const openBracket = { start: stage1 - 1, end: stage1 }; // the stage's `[`
    const openParen = { start: stage1 + 'MixVarGENetConfig'.length, end: stage1 + 'MixVarGENetConfig('.length }; // the call's `(`
    const cases: { name: string; text: string; error: { range: { start: number; end: number }; message: string } }[] = [
      {
        // `[MixVarGENetConfig(...),` — stage 1's list is never closed, so lezer would swallow the file.
        name: "stage 1's `]` missing",
        text: SEED.slice(0, stageCallEnd(SEED, 1)) + SEED.slice(stageCallEnd(SEED, 1) + 1),
        error: { range: openBracket, message: "'[' was never closed" },
      },
      {
        // The `]` that closes the stage meets the call's `(` first.
        name: "stage 1's call `)` missing",
        text: SEED.slice(0, stageCallEnd(SEED, 1) - 1) + SEED.slice(stageCallEnd(SEED, 1)),
        error: { range: openParen, message: "'(' was never closed" },
      },
      {
        // Both are still open where stage 2 starts: one error, over `[MixVarGENetConfig(`.
        name: "stage 1's call `)],` missing",
        text: SEED.slice(0, stageCallEnd(SEED, 1) - 1) + SEED.slice(stageCallEnd(SEED, 1) + 2),
        error: { range: { start: openBracket.start, end: openParen.end }, message: "'[' and '(' were never closed" },
      },
    ];
    for (const c of cases) {
      it(`${c.name}: one error, at the bracket never closed; every stage, the model dict and deploy_inputs survive`, () => {
        const a = analyze(c.text);
        assert.equal(a.parsed.recovered, true);
        assert.deepEqual(a.parsed.syntaxErrors, [c.error]);
        const nc = a.extracted.netConfig;
        assert.ok(nc, 'net_config found');
        assert.equal(nc.recovered, true);
        assert.equal(nc.stages.length, 5);
        assert.deepEqual(stageChannels(a), SEED_CHANNELS);
        // Statements after net_config: model = dict(...) with the backbone, deploy_model, deploy_inputs.
        assert.ok(a.extracted.backbone, 'backbone found');
        assert.equal(intOf(a.extracted.backbone.entries.get('num_classes')?.value), 1000);
        const modelStart = c.text.indexOf('\nmodel = dict(');
        assert.ok(a.extracted.backbone.dict.node.start > modelStart);
        assert.equal(a.extracted.otherBackbones.length, 1, 'deploy_model');
        assert.equal(a.extracted.input.source, 'deploy_inputs');
        assert.deepEqual(a.extracted.input.shape, [1, 3, 224, 224]);
        assert.equal(a.ev.env.get('val_data_loader')?.k, 'dict');
        assert.deepEqual(a.ruleErrors, []);
        assert.deepEqual(
          a.findings.filter((f) => f.code === 'MVG000').map((f) => f.range),
          [c.error.range],
        );
        // The network model is still built from the recovered stages.
        assert.ok(a.network);
        assert.equal(a.network.stages.length, 5);
      });
    }

    it('the error of an unclosed bracket stays on a line of the broken statement, not on the next statement', () => {
      const cut = stageCallEnd(SEED, 1);
      const text = SEED.slice(0, cut) + SEED.slice(cut + 1);
      const a = analyze(text);
      const modelLine = a.lines.positionAt(text.indexOf('\nmodel = dict(') + 1).line;
      for (const e of a.parsed.syntaxErrors) assert.ok(a.lines.positionAt(e.range.start).line < modelLine);
    });

    it('the error of an unclosed bracket skips whole-line comments between the statements', () => {
      const text = 'x = [1, 2\n\n# a comment\n  # another\ny = 3\n';
      const parsed = parsePython(text);
      assert.ok(parsed.syntaxErrors.length >= 1);
      for (const e of parsed.syntaxErrors) {
        assert.ok(e.range.end <= text.indexOf('\n'), `error at ${e.range.start}-${e.range.end}: ${JSON.stringify(text.slice(e.range.start, e.range.end))}`);
        assert.ok(e.range.start < e.range.end);
      }
    });

    it('an unclosed `[` inside stage 1 keeps its channels and the later stages, and points at stage 1', () => {
      const needle = 'stack_ops=["mixvarge_f4", "mixvarge_f4"]';
      const at = nth(SEED, needle, 0);
      const text = SEED.slice(0, at) + needle.slice(0, -1) + SEED.slice(at + needle.length);
      const a = analyze(text);
      assert.deepEqual(stageChannels(a), SEED_CHANNELS);
      const stage1 = nth(text, 'MixVarGENetConfig(', 1);
      const stage2 = nth(text, 'MixVarGENetConfig(', 2);
      assert.ok(a.parsed.syntaxErrors.length >= 1);
      for (const e of a.parsed.syntaxErrors) assert.ok(stage1 <= e.range.start && e.range.end <= stage2, `error at ${e.range.start}`);
      // stage 1's stride is written after the break: it cannot be trusted, so it is not known.
      assert.notEqual(a.extracted.netConfig?.stages[1].configs[0].args.get('stride')?.value.k, 'int');
      assert.equal(a.extracted.netConfig?.stages[2].configs[0].args.get('stride')?.value.k, 'int');
      assert.ok(a.extracted.backbone);
      assert.equal(a.extracted.input.source, 'deploy_inputs');
    });
  });

  describe('unclosed and stray brackets: one error, at the bracket', () => {
    const HALF = fs.readFileSync(path.join(__dirname, '../../../../examples/configs/half_typed.py'), 'utf8');

    /** Python's own report of a text: line, column (1-based) and message of its SyntaxError, or null. */
    function pythonSays(texts: string[]): ({ line: number; col: number; msg: string } | null)[] {
      const prog = [
        'import json, sys',
        'out = []',
        'for src in json.load(sys.stdin):',
        '    try:',
        '        compile(src, "f.py", "exec"); out.append(None)',
        '    except SyntaxError as e:',
        '        out.append({"line": e.lineno, "col": e.offset, "msg": e.msg})',
        'print(json.dumps(out))',
      ].join('\n');
      const r = spawnSync('/usr/bin/python3', ['-c', prog], { input: JSON.stringify(texts), encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout);
    }

    it("half_typed.py: stage 3's `[MixVarGENetConfig(` on line 25, as its own comment says — not lines 30 and 31", () => {
      const p = parsePython(HALF);
      const lines = new LineIndex(HALF);
      const line25 = HALF.split('\n')[24];
      assert.match(line25, /^ {4}\[MixVarGENetConfig\(in_channels=64, out_channels=96/);
      const start = lines.offsetAt({ line: 24, character: 4 });
      assert.deepEqual(p.syntaxErrors, [{ range: { start, end: start + '[MixVarGENetConfig('.length }, message: "'[' and '(' were never closed" }]);
      // Python names the same '(' (its tokenizer meets stage 4's `]` on line 31 first).
      assert.deepEqual(pythonSays([HALF]), [{ line: 31, col: 1, msg: "closing parenthesis ']' does not match opening parenthesis '(' on line 25" }]);
      // And the file is analysed as before: every stage but the open one, MVG000 once.
      const a = analyze(HALF);
      assert.deepEqual(a.findings.filter((f) => f.code === 'MVG000').map((f) => lines.positionAt(f.range.start).line + 1), [25]);
      assert.equal(a.extracted.netConfig?.stages.length, 5);
    });

    it('an unclosed bracket at the end of the text is the one Python names', () => {
      const texts = ['x = [1, 2', 'x = dict(a=1,', 'def f(', 'x = {"a": (1, 2}', 'a = 1\nb = foo(1, [2, 3)\nc = 4\n'];
      const py = pythonSays(texts);
      texts.forEach((t, i) => {
        const p = parsePython(t);
        assert.equal(p.syntaxErrors.length, 1, t);
        const e = p.syntaxErrors[0];
        const lines = new LineIndex(t);
        const pos = lines.positionAt(e.range.start);
        const want = py[i]!;
        // "'[' was never closed" points at the bracket; "closing parenthesis ... does not match opening parenthesis '(' [on line N]" names it.
        const named = /opening parenthesis '(.)'(?: on line (\d+))?/.exec(want.msg);
        if (named) {
          assert.equal(t[e.range.start], named[1], `${t}: ${want.msg}`);
          assert.equal(pos.line + 1, named[2] ? Number(named[2]) : want.line, `${t}: ${want.msg}`);
        } else {
          assert.match(want.msg, /was never closed/, t);
          assert.deepEqual([pos.line + 1, pos.character + 1], [want.line, want.col], `${t}: ${want.msg}`);
        }
        assert.match(e.message, /never closed/, t);
      });
    });

    it("a stray closing bracket: Python's 'unmatched' at it", () => {
      const texts = ['x = [1, 2]]\ny = 3\n', 'x = 1)\n'];
      const py = pythonSays(texts);
      texts.forEach((t, i) => {
        const p = parsePython(t);
        const lines = new LineIndex(t);
        assert.deepEqual(
          p.syntaxErrors.map((e) => [lines.positionAt(e.range.start).line + 1, lines.positionAt(e.range.start).character + 1, e.message.toLowerCase()]),
          [[py[i]!.line, py[i]!.col, py[i]!.msg]],
          t,
        );
      });
    });

    it('brackets in strings and comments do not count; a continuation line written flush left is no unclosed bracket', () => {
      const t1 = 'x = "(["  # ((\ny = """\n]]\n"""\nz = [1,\n';
      const p1 = parsePython(t1);
      assert.deepEqual(p1.syntaxErrors.map((e) => [e.range.start, e.message]), [[t1.indexOf('[1,'), "'[' was never closed"]]);
      // foo( ... b) is fine (lezer agrees): only the real error, on line 3, is reported.
      const t2 = 'x = foo(a,\nb)\ny = = 2\nz = 3\n';
      const p2 = parsePython(t2);
      assert.equal(p2.syntaxErrors.length, 1);
      assert.equal(new LineIndex(t2).positionAt(p2.syntaxErrors[0].range.start).line, 2);
      assert.doesNotMatch(p2.syntaxErrors[0].message, /never closed/);
      // No error at all: nothing reported.
      assert.deepEqual(parsePython('x = [\n1, 2,\n]\n').syntaxErrors, []);
    });

  });

  describe('syntaxErrors', () => {
    it('reports a stray token on its own line and keeps the statements around it', () => {
      const text = 'a = 1\nb = = 2\nc = 3\n';
      const p = parsePython(text);
      assert.equal(p.syntaxErrors.length, 1);
      const e = p.syntaxErrors[0];
      const lines = new LineIndex(text);
      assert.equal(lines.positionAt(e.range.start).line, 1);
      assert.ok(e.range.start < e.range.end);
      assert.ok(e.message.length > 0);
      const ev = evaluateWithOrphans(p);
      assert.equal(intOf(ev.env.get('a')), 1);
      assert.equal(intOf(ev.env.get('c')), 3);
    });

    it('gives a missing token at the end of the file a one-character range inside the text', () => {
      for (const text of ['x = [1, 2', 'x = dict(a=1,', 'x = (', 'def f(']) {
        const p = parsePython(text);
        assert.ok(p.syntaxErrors.length >= 1, text);
        for (const e of p.syntaxErrors) {
          assert.ok(0 <= e.range.start && e.range.start < e.range.end && e.range.end <= text.length, `${text}: ${JSON.stringify(e.range)}`);
        }
      }
    });

    it('keeps only the first error of each line', () => {
      const text = 'x = ) ) ) ]\ny = 2\n';
      const p = parsePython(text);
      const lines = new LineIndex(text);
      const perLine = p.syntaxErrors.map((e) => lines.positionAt(e.range.start).line);
      assert.deepEqual(perLine, [...new Set(perLine)]);
      assert.equal(intOf(evaluateWithOrphans(p).env.get('y')), 2);
    });

    it('recovers statements after a half-typed one (the file as it is being typed)', () => {
      const text = 'a = 1\nb = dict(x=\nc = 3\nd = [c, 4]\n';
      const p = parsePython(text);
      assert.equal(p.recovered, true);
      const ev = evaluateWithOrphans(p);
      assert.equal(intOf(ev.env.get('a')), 1);
      assert.equal(intOf(ev.env.get('c')), 3);
      const d = ev.env.get('d');
      assert.ok(d && d.k === 'list');
      assert.deepEqual(d.items.map(intOf), [3, 4]);
    });
  });

  describe('topLevelStarts', () => {
    const src = [
      'a = 1',
      '',
      'if a:',
      '    b = 2',
      'else:',
      '    b = 3',
      '# a comment',
      'x = [',
      '    1,',
      ']',
      'y = 1 + \\',
      '2',
      'try:',
      '    pass',
      'except ValueError:',
      '    pass',
      'finally:',
      '    pass',
      '@decorator',
      'def f():',
      '    return 1',
      'z = 3',
    ].join('\n');
    const expected = ['a = 1', 'if a:', 'x = [', 'y = 1 + \\', 'try:', '@decorator', 'def f():', 'z = 3'];

    it('finds the lines that can start a statement: not indented, comments, closers, else/except/finally or continuations', () => {
      const starts = topLevelStarts(src);
      assert.deepEqual(
        starts.map((o) => src.slice(o, src.indexOf('\n', o) < 0 ? src.length : src.indexOf('\n', o))),
        expected,
      );
    });

    it('gives the same lines with CRLF line ends, at CRLF offsets', () => {
      const crlf = src.replace(/\n/g, '\r\n');
      const starts = topLevelStarts(crlf);
      assert.deepEqual(
        starts.map((o) => crlf.slice(o).split('\r\n')[0]),
        expected,
      );
      for (const o of starts) assert.ok(o === 0 || crlf.slice(o - 2, o) === '\r\n');
    });

    it('handles an empty text and a text without a final newline', () => {
      assert.deepEqual(topLevelStarts(''), []);
      assert.deepEqual(topLevelStarts('a = 1\nb'), [0, 6]);
    });
  });

  describe('CRLF text', () => {
    const crlf = SEED.replace(/\n/g, '\r\n');

    it('analyses a CRLF file like the LF one, with ranges on the same tokens and lines', () => {
      const a = analyze(crlf);
      const b = analyze(SEED);
      assert.deepEqual(a.parsed.syntaxErrors, []);
      assert.deepEqual(stageChannels(a), SEED_CHANNELS);
      assert.equal(a.network?.params, 2_310_744);
      assert.equal(a.network?.macs, b.network?.macs);
      assert.deepEqual(a.extracted.input.shape, [1, 3, 224, 224]);
      assert.equal(a.extracted.marchTarget, 'J5');
      assert.deepEqual(a.findings, []);
      const sa = a.extracted.netConfig!.stages;
      const sb = b.extracted.netConfig!.stages;
      for (let i = 0; i < sa.length; i++) {
        for (const field of ['in_channels', 'head_op', 'stack_ops', 'stride']) {
          const ra = sa[i].configs[0].args.get(field)!.value.r;
          const rb = sb[i].configs[0].args.get(field)!.value.r;
          // Inner ranges can differ by CRs inside the value (a multi-line list), not in their first line.
          assert.equal(crlf.slice(ra.start, ra.end).split('\r\n')[0], SEED.slice(rb.start, rb.end).split('\n')[0], `${i}.${field}`);
          assert.deepEqual(a.lines.positionAt(ra.start), b.lines.positionAt(rb.start), `${i}.${field}`);
        }
      }
    });

    it('recovers from an unclosed bracket in a CRLF file and reports the error on the LF file\'s line', () => {
      const cut = stageCallEnd(SEED, 1);
      const lf = SEED.slice(0, cut) + SEED.slice(cut + 1);
      const text = lf.replace(/\n/g, '\r\n');
      const a = analyze(text);
      const b = analyze(lf);
      assert.deepEqual(stageChannels(a), SEED_CHANNELS);
      assert.equal(a.parsed.syntaxErrors.length, b.parsed.syntaxErrors.length);
      a.parsed.syntaxErrors.forEach((e, i) => {
        assert.equal(a.lines.positionAt(e.range.start).line, b.lines.positionAt(b.parsed.syntaxErrors[i].range.start).line);
      });
      assert.ok(a.extracted.backbone);
      assert.equal(a.extracted.input.source, 'deploy_inputs');
    });
  });
});
