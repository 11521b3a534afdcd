import { describe, expect, it } from 'vitest';
import type { Identity, NewOperation } from '@vigil/storage';
import { detectHubAlerts } from './hub-alerts.js';
import { assessHubPosture } from './hub-posture.js';

const T = Date.UTC(2026, 10, 22, 12);
const op = (operation: string, extra: Partial<NewOperation> = {}): NewOperation => ({
  operation,
  at: T,
  outcome: 'failure',
  ...extra,
});

describe('built-in hub alerts from the operations log', () => {
  const cases: [string, NewOperation][] = [
    [
      'IoT_Cert_Print_Mismatch',
      op('authenticationFailed', {
        reason: 'thumbprintMismatch',
        deviceId: 'cam',
        sourceAddress: '10.0.0.9',
      }),
    ],
    ['IoT_Cert_Expired', op('authenticationFailed', { reason: 'certificateExpired', deviceId: 'cam' })],
    ['IoT_Expired_SAS_Token', op('authenticationFailed', { reason: 'sasExpired', deviceId: 'cam' })],
    [
      'IoT_Invalid_SAS_Token',
      op('authenticationFailed', { reason: 'sasSignatureMismatch', deviceId: 'cam' }),
    ],
    [
      'IoT_CertificateSuccessfullyAddedToHub',
      op('certificateAdded', { outcome: 'success', details: { name: 'fleet-ca' } }),
    ],
    [
      'IoT_CertificateSuccessfullyDeletedFromHub',
      op('certificateDeleted', { outcome: 'success', details: { name: 'fleet-ca' } }),
    ],
    ['Hub_CertificateFailedToBeAddedToHub', op('certificateAddFailed', { details: { name: 'bad' } })],
    [
      'IoT.Hub_CertificateFailedToBeDeletedFromHub',
      op('certificateDeleteFailed', { details: { name: 'x' } }),
    ],
    [
      'IoT_DiagnosticSettingAddedOrEditedOnHub',
      op('diagnosticSettingChanged', { outcome: 'success', details: { name: 'siem' } }),
    ],
    [
      'IoT_DiagnosticSettingDeletedFromHub',
      op('diagnosticSettingDeleted', { outcome: 'success', details: { name: 'siem' } }),
    ],
  ];
  it.each(cases)('%s', (typeId, operation) => {
    const [alert, ...rest] = detectHubAlerts(operation);
    expect(rest).toEqual([]);
    expect(alert).toMatchObject({ kind: 'alert', typeId, at: T, deviceId: operation.deviceId ?? '' });
    expect(alert!.evidence).toMatchObject({ operation: operation.operation });
  });

  it('near misses: other authentication failures and ordinary operations raise nothing', () => {
    for (const reason of ['unknownIdentity', 'identityDisabled', 'clientIdMismatch', 'ipFiltered']) {
      expect(detectHubAlerts(op('authenticationFailed', { reason }))).toEqual([]);
    }
    expect(detectHubAlerts(op('connect', { outcome: 'success' }))).toEqual([]);
    expect(detectHubAlerts(op('twinUpdated', { outcome: 'success' }))).toEqual([]);
  });
});

describe('hub posture recommendations', () => {
  const sas = (deviceId: string, primaryKey: string, moduleId: string | null = null) =>
    ({
      deviceId,
      moduleId,
      auth: { type: 'sas', primaryKey, secondaryKey: `${primaryKey}-2-${deviceId}` },
    }) as Pick<Identity, 'deviceId' | 'moduleId' | 'auth'>;
  const state = (findings: ReturnType<typeof assessHubPosture>, typeId: string, deviceId = '', key = '') =>
    findings.find((f) => f.typeId === typeId && f.deviceId === deviceId && f.key === key)?.state;

  it('a default-accept filter, a /8 accept rule and no diagnostics are raised; the opposite resolves them', () => {
    const loose = assessHubPosture(
      {
        ipFilter: {
          defaultAction: 'accept',
          rules: [{ name: 'corp', action: 'accept', ipMask: '10.0.0.0/8' }],
        },
        diagnosticSettings: [],
      },
      [],
      T,
    );
    expect(state(loose, 'IoT_IPFilter_DenyAll')).toBe('raised');
    expect(state(loose, 'IoT_IPFilter_PermissiveRule')).toBe('raised');
    expect(state(loose, 'Vigil_DiagnosticsLogsDisabled')).toBe('raised');
    const tight = assessHubPosture(
      {
        ipFilter: {
          defaultAction: 'reject',
          rules: [{ name: 'plant', action: 'accept', ipMask: '10.20.0.0/16' }],
        },
        diagnosticSettings: [{ name: 'siem', destination: 'syslog://siem:514', categories: ['connections'] }],
      },
      [],
      T,
    );
    expect(state(tight, 'IoT_IPFilter_DenyAll')).toBe('resolved');
    expect(state(tight, 'IoT_IPFilter_PermissiveRule')).toBe('resolved');
    expect(state(tight, 'Vigil_DiagnosticsLogsDisabled')).toBe('resolved');
  });

  it('shared credentials: raised for each identity that shares a key, never naming the key; unique keys resolve', () => {
    const findings = assessHubPosture(
      { ipFilter: { defaultAction: 'reject', rules: [] }, diagnosticSettings: [] },
      [sas('a', 'K1'), sas('b', 'K1'), sas('c', 'K2')],
      T,
    );
    expect(state(findings, 'IoT_SharedCredentials', 'a')).toBe('raised');
    expect(state(findings, 'IoT_SharedCredentials', 'b')).toBe('raised');
    expect(state(findings, 'IoT_SharedCredentials', 'c')).toBe('resolved');
    expect(JSON.stringify(findings)).not.toContain('K1');
    const a = findings.find((f) => f.typeId === 'IoT_SharedCredentials' && f.deviceId === 'a')!;
    expect(a.details).toEqual({ credentials: [{ credential: 'symmetric key #1', sharedWith: ['b'] }] });
  });
});
