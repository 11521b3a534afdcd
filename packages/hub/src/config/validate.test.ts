import { describe, expect, it } from 'vitest';
import { isHubError } from '../errors/index.js';
import { isLoopbackHost, resolveHubConfig } from './validate.js';

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

  it('binds plain MQTT to 127.0.0.1 when it is asked for without a host', () => {
    const config = resolveHubConfig({ dataDir: '/tmp/x', listeners: { mqtt: { port: 1883 } } });
    expect(config.listeners.mqtt).toEqual({ port: 1883, host: '127.0.0.1' });
  });

  it('refuses plain MQTT on a non-loopback address without the explicit opt-in, naming the path', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.5', 'hub.example.com']) {
      let thrown: unknown;
      try {
        resolveHubConfig({ dataDir: '/tmp/x', listeners: { mqtt: { port: 0, host } } });
      } catch (error) {
        thrown = error;
      }
      expect(isHubError(thrown, 'INVALID_CONFIG')).toBe(true);
      const violations = isHubError(thrown) ? thrown.violations : [];
      expect(violations).toEqual([
        { path: 'listeners.mqtt.host', message: expect.stringMatching(/insecureAllowNonLoopback/) },
      ]);
    }
  });

  it('accepts loopback hosts for plain MQTT and a non-loopback one only with insecureAllowNonLoopback', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost']) {
      expect(
        resolveHubConfig({ dataDir: '/tmp/x', listeners: { mqtt: { port: 0, host } } }).listeners.mqtt?.host,
      ).toBe(host);
    }
    const opted = resolveHubConfig({
      dataDir: '/tmp/x',
      listeners: { mqtt: { port: 0, host: '0.0.0.0', insecureAllowNonLoopback: true } },
    });
    expect(opted.listeners.mqtt).toEqual({ port: 0, host: '0.0.0.0' });
    expect(() =>
      resolveHubConfig({
        dataDir: '/tmp/x',
        listeners: {
          mqtt: { port: 0, host: '0.0.0.0', insecureAllowNonLoopback: 'yes' as unknown as boolean },
        },
      }),
    ).toThrow(/insecureAllowNonLoopback must be true or false/);
    expect(isLoopbackHost('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
  });
});
