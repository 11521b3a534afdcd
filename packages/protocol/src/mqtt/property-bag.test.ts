import { describe, expect, it } from 'vitest';
import { isProtocolError, type ProtocolError } from '../errors/index.js';
import {
  MTI_PROPERTY,
  SECURITY_INTERFACE_ID,
  formatPropertyBag,
  getMti,
  isSecurityMessage,
  parsePropertyBag,
} from './index.js';

function errorOf(run: () => unknown): ProtocolError {
  try {
    run();
  } catch (error) {
    if (isProtocolError(error)) return error;
    throw error;
  }
  throw new Error('expected a ProtocolError');
}

describe('parsePropertyBag', () => {
  it('reads the Node SDK security message bag captured by the probe (§3.1)', () => {
    const bag = parsePropertyBag(
      '%24.ct=application%2Fjson&%24.ce=utf-8&%24.ifid=urn%3Aazureiot%3ASecurity%3ASecurityAgent%3A1',
    );
    expect(bag.system).toEqual({
      contentType: 'application/json',
      contentEncoding: 'utf-8',
      interfaceId: SECURITY_INTERFACE_ID,
    });
    expect(Object.keys(bag.application)).toEqual([]);
    expect(isSecurityMessage(bag)).toBe(true);
  });

  it('reads the RTOS module bag, exposing mti as an application property (§1.8)', () => {
    const bag = parsePropertyBag('mti=2.3-1-0-0&%24.ifid=urn%3Aazureiot%3ASecurity%3ASecurityAgent%3A1');
    expect(bag.application[MTI_PROPERTY]).toBe('2.3-1-0-0');
    expect(getMti(bag)).toBe('2.3-1-0-0');
    expect(isSecurityMessage(bag)).toBe(true);
    expect(bag.system.contentType).toBeUndefined();
  });

  it('marks nothing else as a security message: no interface id, another one, or the marker as an application property', () => {
    expect(isSecurityMessage(parsePropertyBag('%24.ct=application%2Fjson'))).toBe(false);
    expect(
      isSecurityMessage(parsePropertyBag('%24.ifid=urn%3Aazureiot%3ASecurity%3ASecurityAgent%3A2')),
    ).toBe(false);
    expect(
      isSecurityMessage(parsePropertyBag('%24.ifid=URN%3AAZUREIOT%3ASECURITY%3ASECURITYAGENT%3A1')),
    ).toBe(false);
    expect(isSecurityMessage(parsePropertyBag('ifid=urn%3Aazureiot%3ASecurity%3ASecurityAgent%3A1'))).toBe(
      false,
    );
  });

  it('accepts $.x and %24.x alike, strips one trailing slash, splits at the first =', () => {
    const bag = parsePropertyBag('$.on=out1&k=a=b&%24.mid=m1/');
    expect(bag.system).toEqual({ outputName: 'out1', messageId: 'm1' });
    expect(bag.application).toEqual({ k: 'a=b' });
    // Only one slash is stripped: the second belongs to the value.
    expect(parsePropertyBag('k=v//').application).toEqual({ k: 'v/' });
  });

  it('keeps bare keys as null, `key=` as empty, + as a literal plus, and C SDK un-encoded values', () => {
    const bag = parsePropertyBag('flag&empty=&sum=1+1&text=hello world&ct=application/json');
    expect(bag.application).toEqual({
      flag: null,
      empty: '',
      sum: '1+1',
      text: 'hello world',
      ct: 'application/json',
    });
    expect(getMti(parsePropertyBag('mti'))).toBeUndefined();
  });

  it('reads every system property of the §3.1 table, and keeps unknown $.x keys as application properties', () => {
    const text =
      '%24.mid=1&%24.cid=2&%24.uid=3&%24.to=4&%24.ct=5&%24.ce=6&%24.exp=7&%24.ctime=8&%24.ifid=9&%24.on=10' +
      '&%24.sub=11&%24.schema=12&%24.diagid=13&%24.diagctx=14&%24.cdid=15&%24.cmid=16&iothub-operation=17' +
      '&iothub-ack=full&%24.future=x';
    const bag = parsePropertyBag(text);
    expect(bag.system).toEqual({
      messageId: '1',
      correlationId: '2',
      userId: '3',
      to: '4',
      contentType: '5',
      contentEncoding: '6',
      expiryTimeUtc: '7',
      creationTimeUtc: '8',
      interfaceId: '9',
      outputName: '10',
      componentName: '11',
      messageSchema: '12',
      diagnosticId: '13',
      diagnosticCorrelationContext: '14',
      connectionDeviceId: '15',
      connectionModuleId: '16',
      operation: '17',
      ack: 'full',
    });
    expect(bag.application).toEqual({ '$.future': 'x' });
  });

  it('rejects bad percent-encoding, naming the key', () => {
    const error = errorOf(() => parsePropertyBag('good=1&bad=%E0%A4'));
    expect(error.code).toBe('MALFORMED_PROPERTY_BAG');
    expect(error.message).toContain('"bad"');
    expect(error.violations[0]?.path).toBe('bad');
    expect(errorOf(() => parsePropertyBag('k=50%')).code).toBe('MALFORMED_PROPERTY_BAG');
  });

  it('rejects duplicate keys, including $.x next to %24.x', () => {
    const error = errorOf(() => parsePropertyBag('%24.ifid=a&$.ifid=b'));
    expect(error.code).toBe('MALFORMED_PROPERTY_BAG');
    expect(error.message).toContain('$.ifid');
    expect(error.message).toContain('more than once');
  });

  it('rejects empty keys and bags over the limits', () => {
    expect(errorOf(() => parsePropertyBag('=v')).code).toBe('MALFORMED_PROPERTY_BAG');
    expect(errorOf(() => parsePropertyBag('x'.repeat(8193))).message).toContain('at most 8192');
    const many = Array.from({ length: 129 }, (_, i) => `k${i}=v`).join('&');
    expect(errorOf(() => parsePropertyBag(many)).message).toContain('at most 128');
    expect(parsePropertyBag(many, { maxPairs: 200 }).application['k128']).toBe('v');
  });

  it('is safe against prototype keys', () => {
    const bag = parsePropertyBag('__proto__=x&constructor=y');
    expect(bag.application['__proto__']).toBe('x');
    expect(Object.getPrototypeOf(bag.application)).toBeNull();
  });
});

describe('formatPropertyBag', () => {
  it('writes system keys as %24. in table order, then application keys, with %20 for spaces', () => {
    const text = formatPropertyBag({
      system: {
        interfaceId: SECURITY_INTERFACE_ID,
        contentEncoding: 'utf-8',
        contentType: 'application/json',
      },
      application: { 'a key': 'a value', flag: null, empty: '' },
    });
    expect(text).toBe(
      '%24.ct=application%2Fjson&%24.ce=utf-8&%24.ifid=urn%3Aazureiot%3ASecurity%3ASecurityAgent%3A1' +
        '&a%20key=a%20value&flag&empty=',
    );
    expect(text).not.toContain('+');
  });

  it('refuses application keys that are empty or name a system property', () => {
    expect(errorOf(() => formatPropertyBag({ application: { '': 'x' } })).code).toBe(
      'MALFORMED_PROPERTY_BAG',
    );
    expect(errorOf(() => formatPropertyBag({ application: { '$.mid': 'x' } })).message).toContain(
      'system property',
    );
  });

  it('writes an empty bag as the empty string', () => {
    expect(formatPropertyBag({})).toBe('');
  });
});
