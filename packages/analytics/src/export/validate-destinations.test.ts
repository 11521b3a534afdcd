import { describe, expect, it } from 'vitest';
import { destinationViolations } from './validate-destinations.js';

describe('destination checks on configuration read from JSON', () => {
  it('lists every wrongly typed field, each by its path, without echoing values', () => {
    const violations = destinationViolations([
      'webhook',
      { kind: 'webhook', url: 42, secret: 7, headers: ['x'] },
      { kind: 'syslog', host: 9, port: '514', transport: 'quic', facility: {}, retry: 3 },
      { kind: 'email' },
      { kind: 'webhook', url: 'https://siem.example/hook', secret: 'hunter2-never-shown' },
      { kind: 'webhook', url: 'https://siem.example/hook', name: 'line\nbreak' },
    ]);
    expect(violations.map((v) => v.path)).toEqual([
      'destinations[0]',
      'destinations[1].url',
      'destinations[1].secret',
      'destinations[1].headers',
      'destinations[2].retry',
      'destinations[2].host',
      'destinations[2].port',
      'destinations[2].transport',
      'destinations[2].facility',
      'destinations[3].kind',
      'destinations[5].name',
    ]);
    expect(JSON.stringify(violations)).not.toContain('hunter2');
  });

  it('refuses a value that is not a list, and accepts a valid list', () => {
    expect(destinationViolations({ kind: 'webhook' })).toEqual([
      { path: 'destinations', message: 'must be a list of destinations' },
    ]);
    expect(
      destinationViolations([
        { kind: 'syslog', host: '127.0.0.1', port: 514, transport: 'tcp', facility: 'local4' },
        { kind: 'webhook', url: 'http://127.0.0.1:9/hook', retry: { maxAttempts: 2 } },
      ]),
    ).toEqual([]);
  });
});
