import type { Alert } from '@vigil/storage';

/** An alert as storage returns it, for export tests; `overrides` replace fields. */
export function testAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: 42,
    typeId: 'IoT_Expired_SAS_Token',
    deviceId: 'cam-7',
    key: '',
    severity: 'high',
    status: 'active',
    title: 'Expired SAS token',
    firstSeenAt: Date.UTC(2026, 10, 22, 12, 0, 0),
    lastSeenAt: Date.UTC(2026, 10, 22, 12, 5, 0),
    occurrences: 3,
    evidence: [{ operation: 'authenticationFailed', reason: 'sasExpired' }],
    remediation: ['Issue the device a fresh SAS token.'],
    updatedAt: Date.UTC(2026, 10, 22, 12, 5, 0),
    ...overrides,
  };
}
