import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { simulateRouting } from '../../../../extension/core/rules/support/routing';
import { applyFix, config, run, type StageOverride } from './helpers';

/**
 * Property: on any routing of the seed layout (extra_downsample_num 0..3 per stage; each head
 * fusing exactly what arrives, nothing, or a random ascending list), the rules never throw, and
 * applying a preferred MVG101/MVG106 fix removes that finding without adding an error.
 */
describe('MVG101/MVG106 fixes on random routings', () => {
  it('remove their finding and never introduce an error', () => {
    const choice = fc.constantFrom<'match' | 'empty' | 'random'>('match', 'match', 'empty', 'random');
    const stage = fc.record({ edn: fc.integer({ min: 0, max: 3 }), how: choice, random: fc.subarray([2, 4, 8, 16]) });
    let withoutErrors = 0;
    let fixed = 0;
    fc.assert(
      fc.property(fc.array(stage, { minLength: 5, maxLength: 5 }), fc.boolean(), (st, top) => {
        const edns = st.map((s, i) => (i === 4 && top ? 0 : s.edn));
        const routed = simulateRouting(edns);
        const stages: Record<number, StageOverride> = {};
        st.forEach((s, i) => {
          const arriving = (routed[i] ?? []).map((m) => 2 ** (m.fromStage + 1));
          const fs = i === 0 ? [] : s.how === 'match' ? arriving : s.how === 'empty' ? [] : s.random;
          stages[i] = { extra_downsample_num: edns[i], fusion_strides: fs };
        });
        const text = config({ stages, backbone: top ? {} : { include_top: 'False' } });
        const a = run(text);
        const errors = a.findings.filter((f) => f.severity === 'error').length;
        if (errors === 0) withoutErrors++;
        for (const f of a.findings.filter((x) => x.code === 'MVG101' || x.code === 'MVG106')) {
          const fix = f.fixes?.find((x) => x.preferred);
          if (!fix) continue;
          fixed++;
          const b = run(applyFix(text, fix));
          assert.ok(!b.findings.some((x) => x.code === f.code && x.stage === f.stage), `${f.code} stage ${f.stage} is gone after "${fix.title}"`);
          assert.ok(b.findings.filter((x) => x.severity === 'error').length <= errors, `"${fix.title}" adds no error`);
        }
      }),
      { numRuns: 80, seed: 20240611 },
    );
    // The generator really produces runnable configs and fixable findings.
    assert.ok(withoutErrors >= 10, `${withoutErrors} configs without errors`);
    assert.ok(fixed >= 10, `${fixed} fixes applied`);
  });
});
