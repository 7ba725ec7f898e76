// A hostile config in a real VS Code: its analysis stops within its budgets with one "analysis
// stopped" warning (MVG017) at the hostile statement, and the other configs keep being served —
// a hover in another config answers within a second while the hostile one is being analysed.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { api, closeAll, codeOf, diagnostics, hoverText, open, pos, readWs } from './lib/ext';

describe('analysis budgets', function () {
  this.timeout(60_000);
  afterEach(closeAll);

  it('a hostile file gets MVG017 at its hostile statement, and a hover in another config still answers within a second', async () => {
    const a = await api();
    const seed = await readWs('configs/mixvargenet_imagenet.py');
    // The seed's network, then a statement that would sort a 99,999-item list 99,999 times.
    const hostile = seed + (seed.endsWith('\n') ? '' : '\n') + 'L = list(range(99999))\ntable = [sorted(L) for a in range(99999)]\n';
    const hostileLine = hostile.split('\n').findIndex((l) => l.startsWith('table = '));
    const { doc: bad } = await open({ content: hostile });
    // At once, while that is analysed: another config and a hover in it.
    const { doc: other } = await open('configs/mixvargenet_fusion.py');
    const t0 = Date.now();
    const md = await hoverText(other, pos(other, 'MixVar|GENetConfig(in_channels=64'));
    const ms = Date.now() - t0;
    assert.match(md, /\*\*Stage 3\*\* of 5/, 'the hover answers about the other config');
    assert.ok(ms < 1000, `the hover took ${ms} ms`);

    const d = await diagnostics(bad.uri, (x) => x.some((y) => codeOf(y) === 'MVG017'), 'the analysis-stopped warning');
    const stopped = d.filter((y) => codeOf(y) === 'MVG017');
    assert.equal(stopped.length, 1);
    assert.equal(stopped[0].range.start.line, hostileLine);
    assert.equal(stopped[0].severity, vscode.DiagnosticSeverity.Warning);
    assert.match(stopped[0].message, /^Analysis stopped at this statement: following it takes more than 1,000,000 steps \(the work budget\)/);
    assert.equal(bad.getText(stopped[0].range), 'table = [sorted(L) for a in range(99999)]');
    // Everything before it was analysed: the seed network, and nothing else reported.
    const snap = await a.whenAnalyzed(bad);
    assert.equal(snap?.stages.length, 5);
    assert.equal(snap?.params, 2_310_744);
    assert.deepEqual(d.filter((y) => codeOf(y) !== 'MVG017'), []);
    // The worker never died: still a worker, and the file is not marked as having stopped it.
    assert.equal(a.engineKind(), 'worker');
    assert.deepEqual(vscode.languages.getDiagnostics(bad.uri).filter((y) => codeOf(y) === 'analysis-stopped'), []);
  });
});
