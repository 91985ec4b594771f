import { SipRequest, SipResponse, multipartBoundary, parseMessage, verifyDigest } from '../src';
import { corpus, corpusMessage } from './helpers';

describe('corpus of realistic messages', () => {
  test.each(corpus())(
    '%s parses, every header reads, and serialize(parse(x)) is stable',
    (_name, bytes) => {
      const msg = parseMessage(bytes);
      for (const field of msg.headerFields) expect(msg.get(field.name)).toBeDefined();
      const once = msg.toString();
      const twice = parseMessage(once).toString();
      expect(twice).toBe(once);
      expect(parseMessage(Buffer.from(once)).body).toBe(msg.body);
    },
  );

  test('INVITE with SDP: start line, typed headers, body by Content-Length', () => {
    const msg = parseMessage(corpusMessage('invite-sdp.sip')) as SipRequest;
    expect(msg).toBeInstanceOf(SipRequest);
    expect(msg.method).toBe('INVITE');
    expect(msg.uri).toBe('sip:bob@biloxi.example.com');
    expect(msg.url.user).toBe('bob');
    expect(msg.version).toBe('SIP/2.0');
    expect(msg.get('from').tag).toBe('1928301774');
    expect(msg.get('from').name).toBe('Alice Liddell');
    expect(msg.get('from').url.user).toBe('alice');
    expect(msg.get('to').tag).toBeUndefined();
    expect(msg.get('via')[0].branch).toBe('z9hG4bK776asdhds');
    expect(msg.get('via')[0].rport).toBe(true);
    expect(msg.get('cseq')).toEqual({ seq: 314159, method: 'INVITE' });
    expect(msg.get('max-forwards')!).toBe(70);
    expect(msg.get('allow')!).toEqual([
      'INVITE',
      'ACK',
      'CANCEL',
      'BYE',
      'OPTIONS',
      'UPDATE',
      'PRACK',
    ]);
    expect(msg.get('supported')!).toEqual(['timer', '100rel']);
    expect(msg.get('session-expires')!).toMatchObject({ delta: 1800, refresher: 'uac' });
    expect(msg.get('min-se')!.delta).toBe(90);
    expect(msg.get('content-type')!.mediaType).toBe('application/sdp');
    expect(msg.body.startsWith('v=0\r\n')).toBe(true);
    expect(Buffer.byteLength(msg.body)).toBe(msg.get('content-length')!);
  });

  test('REGISTER with Authorization: credentials, contacts with expires and q, IPv6 contact', () => {
    const msg = parseMessage(corpusMessage('register-auth.sip')) as SipRequest;
    const [credentials] = msg.get('authorization')!;
    expect(credentials.scheme).toBe('Digest');
    expect(credentials.params).toMatchObject({
      username: 'bob',
      qop: 'auth',
      nc: '00000001',
      cnonce: '0a4f113b',
    });
    const contacts = msg.get('contact')!;
    if (contacts === '*') throw new Error('expected contacts');
    expect(contacts.map((c) => [c.url.host, c.url.port, c.expires, c.q])).toEqual([
      ['192.0.2.4', undefined, 7200, 0.7],
      ['[2001:db8::4]', 5062, 3600, undefined],
    ]);
    expect(msg.get('expires')!).toBe(7200);
    expect(verifyDigest(credentials, { method: 'REGISTER', password: 'wrong' })).toBe(false);
  });

  test('response with several Via headers, one of them carrying two values', () => {
    const msg = parseMessage(corpusMessage('response-multi-via.sip')) as SipResponse;
    expect(msg).toBeInstanceOf(SipResponse);
    expect(msg.status).toBe(200);
    expect(msg.reason).toBe('OK');
    expect(msg.get('via').map((v) => [v.host, v.received])).toEqual([
      ['server10.biloxi.example.com', '192.0.2.3'],
      ['bigbox3.site3.atlanta.example.com', '192.0.2.2'],
      ['pc33.atlanta.example.com', '192.0.2.1'],
    ]);
    expect(msg.getHeaders('via')).toHaveLength(2);
    expect(msg.get('record-route')!.map((r) => r.url.host)).toEqual([
      'server10.biloxi.example.com',
      'bigbox3.site3.atlanta.example.com',
    ]);
    expect(msg.get('record-route')![0].url.params.lr).toBeNull();
    expect(msg.get('rseq')!).toBe(988789);
    expect(msg.get('require')!).toEqual(['100rel']);
  });

  test('multipart body with multi-byte UTF-8, compact header forms, tel and sips URIs', () => {
    const bytes = corpusMessage('invite-multipart.sip');
    const msg = parseMessage(bytes) as SipRequest;
    expect(msg.get('content-type')!.mediaType).toBe('multipart/mixed');
    expect(multipartBoundary(msg.get('content-type')!)).toBe('boundary1');
    expect(msg.body).toContain('café ☕');
    expect(Buffer.byteLength(msg.body)).toBe(msg.get('l')!);
    expect(msg.body.endsWith('--boundary1--\r\n')).toBe(true);
    expect(msg.get('f').name).toBe('René "The Client"');
    expect(msg.get('from').url.scheme).toBe('sips');
    expect(msg.get('to').url).toMatchObject({ scheme: 'tel', user: '+1-555-123-4567', host: '' });
    expect(msg.get('to').url.params['phone-context']).toBe('example.com');
    expect(msg.get('v')[0].transport).toBe('TLS');
    expect(msg.get('k')!).toEqual(['timer']);
    expect(msg.get('i')).toBe('3848276298220188511@client.example.com');
    expect(msg.get('p-asserted-identity')!.map((a) => a.url.scheme)).toEqual(['sips', 'tel']);
    expect(msg.url.params.user).toBe('phone');
  });

  test('IPv6 everywhere: Request-URI, Via sent-by and received, addr-spec To, Refer-To with escaped headers', () => {
    const msg = parseMessage(corpusMessage('invite-ipv6.sip')) as SipRequest;
    expect(msg.url).toMatchObject({ host: '[2001:db8::10]', port: 5070 });
    const [via] = msg.get('via');
    expect(via).toMatchObject({
      host: '[2001:db8::9:1]',
      port: 5060,
      received: '2001:db8::9:255',
      rport: 5060,
    });
    expect(msg.get('to').angleBrackets).toBe(false);
    expect(msg.get('to').url.host).toBe('[2001:db8::10]');
    const referTo = msg.get('refer-to')!;
    expect(referTo.url.headers.Replaces).toBe('abc@host;to-tag=1');
    expect(referTo.url.params.method).toBe('INVITE');
  });

  test('folded lines and lower-case names', () => {
    const msg = parseMessage(corpusMessage('bye-folded.sip'));
    expect(msg.get('To').tag).toBe('1928301774');
    expect(msg.get('subject')!).toBe('a subject folded over two lines');
    expect(msg.get('proxy-authorization')![0].params.opaque).toBe('');
    expect(msg.get('reason')!).toBe('Q.850;cause=16;text="Normal call clearing"');
  });

  test('PRACK with RAck', () => {
    expect(parseMessage(corpusMessage('prack.sip')).get('rack')!).toEqual({
      rseq: 988789,
      cseq: 314159,
      method: 'INVITE',
    });
  });

  test('401 with two challenges', () => {
    const challenges = parseMessage(corpusMessage('401-challenge.sip')).get('www-authenticate')!;
    expect(challenges.map((c) => c.params.algorithm)).toEqual(['SHA-256', 'MD5']);
    expect(challenges[0].params.qop).toBe('auth,auth-int');
  });
});
