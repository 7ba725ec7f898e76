/**
 * Hostile inputs, by family, with sizes drawn from a seed: what a cloned repository or an odd config
 * could hand the analysis. Each is a config that first builds a real network (the seed config's
 * text, so that "everything before stays analysed" can be checked) and then does something that
 * takes far more work, memory or time than any config needs. Used by the fuzz suite (hostile.test.ts,
 * in a worker with a 256 MB heap), by the real analysis worker's test (ide/service.test.ts) and by
 * `npm run bench` (bench/sections/50-budgets.mjs).
 */
import { Rng } from './pygen';

export interface Hostile {
  family: string;
  /** The family and its sizes, e.g. `sorted(L) × 99,999 (L of 99,999)`. */
  name: string;
  text: string;
  /** The 1-based line MVG017 must be reported at (the hostile statement), when the analysis must stop there. */
  stopLine?: number;
  /** The line of the MVG000 this input must get instead (nesting past Python's limit). */
  syntaxLine?: number;
  /** The seed's network is analysed before the hostile part (its 5 stages). */
  seedFirst: boolean;
}

const IMPORT = 'from hat.models.backbones.mixvargenet import MixVarGENetConfig\n';
const fmt = (n: number) => n.toLocaleString('en-US');

interface Family {
  family: string;
  /** The hostile statements, given sizes drawn from the RNG; `stops`: the analysis must stop in their first statement. */
  make(r: Rng): { name: string; code: string; stops: boolean; syntax?: boolean; alone?: boolean };
}

export const FAMILIES: Family[] = [
  {
    family: 'range',
    make: (r) => {
      const k = r.int(6, 12);
      const n = r.int(50_000, 99_999);
      return { name: `len(range(10**${k})) × ${fmt(n)}`, code: `x = [len(range(10**${k})) for a in range(${n})]`, stops: false };
    },
  },
  {
    family: 'sorted',
    make: (r) => {
      const m = r.int(20_000, 99_999);
      const n = r.int(10_000, 99_999);
      return { name: `sorted(L) × ${fmt(n)} (L of ${fmt(m)})`, code: `L = list(range(${m}))\nx = [sorted(L) for a in range(${n})]`, stops: true };
    },
  },
  {
    family: 'upper',
    make: (r) => {
      const m = r.int(50_000, 100_000);
      const n = r.int(10_000, 99_999);
      return { name: `s.upper() × ${fmt(n)} (s of ${fmt(m)})`, code: `s = "a" * ${m}\nx = [s.upper() for a in range(${n})]`, stops: true };
    },
  },
  {
    family: 'nested brackets',
    make: (r) => {
      const d = r.pick([201, 1000, 60_000]);
      const [o, c] = r.pick([['[', ']'], ['(', ')'], ['{', '}']]);
      const closed = r.chance(0.6);
      return { name: `${fmt(d)} nested ${o}${closed ? c : ' (unclosed)'}`, code: `x = ${o.repeat(d)}${closed ? `1${c.repeat(d)}` : ''}`, stops: false, syntax: true };
    },
  },
  {
    family: 'doubling',
    make: (r) => {
      const list = r.chance(0.5);
      const n = r.int(30, 60);
      return { name: `${list ? 'list' : 'str'} doubled ${n} times`, code: `d = ${list ? '[0]' : '"ab"'}\n${'d = d + d\n'.repeat(n)}n = len(d)`, stops: false };
    },
  },
  {
    family: 'deepcopy',
    make: (r) => {
      const w = r.int(50, 200);
      return { name: `deepcopy of 4 levels of ${w} shared lists`, code: `import copy\na = [0] * ${w}\nb = [a] * ${w}\nc = [b] * ${w}\nd = [c] * ${w}\ne = copy.deepcopy(d)`, stops: true };
    },
  },
  {
    family: 'recursion',
    make: (r) => {
      const n = r.int(25, 40);
      return { name: `f(${n}) calling itself twice per call`, code: `def f(n):\n    return [f(n - 1), f(n - 1)] if n else 0\nx = f(${n})`, stops: true };
    },
  },
  {
    family: 'stages',
    make: (r) => {
      const n = r.int(2_000, 50_000);
      return {
        name: `${fmt(n)} stages`,
        code: `net_config = [[MixVarGENetConfig(in_channels=64, out_channels=64, head_op="mixvarge_f2", stack_ops=["mixvarge_f2"] * 2, stride=1)] for i in range(${n})]`,
        stops: true,
        alone: true,
      };
    },
  },
  {
    family: 'dicts',
    make: (r) => {
      const n = r.int(50_000, 99_999);
      return { name: `dict(a=i, b=[i] * 100, c=str(i) * 100) × ${fmt(n)}`, code: `x = [dict(a=i, b=[i] * 100, c=str(i) * 100) for i in range(${n})]`, stops: true };
    },
  },
  {
    family: 'formatting',
    make: (r) => {
      const n = r.int(50_000, 99_999);
      return { name: `'%d-%s' % (a, 'x' * 1000) × ${fmt(n)}`, code: `x = ['%d-%s' % (a, 'x' * 1000) for a in range(${n})]`, stops: true };
    },
  },
  {
    family: 'search',
    make: (r) => {
      const n = r.int(50_000, 99_999);
      return { name: `x in L × ${fmt(n)} (L of 99,999)`, code: `L = list(range(99999))\nx = [99998 in L for a in range(${n})]`, stops: true };
    },
  },
  {
    family: 'filter',
    make: (r) => {
      const k = r.int(9, 15);
      return { name: `[i for i in range(10**${k}) if i < 0]`, code: `x = [i for i in range(10**${k}) if i < 0]`, stops: true };
    },
  },
  {
    family: 'loops',
    make: (r) => {
      const str = r.chance(0.5);
      return { name: `${str ? 's += s' : 'L = L + L'} in a loop of 1,000`, code: `${str ? 's = "a" * 1000' : 'L = [0] * 1000'}\nfor i in range(1000):\n    ${str ? 's += s' : 'L = L + L'}\n    y = [i] * 1000`, stops: false };
    },
  },
  {
    family: 'nested comprehension',
    make: (r) => {
      const n = r.int(300, 1000);
      return { name: `[[[i] * 100 for i in range(${n})] for j in range(${n})]`, code: `x = [[[i] * 100 for i in range(${n})] for j in range(${n})]`, stops: true };
    },
  },
  {
    family: 'long expression',
    make: (r) => {
      const n = r.int(20_000, 60_000);
      const kind = r.pick(['-', 'not ', '+1']);
      return { name: `${fmt(n)} × '${kind}'`, code: kind === '+1' ? `x = 1${'+1'.repeat(n)}` : `x = ${kind.repeat(n)}1`, stops: false };
    },
  },
  {
    family: 'long file',
    make: (r) => {
      const n = r.int(30_000, 80_000);
      return { name: `${fmt(n)} statements`, code: 'x = 1\n'.repeat(n).trimEnd(), stops: false };
    },
  },
];

/** `perFamily` inputs of every family (sizes drawn from `seed`), each after the seed config's text. */
export function hostileInputs(seedConfig: string, seed: number, perFamily: number): Hostile[] {
  const r = new Rng(seed);
  const out: Hostile[] = [];
  const base = seedConfig.endsWith('\n') ? seedConfig : seedConfig + '\n';
  for (const f of FAMILIES) {
    for (let i = 0; i < perFamily; i++) {
      const h = f.make(r);
      const head = h.alone ? IMPORT : base;
      const line = head.split('\n').length; // the first line after the head
      out.push({
        family: f.family,
        name: h.name,
        text: head + h.code + '\n',
        stopLine: h.stops ? line + lineOfLast(h.code) : undefined,
        syntaxLine: h.syntax ? line : undefined,
        seedFirst: !h.alone,
      });
    }
  }
  return out;
}

/** The 0-based line of a code block's last top-level statement (where its hostile part is). */
function lineOfLast(code: string): number {
  const lines = code.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i] && !/^\s/.test(lines[i])) return i;
  return 0;
}
