import { describe, expect, it } from 'vitest';
import { parsePropertyBag, SECURITY_INTERFACE_ID } from '@vigil/protocol';
import { d2cIngestRecord, INGEST_PROPERTIES } from './d2c-record.js';

const message = (bag: string) => ({
  identity: { deviceId: 'dev1', moduleId: 'azureiotsecurity' },
  protocol: 'mqtt-ws' as const,
  authMethod: 'sas' as const,
  remoteAddress: '192.0.2.7',
  properties: parsePropertyBag(bag),
  payload: Buffer.from('{}'),
  receivedAt: Date.UTC(2026, 0, 2, 3, 4, 5),
  retain: true,
  dup: false,
  will: false,
});

describe('D2C ingest record', () => {
  it('keeps system properties under their wire keys and application properties by name', () => {
    const record = d2cIngestRecord(
      message(
        `%24.ifid=${encodeURIComponent(SECURITY_INTERFACE_ID)}&%24.ct=application%2Fjson&mti=2.3-1-0-0&flag`,
      ),
    );
    expect(record).toMatchObject({ kind: 'd2c', deviceId: 'dev1', moduleId: 'azureiotsecurity' });
    expect(record.properties).toMatchObject({
      '$.ifid': SECURITY_INTERFACE_ID,
      '$.ct': 'application/json',
      mti: '2.3-1-0-0',
      flag: '',
      [INGEST_PROPERTIES.protocol]: 'mqtt-ws',
      [INGEST_PROPERTIES.sourceAddress]: '192.0.2.7',
      [INGEST_PROPERTIES.enqueuedTime]: '2026-01-02T03:04:05.000Z',
      [INGEST_PROPERTIES.retain]: 'true',
    });
  });

  it('does not let a device forge the stamps the hub adds', () => {
    const record = d2cIngestRecord(
      message('iothub-connection-device-id=victim&vigil-source-address=10.0.0.1&iothub-MessageType=Will'),
    );
    expect(record.properties?.[INGEST_PROPERTIES.deviceId]).toBe('dev1');
    expect(record.properties?.[INGEST_PROPERTIES.sourceAddress]).toBe('192.0.2.7');
    expect(record.properties?.[INGEST_PROPERTIES.messageType]).toBeUndefined();
  });
});
