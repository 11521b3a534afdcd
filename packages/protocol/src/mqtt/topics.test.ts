import { describe, expect, it } from 'vitest';
import { isProtocolError, type ProtocolErrorCode } from '../errors/index.js';
import {
  SECURITY_INTERFACE_ID,
  buildC2dSubscription,
  buildC2dTopic,
  buildD2cTopic,
  buildDesiredPatchTopic,
  buildMethodRequestTopic,
  buildMethodResponseTopic,
  buildModuleInputTopic,
  buildModuleInputsSubscription,
  buildReportedPatchTopic,
  buildTwinGetTopic,
  buildTwinResponseTopic,
  isSecurityMessage,
  parseDeviceTopic,
  parseHubTopic,
  parseSubscriptionFilter,
} from './index.js';

function codeOf(run: () => unknown): ProtocolErrorCode {
  try {
    run();
  } catch (error) {
    if (isProtocolError(error)) return error.code;
    throw error;
  }
  throw new Error('expected a ProtocolError');
}

const NODE_RID = '0b6a8c52-2f1e-4a57-9e5e-6f9a1f7c3b10';

describe('parseDeviceTopic (what the hub receives)', () => {
  it('reads the Node SDK security message topic captured by the probe', () => {
    const topic = parseDeviceTopic(
      'devices/dev1/messages/events/%24.ct=application%2Fjson&%24.ce=utf-8&%24.ifid=urn%3Aazureiot%3ASecurity%3ASecurityAgent%3A1',
    );
    expect(topic.kind).toBe('d2c');
    if (topic.kind !== 'd2c') return;
    expect(topic.deviceId).toBe('dev1');
    expect(topic.moduleId).toBeUndefined();
    expect(isSecurityMessage(topic.properties)).toBe(true);
  });

  it('accepts D2C without the slash after events, with it, and with a trailing slash after the bag (§0 item 8)', () => {
    for (const topic of [
      'devices/d/messages/events',
      'devices/d/messages/events/',
      'devices/d/modules/azureiotsecurity/messages/events/%24.on=out1&k=v/',
    ]) {
      expect(parseDeviceTopic(topic).kind).toBe('d2c');
    }
    expect(parseDeviceTopic('devices/d/modules/azureiotsecurity/messages/events/%24.on=out1&k=v/')).toEqual({
      kind: 'd2c',
      deviceId: 'd',
      moduleId: 'azureiotsecurity',
      properties: { system: { outputName: 'out1' }, application: { k: 'v' } },
    });
  });

  it('reads twin requests and method responses with the rid raw (UUID from Node, decimal from C)', () => {
    expect(parseDeviceTopic(`$iothub/twin/GET/?$rid=${NODE_RID}`)).toEqual({
      kind: 'twin-get',
      rid: NODE_RID,
    });
    expect(parseDeviceTopic('$iothub/twin/PATCH/properties/reported/?$rid=42')).toEqual({
      kind: 'twin-patch-reported',
      rid: '42',
    });
    expect(parseDeviceTopic('$iothub/methods/res/200/?$rid=1f')).toEqual({
      kind: 'method-response',
      status: 200,
      rid: '1f',
    });
    expect(parseDeviceTopic('$iothub/methods/res/-1/?$rid=7')).toMatchObject({ status: -1 });
  });

  it('decodes escaped ids and reads raw ids with the allowed punctuation', () => {
    expect(parseDeviceTopic('devices/a%2Bb%23c%25/messages/events/')).toMatchObject({ deviceId: 'a+b#c%' });
    expect(parseDeviceTopic("devices/d-.(x)!*:=@$'/messages/events/")).toMatchObject({
      deviceId: "d-.(x)!*:=@$'",
    });
    expect(parseDeviceTopic('devices/50%off/messages/events/')).toMatchObject({ deviceId: '50%off' });
  });

  it('rejects other topics, bad ids, wildcards and rids that are missing or not first', () => {
    for (const topic of [
      '',
      'devices/d/messages/devicebound/',
      'devices//messages/events/',
      'devices/d/messages/eventsX',
      'devices/d%2Fx/messages/events/',
      `devices/${'a'.repeat(129)}/messages/events/`,
      'devices/d+/messages/events/',
      '$iothub/twin/GET/?$rid=',
      '$iothub/twin/GET/?x=1&$rid=2',
      '$iothub/twin/GET/?$rid=a b',
      '$iothub/methods/res/abc/?$rid=1',
      '$iothub/methods/res/200?$rid=1',
      '$iothub/methods/res/99999999999/?$rid=1',
      '$iothub/twin/PATCH/properties/desired/?$version=1',
    ]) {
      expect(
        codeOf(() => parseDeviceTopic(topic)),
        topic,
      ).toBe('MALFORMED_TOPIC');
    }
    expect(codeOf(() => parseDeviceTopic('devices/d/messages/events/a=%zz'))).toBe('MALFORMED_PROPERTY_BAG');
  });

  it('says what it expected', () => {
    try {
      parseDeviceTopic('devices/d/twin');
    } catch (error) {
      expect(String(error)).toContain('devices/{id}[/modules/{m}]/messages/events/');
    }
    expect.assertions(1);
  });
});

describe('parseHubTopic (what a device receives)', () => {
  it('reads C2D with and without properties, and without the slash edgeHub omits', () => {
    expect(
      parseHubTopic(
        'devices/dev1/messages/devicebound/%24.mid=m1&%24.to=%2Fdevices%2Fdev1%2Fmessages%2Fdevicebound&color=red',
      ),
    ).toEqual({
      kind: 'c2d',
      deviceId: 'dev1',
      properties: {
        system: { messageId: 'm1', to: '/devices/dev1/messages/devicebound' },
        application: { color: 'red' },
      },
    });
    expect(parseHubTopic('devices/dev1/messages/devicebound/')).toMatchObject({ kind: 'c2d' });
    expect(parseHubTopic('devices/dev1/messages/devicebound')).toMatchObject({ kind: 'c2d' });
  });

  it('reads twin responses with $rid first and an optional $version', () => {
    expect(parseHubTopic('$iothub/twin/res/204/?$rid=7&$version=12')).toEqual({
      kind: 'twin-response',
      status: 204,
      rid: '7',
      version: 12,
    });
    expect(parseHubTopic(`$iothub/twin/res/200/?$rid=${NODE_RID}`)).toEqual({
      kind: 'twin-response',
      status: 200,
      rid: NODE_RID,
    });
    expect(codeOf(() => parseHubTopic('$iothub/twin/res/204/?$version=12&$rid=7'))).toBe('MALFORMED_TOPIC');
    expect(codeOf(() => parseHubTopic('$iothub/twin/res/20/?$rid=7'))).toBe('MALFORMED_TOPIC');
  });

  it('reads desired pushes and method requests', () => {
    expect(parseHubTopic('$iothub/twin/PATCH/properties/desired/?$version=5')).toEqual({
      kind: 'twin-desired',
      version: 5,
    });
    expect(parseHubTopic('$iothub/twin/PATCH/properties/desired/')).toEqual({ kind: 'twin-desired' });
    expect(parseHubTopic('$iothub/methods/POST/reboot/?$rid=1a')).toEqual({
      kind: 'method-request',
      methodName: 'reboot',
      rid: '1a',
    });
    expect(codeOf(() => parseHubTopic('$iothub/methods/POST/re{boot/?$rid=1'))).toBe('INVALID_METHOD_NAME');
  });

  it('reads module input deliveries', () => {
    expect(parseHubTopic('devices/d/modules/m/inputs/in1/k=v')).toEqual({
      kind: 'module-input',
      deviceId: 'd',
      moduleId: 'm',
      inputName: 'in1',
      properties: { system: {}, application: { k: 'v' } },
    });
  });
});

describe('parseSubscriptionFilter', () => {
  it('classifies every documented filter (§3, §0 items 6 and 7)', () => {
    expect(parseSubscriptionFilter('devices/dev1/messages/devicebound/#')).toEqual({
      kind: 'c2d',
      deviceId: 'dev1',
    });
    expect(parseSubscriptionFilter('devices/+/messages/devicebound/#')).toEqual({ kind: 'c2d-any-device' });
    expect(parseSubscriptionFilter('devices/d/modules/m/inputs/#')).toEqual({
      kind: 'module-inputs',
      deviceId: 'd',
      moduleId: 'm',
      form: 'inputs',
    });
    expect(parseSubscriptionFilter('devices/d/modules/m/#')).toEqual({
      kind: 'module-inputs',
      deviceId: 'd',
      moduleId: 'm',
      form: 'module-wildcard',
    });
    expect(parseSubscriptionFilter('$iothub/twin/res/#')).toEqual({ kind: 'twin-responses' });
    expect(parseSubscriptionFilter('$iothub/twin/PATCH/properties/desired/#')).toEqual({
      kind: 'twin-desired',
    });
    expect(parseSubscriptionFilter('$iothub/methods/POST/#')).toEqual({ kind: 'methods' });
  });

  it('refuses anything else, including wildcards that would cross devices', () => {
    for (const filter of [
      '#',
      'devices/#',
      'devices/+/#',
      'devices/d/messages/devicebound/+',
      'devices/d/messages/events/#',
      'devices/+/modules/m/#',
      'devices/d/modules/+/inputs/#',
      'devices/d/modules/m/outputs/#',
      '$iothub/#',
      '$iothub/methods/POST/reboot/#',
    ]) {
      expect(
        codeOf(() => parseSubscriptionFilter(filter)),
        filter,
      ).toBe('MALFORMED_TOPIC');
    }
  });
});

describe('builders', () => {
  it('build exactly the topics the SDKs expect (§0 item 5)', () => {
    expect(buildC2dTopic({ deviceId: 'dev1' })).toBe('devices/dev1/messages/devicebound/');
    expect(buildTwinResponseTopic({ status: 204, rid: '3', version: 9 })).toBe(
      '$iothub/twin/res/204/?$rid=3&$version=9',
    );
    expect(buildTwinResponseTopic({ status: 200, rid: NODE_RID })).toBe(
      `$iothub/twin/res/200/?$rid=${NODE_RID}`,
    );
    expect(buildDesiredPatchTopic(4)).toBe('$iothub/twin/PATCH/properties/desired/?$version=4');
    expect(buildMethodRequestTopic({ methodName: 'reboot', rid: 'a1' })).toBe(
      '$iothub/methods/POST/reboot/?$rid=a1',
    );
    expect(
      buildD2cTopic({ deviceId: 'dev1', properties: { system: { interfaceId: SECURITY_INTERFACE_ID } } }),
    ).toBe('devices/dev1/messages/events/%24.ifid=urn%3Aazureiot%3ASecurity%3ASecurityAgent%3A1');
    expect(buildD2cTopic({ deviceId: 'd', moduleId: 'm' })).toBe('devices/d/modules/m/messages/events/');
    expect(buildTwinGetTopic('1')).toBe('$iothub/twin/GET/?$rid=1');
    expect(buildReportedPatchTopic('2')).toBe('$iothub/twin/PATCH/properties/reported/?$rid=2');
    expect(buildMethodResponseTopic({ status: 500, rid: 'x' })).toBe('$iothub/methods/res/500/?$rid=x');
    expect(buildModuleInputTopic({ deviceId: 'd', moduleId: 'm', inputName: 'i' })).toBe(
      'devices/d/modules/m/inputs/i/',
    );
    expect(buildC2dSubscription('a+b')).toBe('devices/a%2Bb/messages/devicebound/#');
    expect(buildModuleInputsSubscription('d', 'm', 'module-wildcard')).toBe('devices/d/modules/m/#');
  });

  it('escape only the id characters that would break a topic, and the result parses back', () => {
    const topic = buildD2cTopic({ deviceId: 'a#b+c%d:e', moduleId: "m'(1)" });
    expect(topic).toBe("devices/a%23b%2Bc%25d:e/modules/m'(1)/messages/events/");
    expect(parseDeviceTopic(topic)).toMatchObject({ deviceId: 'a#b+c%d:e', moduleId: "m'(1)" });
  });

  it('refuse invalid ids, rids, statuses and method names', () => {
    expect(codeOf(() => buildD2cTopic({ deviceId: 'a/b' }))).toBe('MALFORMED_TOPIC');
    expect(codeOf(() => buildC2dTopic({ deviceId: '' }))).toBe('MALFORMED_TOPIC');
    expect(codeOf(() => buildTwinGetTopic('a&b'))).toBe('MALFORMED_TOPIC');
    expect(codeOf(() => buildTwinResponseTopic({ status: 99, rid: '1' }))).toBe('MALFORMED_TOPIC');
    expect(codeOf(() => buildDesiredPatchTopic(-1))).toBe('MALFORMED_TOPIC');
    expect(codeOf(() => buildMethodResponseTopic({ status: 1.5, rid: '1' }))).toBe('MALFORMED_TOPIC');
    for (const name of ['', 're boot', 'a$b', 'a/b', 'a?b', 'a=b', 'a{b}', 'a\tb', 'a"b', 'x#', 'a\u0001']) {
      expect(
        codeOf(() => buildMethodRequestTopic({ methodName: name, rid: '1' })),
        name,
      ).toBe('INVALID_METHOD_NAME');
    }
  });
});
