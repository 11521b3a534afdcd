/**
 * Test support: a bounded wait for what a command set going (a simulated fleet publishing, the
 * analytics catching up); the test's own assertion afterwards says whether it came.
 */

/** Polls until `check` holds, at most 50 times 100 ms (~5 s); returns either way. */
export async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 50 && !(await check()); i += 1) await new Promise((r) => setTimeout(r, 100));
}
