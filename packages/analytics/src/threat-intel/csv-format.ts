import { parseCidr } from './cidr.js';
import type { FeedCollector } from './feed-collector.js';
import { isBlank } from './list-format.js';

/** A CSV record, or why it could not be read. */
type CsvRecord =
  { readonly line: number; readonly fields: string[] } | { readonly line: number; readonly error: string };

/**
 * Splits CSV text into records per RFC 4180: comma-separated fields, `"`-quoted fields that may hold
 * commas, line breaks and `""` for a quote; LF or CRLF record ends. Lines starting with `#` are comments
 * (abuse.ch and others head their CSV with them) and blank lines are skipped.
 */
export function* csvRecords(text: string, maxRecordLength: number): Generator<CsvRecord> {
  let pos = 0;
  let line = 1;
  const n = text.length;
  while (pos < n) {
    const recordStart = pos;
    const recordLine = line;
    const c0 = text.charCodeAt(pos);
    if (c0 === 35 || c0 === 10 || (c0 === 13 && text.charCodeAt(pos + 1) === 10)) {
      const end = text.indexOf('\n', pos);
      pos = end < 0 ? n : end + 1;
      line++;
      continue;
    }
    const fields: string[] = [];
    let error: string | undefined;
    let done = false;
    while (!done) {
      let value = '';
      if (text.charCodeAt(pos) === 34) {
        pos++;
        let closed = false;
        while (pos < n) {
          const quote = text.indexOf('"', pos);
          const chunkEnd = quote < 0 ? n : quote;
          for (let i = pos; i < chunkEnd; i++) if (text.charCodeAt(i) === 10) line++;
          value += text.slice(pos, chunkEnd);
          if (quote < 0) {
            pos = n;
            break;
          }
          if (text.charCodeAt(quote + 1) === 34) {
            value += '"';
            pos = quote + 2;
          } else {
            pos = quote + 1;
            closed = true;
            break;
          }
        }
        if (!closed) error ??= 'unterminated quoted field';
        // RFC 4180 allows nothing between the closing quote and the separator; tolerate it, but say so.
        const after = pos;
        while (pos < n && text.charCodeAt(pos) !== 44 && text.charCodeAt(pos) !== 10) pos++;
        if (pos > after && !(pos === after + 1 && text.charCodeAt(after) === 13)) {
          error ??= 'text after a closing quote';
        }
      } else {
        const from = pos;
        while (pos < n && text.charCodeAt(pos) !== 44 && text.charCodeAt(pos) !== 10) pos++;
        value = text.slice(from, trimCr(text, from, pos));
      }
      fields.push(value);
      if (pos >= n || text.charCodeAt(pos) === 10) done = true;
      pos++;
    }
    line++;
    if (pos - recordStart > maxRecordLength) error = `record longer than ${maxRecordLength} characters`;
    yield error === undefined ? { line: recordLine, fields } : { line: recordLine, error };
  }
}

function trimCr(text: string, from: number, to: number): number {
  return to > from && text.charCodeAt(to - 1) === 13 ? to - 1 : to;
}

function trim(value: string): [number, number] {
  let from = 0;
  let to = value.length;
  while (from < to && isBlank(value.charCodeAt(from))) from++;
  while (to > from && isBlank(value.charCodeAt(to - 1))) to--;
  return [from, to];
}

/**
 * Reads a CSV feed's `column`: a header name (the first record is the header; names match after
 * trimming, case-insensitively) or a 0-based index (the first record is taken as a header only when
 * that field is not an address, so header rows are optional). Returns an error message when the named
 * column is missing from the header.
 */
export function readCsv(
  text: string,
  column: number | string,
  collector: FeedCollector,
  maxRecordLength: number,
): string | undefined {
  let index = typeof column === 'number' ? column : -1;
  let first = true;
  const scratch = new Uint32Array(4);
  for (const record of csvRecords(text, maxRecordLength)) {
    if (collector.stopped !== undefined) break;
    if ('error' in record) {
      first = false;
      collector.invalid(record.line, record.error);
      continue;
    }
    if (record.fields.length === 1 && trim(record.fields[0]!)[1] === trim(record.fields[0]!)[0]) continue;
    if (first) {
      first = false;
      if (typeof column === 'string') {
        const wanted = column.trim().toLowerCase();
        index = record.fields.findIndex((name) => name.trim().toLowerCase() === wanted);
        if (index < 0)
          return `column ${JSON.stringify(column)} is not in the header (${record.fields.join(', ')})`;
        continue;
      }
      const field = record.fields[index];
      if (field !== undefined) {
        const [from, to] = trim(field);
        if (parseCidr(field, scratch, from, to) < 0 && !/^[\da-f.:/]*$/i.test(field.slice(from, to)))
          continue;
      }
    }
    const field = record.fields[index];
    if (field === undefined) {
      collector.invalid(record.line, `record has ${record.fields.length} fields, no column ${index}`);
      continue;
    }
    const [from, to] = trim(field);
    if (from === to) collector.invalid(record.line, `column ${index} is empty`);
    else collector.add(field, from, to, record.line);
  }
  return undefined;
}
