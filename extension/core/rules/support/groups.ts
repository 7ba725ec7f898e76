/** Group convs as HAT builds them: the group count an op's group base gives a width, and when nn.Conv2d refuses it. */
import { blockConvs } from '../../model';
import type { OpSpec } from '../../schema';

/** int(c / base) groups, and whether nn.Conv2d accepts them for cin→cout. */
export function groupsOf(c: number, base: number, cin: number, cout: number): { groups: number; valid: boolean } {
  const groups = Math.trunc(c / base);
  return { groups, valid: groups >= 1 && cin % groups === 0 && cout % groups === 0 };
}

/** A group conv of a block that nn.Conv2d refuses to build. */
export interface GroupFailure {
  conv: 'conv1' | 'conv2';
  /** The conv's widths. */
  cin: number;
  cout: number;
  /** The op's group base, the width it divides (conv1: the block's input, conv2: its output) and the groups it gives. */
  base: number;
  source: number;
  groups: number;
  /** 0 groups, or the conv's input or output width not divisible by them. */
  which: 'zero' | 'in' | 'out';
  /** The width that does not split (the source for 0 groups). */
  failing: number;
}

function isPosInt(n: number): boolean {
  return Number.isInteger(n) && n > 0;
}

/** The group convs nn.Conv2d refuses in one block of `spec` from cin to cout channels (none when the widths are not positive ints). */
export function groupFailures(spec: OpSpec, cin: number, cout: number): GroupFailure[] {
  if (!isPosInt(cin) || !isPosInt(cout)) return [];
  const { mid, g1, g2 } = blockConvs('', spec, cin, cout, 1, null, false);
  const out: GroupFailure[] = [];
  const check = (conv: GroupFailure['conv'], base: number | undefined, source: number, groups: number, a: number, b: number) => {
    if (!base || !isPosInt(a) || !isPosInt(b) || !Number.isInteger(groups)) return;
    const which = groups <= 0 ? 'zero' : a % groups !== 0 ? 'in' : b % groups !== 0 ? 'out' : undefined;
    if (which) out.push({ conv, cin: a, cout: b, base, source, groups, which, failing: which === 'zero' ? source : which === 'in' ? a : b });
  };
  check('conv1', spec.conv1_group_base, cin, g1, cin, mid);
  check('conv2', spec.conv2_group_base, cout, g2, mid, cout);
  return out;
}
