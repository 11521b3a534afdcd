/**
 * Percent-encodes like azure-iot-common's `encodeUriComponentStrict`: `encodeURIComponent` plus `! ' ( ) *`
 * escaped in lower-case hex (`*` → `%2a`), which is what the Node SDK puts in `sr`, `sig` and `skn`
 * (reference/iothub-mqtt.md §1.3).
 */
export function encodeSasComponent(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
}

/**
 * The SAS resource URI of a device (`{host}/devices/{id}`) or module (`{host}/devices/{id}/modules/{m}`),
 * unencoded; {@link generateSasToken} encodes it. `host` is the connection string's `HostName` as written,
 * including any `:port`.
 */
export function deviceResourceUri(host: string, deviceId: string, moduleId?: string): string {
  const device = `${host}/devices/${deviceId}`;
  return moduleId === undefined ? device : `${device}/modules/${moduleId}`;
}

/**
 * True when the resource a token names covers the expected one: hosts compare case-insensitively
 * (DNS names), paths exactly. With `allowPrefix` (policy tokens), the token may name a shorter path,
 * matched by whole segments (`{host}/devices` covers `{host}/devices/d1`, not `{host}/devices1`),
 * as reference/iothub-mqtt.md §1.3 describes.
 */
export function resourceCovers(tokenUri: string, expectedUri: string, allowPrefix: boolean): boolean {
  const token = splitResource(tokenUri);
  const expected = splitResource(expectedUri);
  if (token.host.toLowerCase() !== expected.host.toLowerCase()) return false;
  if (token.path === expected.path) return true;
  return allowPrefix && (token.path === '' || expected.path.startsWith(`${token.path}/`));
}

function splitResource(uri: string): { host: string; path: string } {
  const trimmed = uri.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');
  const slash = trimmed.indexOf('/');
  return slash < 0
    ? { host: trimmed, path: '' }
    : { host: trimmed.slice(0, slash), path: trimmed.slice(slash + 1) };
}
