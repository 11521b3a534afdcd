import { describe, expect, it } from 'vitest';
import { ProtocolError, isProtocolError, toProtocolError } from './protocol-error.js';

describe('ProtocolError', () => {
  it('carries a stable code and every violation, and serialises without the stack', () => {
    const error = new ProtocolError('INVALID_SECURITY_MESSAGE', 'two problems', {
      violations: [
        { path: '$.AgentId', message: 'must be 36 characters' },
        { path: '$.Events', message: 'must not be empty' },
      ],
    });
    expect(error.code).toBe('INVALID_SECURITY_MESSAGE');
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: 'INVALID_SECURITY_MESSAGE',
      message: 'two problems',
      violations: [
        { path: '$.AgentId', message: 'must be 36 characters' },
        { path: '$.Events', message: 'must not be empty' },
      ],
    });
  });

  it('normalises foreign throws at a boundary and passes its own through', () => {
    const ours = new ProtocolError('MALFORMED_TOPIC', 'bad topic');
    expect(toProtocolError(ours)).toBe(ours);
    const foreign = toProtocolError(new RangeError('offset out of range'), 'MALFORMED_FLATBUFFER');
    expect(foreign.code).toBe('MALFORMED_FLATBUFFER');
    expect(foreign.message).toBe('offset out of range');
    expect(isProtocolError(foreign, 'MALFORMED_FLATBUFFER')).toBe(true);
    expect(isProtocolError(foreign, 'MALFORMED_TOPIC')).toBe(false);
    expect(toProtocolError('just a string').code).toBe('INTERNAL');
  });
});
