import { describe, expect, it } from 'vitest';
import { isHubError } from '../errors/index.js';
import { resolveHubConfig } from './validate.js';

describe('resolveHubConfig', () => {
  it('applies IoT Hub defaults: TLS 8883 and WebSocket 443 on, plain MQTT off, 256 KiB messages', () => {
    const config = resolveHubConfig({ dataDir: '/tmp/x' });
    expect(config.listeners.mqtts).toEqual({ port: 8883, host: '0.0.0.0' });
    expect(config.listeners.wss).toEqual({ port: 443, host: '0.0.0.0' });
    expect(config.listeners.mqtt).toBeNull();
    expect(config.limits.maxMessageBytes).toBe(262144);
    expect(config.hostName).toBe('localhost');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reports every violation with its path at once', () => {
    let thrown: unknown;
    try {
      resolveHubConfig({
        dataDir: '',
        hostName: 'bad host:8883',
        listeners: { mqtts: { port: 70000 }, wss: false },
        limits: { maxMessageBytes: 0, hookTimeoutMs: 5 },
      });
    } catch (error) {
      thrown = error;
    }
    expect(isHubError(thrown, 'INVALID_CONFIG')).toBe(true);
    const paths = isHubError(thrown) ? thrown.violations.map((v) => v.path) : [];
    expect(paths).toEqual(
      expect.arrayContaining([
        'dataDir',
        'hostName',
        'listeners.mqtts.port',
        'limits.maxMessageBytes',
        'limits.hookTimeoutMs',
      ]),
    );
  });

  it('refuses a configuration with every listener off', () => {
    expect(() => resolveHubConfig({ dataDir: '/tmp/x', listeners: { mqtts: false, wss: false } })).toThrow(
      /at least one listener/,
    );
  });
});
