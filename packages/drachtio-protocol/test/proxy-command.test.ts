import { ProtocolError, validateEnvelope } from '../src';

/** The version 2 proxy command: what it accepts and the bounds it enforces (docs/protocol.md 6.8, 12). */
const proxy = (data: Record<string, unknown>) =>
  validateEnvelope({
    type: 'request',
    rid: 'p',
    command: 'proxy',
    data: { transactionId: 'st-1', ...data },
  });

const refusal = (data: Record<string, unknown>) => {
  try {
    proxy(data);
  } catch (error) {
    return error instanceof ProtocolError ? error.code : 'not a ProtocolError';
  }
  return 'accepted';
};

describe('proxy command', () => {
  it('accepts URIs and {uri, route} destinations with every option', () => {
    expect(() =>
      proxy({
        destinations: [
          'sip:a@example.com',
          { uri: 'sip:b@192.0.2.1', route: ['<sip:edge.example.com;lr>'] },
        ],
        forking: 'simultaneous',
        recordRoute: true,
        followRedirects: false,
        provisionalTimeout: 2000,
        finalTimeout: 30000,
        headers: { 'X-Via-Proxy': 'yes' },
      }),
    ).not.toThrow();
  });

  it('refuses what is out of bounds or of the wrong type with invalid-argument', () => {
    expect(refusal({ destinations: [] })).toBe('invalid-argument');
    expect(refusal({ destinations: Array.from({ length: 17 }, (_, i) => `sip:${i}@x`) })).toBe(
      'invalid-argument',
    );
    expect(refusal({ destinations: ['x'.repeat(2049)] })).toBe('invalid-argument');
    expect(
      refusal({
        destinations: [{ uri: 'sip:a@x', route: Array.from({ length: 17 }, () => '<sip:r;lr>') }],
      }),
    ).toBe('invalid-argument');
    expect(refusal({ destinations: [{ route: ['<sip:r;lr>'] }] })).toBe('invalid-argument');
    expect(refusal({ destinations: ['sip:a@x'], forking: 'parallel' })).toBe('invalid-argument');
    expect(refusal({ destinations: ['sip:a@x'], recordRoute: 'yes' })).toBe('invalid-argument');
    expect(refusal({ destinations: ['sip:a@x'], finalTimeout: 0 })).toBe('invalid-argument');
    expect(refusal({ destinations: ['sip:a@x'], provisionalTimeout: 3_600_001 })).toBe(
      'invalid-argument',
    );
  });
});
