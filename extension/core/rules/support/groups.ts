/** Group convs as HAT builds them: the group count an op's group base gives a width. */

/** int(c / base) groups, and whether nn.Conv2d accepts them for cin→cout. */
export function groupsOf(c: number, base: number, cin: number, cout: number): { groups: number; valid: boolean } {
  const groups = Math.trunc(c / base);
  return { groups, valid: groups >= 1 && cin % groups === 0 && cout % groups === 0 };
}
