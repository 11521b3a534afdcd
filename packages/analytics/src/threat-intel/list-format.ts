import type { FeedCollector } from './feed-collector.js';

/** Whether `c` is whitespace a list may carry around an entry (ASCII blanks, NBSP, a BOM). */
export function isBlank(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0xfeff;
}

/**
 * Reads a plain list: one address or CIDR per line; `#` and `;` start a comment anywhere on a line
 * (Spamhaus DROP writes `1.10.16.0/20 ; SBL256894`, FireHOL `# comment`); blank lines, CRLF and
 * surrounding whitespace are ignored. Text after the entry that is not a comment makes the line invalid
 * rather than being dropped unseen (`1.2.3.4 5.6.7.8` would otherwise lose the second address).
 */
export function readList(text: string, collector: FeedCollector, maxLineLength: number): void {
  let line = 0;
  let start = 0;
  while (start <= text.length && collector.stopped === undefined) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const next = end + 1;
    line++;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    if (end - start > maxLineLength) {
      // A long comment (a licence header, say) is still only a comment.
      let first = start;
      while (first < end && isBlank(text.charCodeAt(first))) first++;
      const c = text.charCodeAt(first);
      if (c !== 35 && c !== 59) collector.invalid(line, `line longer than ${maxLineLength} characters`);
      start = next;
      continue;
    }
    let stop = start;
    while (stop < end) {
      const c = text.charCodeAt(stop);
      if (c === 35 || c === 59) break;
      stop++;
    }
    let from = start;
    while (from < stop && isBlank(text.charCodeAt(from))) from++;
    let to = stop;
    while (to > from && isBlank(text.charCodeAt(to - 1))) to--;
    if (from < to) {
      let token = from;
      while (token < to && !isBlank(text.charCodeAt(token))) token++;
      if (token < to) {
        collector.invalid(
          line,
          `unexpected text after the entry: ${JSON.stringify(text.slice(from, Math.min(to, from + 64)))}`,
        );
      } else {
        collector.add(text, from, to, line);
      }
    }
    start = next;
  }
}
