/**
 * Tests that need something a developer's machine may lack (Debian's python3-torch or python3-onnx, a built
 * bundle, the installed code-server). Locally such a test is skipped and says what is missing and how to get
 * it; under CI=true a missing dependency is a failure, because CI's set-up (scripts/setup.sh) installs all of them
 * and a silent skip there would let a check stop running unnoticed.
 */
export function requireOrSkip(ctx: Mocha.Context, have: boolean, what: string, install: string): void {
  if (have) return;
  if (process.env.CI === 'true') throw new Error(`missing dependency under CI=true: ${what} (${install})`);
  console.log(`      (skipped: ${what} is missing; ${install})`);
  ctx.skip();
}
