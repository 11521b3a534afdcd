/**
 * Parsers for the small key/value files system information comes from: `/etc/os-release`,
 * `/proc/meminfo` and `/proc/cmdline`.
 */

/**
 * `/etc/os-release` (os-release(5)): `KEY=value` lines, values optionally in single or double quotes
 * with backslash escapes inside double quotes; comments and blank lines ignored.
 */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    let value = line.slice(eq + 1);
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
      value = value.slice(1, -1).replace(/\\(["\\$`])/g, '$1');
    } else if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) {
      value = value.slice(1, -1);
    }
    out[key] = value;
  }
  return out;
}

/** `/proc/meminfo` as kilobytes by field name (`MemTotal`, `MemFree`, `SwapTotal`…). */
export function parseMeminfo(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^([\w()]+):\s+(\d+)(?:\s+kB)?\s*$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) out[match[1]] = Number(match[2]);
  }
  return out;
}

/** The `root=` device of the kernel command line, if any. */
export function bootDeviceFromCmdline(text: string): string | undefined {
  const match = /(?:^|\s)root=(\S+)/.exec(text);
  return match?.[1];
}
