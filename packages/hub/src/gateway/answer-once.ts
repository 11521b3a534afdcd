/**
 * Wraps a hook callback so it is answered exactly once, and with `onTimeout`'s answer when the
 * work takes longer than `timeoutMs` (DESIGN.md: every hook answers once, within a limit). Returns
 * the guarded callback; later answers are ignored.
 */
export function answerOnce<A extends unknown[]>(
  callback: (...args: A) => void,
  timeoutMs: number,
  onTimeout: () => Readonly<A>,
): (...args: A) => void {
  let answered = false;
  const timer = setTimeout(() => {
    if (answered) return;
    answered = true;
    callback(...(onTimeout() as A));
  }, timeoutMs);
  timer.unref();
  return (...args: A) => {
    if (answered) return;
    answered = true;
    clearTimeout(timer);
    callback(...args);
  };
}
