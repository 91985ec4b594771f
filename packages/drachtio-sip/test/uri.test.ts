import { parseUri, serializeUri } from '../src';
import { parseErrorOf } from './helpers';

describe('parseUri', () => {
  test.each([
    [
      'sip:alice@atlanta.example.com',
      { scheme: 'sip', user: 'alice', host: 'atlanta.example.com', port: undefined },
    ],
    [
      'SIP:alice:secretword@atlanta.example.com;transport=tcp',
      { scheme: 'sip', user: 'alice', password: 'secretword', params: { transport: 'tcp' } },
    ],
    [
      'sips:alice@atlanta.example.com?subject=project%20x&priority=urgent',
      { scheme: 'sips', headers: { subject: 'project x', priority: 'urgent' } },
    ],
    [
      'sip:+1-212-555-1212:1234@gateway.example.com;user=phone',
      { user: '+1-212-555-1212', password: '1234', params: { user: 'phone' } },
    ],
    ['sip:alice@192.0.2.4:5061', { host: '192.0.2.4', port: 5061 }],
    [
      'sip:[2001:db8::10]:5070;maddr=[2001:db8::1];lr',
      { host: '[2001:db8::10]', port: 5070, params: { maddr: '[2001:db8::1]', lr: null } },
    ],
    ['sip:[::ffff:192.0.2.1]', { host: '[::ffff:192.0.2.1]' }],
    [
      'sip:atlanta.example.com;method=REGISTER?to=alice%40atlanta.example.com',
      {
        user: undefined,
        params: { method: 'REGISTER' },
        headers: { to: 'alice@atlanta.example.com' },
      },
    ],
    ['sip:alice;day=tuesday@atlanta.example.com', { user: 'alice;day=tuesday' }],
    ['sip:%61lice%C3%A9@example.com', { user: 'aliceé' }],
    ['sip:host.example.com;Transport=TCP', { params: { transport: 'TCP' } }],
    ['tel:+1-201-555-0123', { scheme: 'tel', user: '+1-201-555-0123', host: '' }],
    [
      'tel:7042;phone-context=example.com',
      { scheme: 'tel', user: '7042', params: { 'phone-context': 'example.com' } },
    ],
    ['urn:service:sos', { scheme: 'urn', opaque: 'service:sos' }],
  ])('%s', (text, expected) => {
    expect(parseUri(text)).toMatchObject(expected);
  });

  test.each([
    'sip:alice@atlanta.example.com',
    'sips:bob:pw@[2001:db8::1]:5061;transport=tls;lr?subject=a%20b',
    'sip:%61lice%20x@example.com',
    'tel:+1-201-555-0123;phone-context=+1',
    'urn:service:sos',
  ])('serialize(parse(%s)) is stable and escapes what needs escaping', (text) => {
    const once = serializeUri(parseUri(text));
    expect(serializeUri(parseUri(once))).toBe(once);
    expect(parseUri(once)).toMatchObject({ user: parseUri(text).user, host: parseUri(text).host });
  });

  test('a space in the user part is escaped on output', () => {
    expect(serializeUri(parseUri('sip:alice%20x@example.com'))).toBe('sip:alice%20x@example.com');
  });

  test.each([
    ['', 'no scheme'],
    ['alice@example.com', 'no scheme'],
    ['sip:', 'missing host'],
    ['sip:@example.com', 'empty user part'],
    ['sip:alice@', 'missing host'],
    ['sip:alice@example.com:99999', 'bad port'],
    ['sip:alice@example.com:', 'bad port'],
    ['sip:[2001:db8::1', 'malformed IPv6 reference'],
    ['sip:[]', 'malformed IPv6 reference'],
    ['sip:al ice@example.com', 'not allowed in user'],
    ['sip:alice%zz@example.com', 'bad %-escape'],
    ['sip:alice%4@example.com', 'bad %-escape'],
    ['sip:example.com;=x', 'empty parameter name'],
    ['sip:example.com?novalue', 'URI header without name'],
    ['sip:example.com>', 'unexpected'],
    ['tel:', 'empty telephone number'],
    ['1sip:x', 'malformed scheme'],
    ['urn:', 'empty URI'],
  ])('rejects %j (%s)', (text, reason) => {
    const error = parseErrorOf(() => parseUri(text));
    expect(error.part).toBe('uri');
    expect(error.reason).toContain(reason);
  });

  test('params and headers are prototype-less maps: "__proto__" is just a name', () => {
    const uri = parseUri('sip:h;__proto__=x;constructor?__proto__=y');
    expect(uri.params['__proto__']).toBe('x');
    expect(uri.params.constructor).toBeNull();
    expect(uri.headers['__proto__']).toBe('y');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
