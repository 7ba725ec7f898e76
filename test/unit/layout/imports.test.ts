import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

// Structure checks on the extension's sources (read as text; nothing is loaded).
const ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}out${path.sep}`) ? '../../../..' : '../../..');
const EXT = path.join(ROOT, 'extension');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** The relative modules a file imports (static, `import type`, re-exports, dynamic import and require). */
function relativeImports(text: string): string[] {
  const out: string[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (spec.startsWith('.')) out.push(spec);
  }
  return out;
}

/** The unit a file belongs to: `features/<name>` for a feature folder, else the top folder under extension/ ('.' for the root files). */
function unitOf(file: string): string {
  const parts = path.relative(EXT, file).split(path.sep);
  if (parts.length === 1) return '.';
  return parts[0] === 'features' ? `features/${parts[1]}` : parts[0];
}

/** One cycle of the graph, if there is any (depth-first search). */
function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === 'open') return [...stack.slice(stack.indexOf(m)), m];
      if (!state.has(m)) {
        const c = visit(m);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of graph.keys()) {
    if (state.has(n)) continue;
    const c = visit(n);
    if (c) return c;
  }
  return undefined;
}

describe('source layout', () => {
  const files = sources(EXT);

  it('has no import cycle between feature folders or the folders of extension/ (type imports included)', () => {
    const graph = new Map<string, Set<string>>();
    for (const f of files) {
      const from = unitOf(f);
      for (const spec of relativeImports(fs.readFileSync(f, 'utf8'))) {
        const to = unitOf(path.resolve(path.dirname(f), spec));
        if (to === from) continue;
        if (!graph.has(from)) graph.set(from, new Set());
        graph.get(from)!.add(to);
      }
    }
    assert.ok(graph.get('features/config')?.size, 'positive control: the feature folders import each other');
    const cycle = findCycle(graph);
    assert.equal(cycle, undefined, `import cycle: ${cycle?.join(' → ')}`);
  });

  it('the cycle finder finds a cycle (positive control)', () => {
    const g = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
    ]);
    assert.deepEqual(findCycle(g), ['a', 'b', 'c', 'a']);
    assert.equal(findCycle(new Map([['a', new Set(['b'])]])), undefined);
  });

  it("reads the 'mixvargenet' settings only in extension/host/settings.ts", () => {
    const owner = path.join(EXT, 'host', 'settings.ts');
    assert.match(fs.readFileSync(owner, 'utf8'), /getConfiguration\(/, 'positive control');
    const offenders: string[] = [];
    for (const f of files) {
      if (f === owner) continue;
      for (const m of fs.readFileSync(f, 'utf8').matchAll(/getConfiguration\(\s*([^,)]*)/g)) {
        const arg = m[1].trim();
        // Another section named by a literal (VS Code's own, e.g. 'task') is fine; ours, or a non-literal, is not.
        const literal = /^['"`]([^'"`$]*)['"`]$/.exec(arg);
        if (!literal || literal[1] === 'mixvargenet' || literal[1].startsWith('mixvargenet.')) offenders.push(`${path.relative(ROOT, f)}: getConfiguration(${arg})`);
      }
    }
    assert.deepEqual(offenders, []);
  });
});
