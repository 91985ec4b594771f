import { SipParseError, SipRequest, SipResponse, parseMessage, splitList } from '../src';
import { parseErrorOf, request } from './helpers';

describe('parseMessage: start line', () => {
  test('request line', () => {
    const msg = parseMessage(request()) as SipRequest;
    expect(msg).toBeInstanceOf(SipRequest);
    expect([msg.method, msg.uri, msg.version]).toEqual([
      'OPTIONS',
      'sip:bob@example.com',
      'SIP/2.0',
    ]);
  });

  test('status line, reason phrase with spaces and UTF-8, empty reason', () => {
    const base = request().split('\r\n').slice(1).join('\r\n');
    const ok = parseMessage(`SIP/2.0 486 Busy Here – très occupé\r\n${base}`) as SipResponse;
    expect(ok).toBeInstanceOf(SipResponse);
    expect([ok.status, ok.reason]).toEqual([486, 'Busy Here – très occupé']);
    const empty = parseMessage(Buffer.from(`SIP/2.0 200 \r\n${base}`)) as SipResponse;
    expect([empty.status, empty.reason]).toEqual([200, '']);
  });

  test('leading CRLFs before the start line are ignored (RFC 3261 7.5)', () => {
    expect((parseMessage(`\r\n\r\n${request()}`) as SipRequest).method).toBe('OPTIONS');
  });

  test.each([
    ['OPTIONS  sip:bob@example.com SIP/2.0', 'start-line'],
    ['OPTIONS sip:bob@example.com', 'start-line'],
    ['OPTIONS sip:bob@example.com SIP/2.0 extra', 'start-line'],
    ['OPTIONS sip:bob@example.com HTTP/1.1', 'start-line'],
    ['OPT@ONS sip:bob@example.com SIP/2.0', 'start-line'],
    ['SIP/2.0 20 OK', 'start-line'],
    ['SIP/2.0 2000 OK', 'start-line'],
    ['SIP/2.0 099 Low', 'start-line'],
    ['SIP/2.0 700 High', 'start-line'],
    ['SIP/2. 200 OK', 'start-line'],
  ])('bad start line %j is a SipParseError of part %s', (line, part) => {
    const text = request().replace(/^[^\r]*/, line);
    const error = parseErrorOf(() => parseMessage(text));
    expect(error.part).toBe(part);
    expect(error.message).toContain(error.reason);
  });
});

describe('parseMessage: headers', () => {
  test('names are case-insensitive and compact forms are the same header', () => {
    const msg = parseMessage(
      request(['SUBJECT: hi', 'x-Custom: 1', 's: ignored-second']),
    ) as SipRequest;
    expect(msg.get('Subject')!).toBe('hi, ignored-second');
    expect(msg.getHeaders('subject')).toEqual(['hi', 'ignored-second']);
    expect(msg.has('X-CUSTOM')).toBe(true);
    expect(msg.get('f').tag).toBe('a1');
    expect(msg.get('FROM').tag).toBe('a1');
    expect(msg.get('i')).toBe('call-1@example.com');
    expect(msg.get('v')[0].branch).toBe('z9hG4bK1');
  });

  test.each([
    ['i', 'call-id'],
    ['m', 'contact'],
    ['f', 'from'],
    ['t', 'to'],
    ['v', 'via'],
    ['l', 'content-length'],
    ['c', 'content-type'],
    ['k', 'supported'],
    ['s', 'subject'],
    ['e', 'content-encoding'],
    ['o', 'event'],
    ['r', 'refer-to'],
    ['u', 'allow-events'],
    ['x', 'session-expires'],
    ['y', 'identity'],
    ['b', 'referred-by'],
  ])('compact form %s is %s', (compact, key) => {
    const values: Record<string, string> = {
      contact: '<sip:a@h>',
      'content-type': 'text/plain',
      'refer-to': '<sip:c@h>',
      'referred-by': '<sip:d@h>',
      'session-expires': '90',
    };
    const value = values[key] ?? 'token';
    const msg = parseMessage(
      request(
        compact === 'l' || ['i', 'f', 't', 'v'].includes(compact) ? [] : [`${compact}: ${value}`],
      ),
    );
    const field = msg.headerFields.find((f) => f.key === key);
    expect(field).toBeDefined();
    expect(msg.getHeader(compact)).toBe(msg.getHeader(key));
  });

  test('splitList: commas inside quotes and angle brackets do not separate', () => {
    expect(splitList('"a, b" <sip:x,y@h>;p=1 ,  <sip:z@h> ,, c')).toEqual([
      '"a, b" <sip:x,y@h>;p=1',
      '<sip:z@h>',
      'c',
    ]);
  });

  test('whitespace around the colon and at the ends of values is not part of the value', () => {
    const msg = parseMessage(request(['Subject   :   spaced out  \t']));
    expect(msg.get('subject')!).toBe('spaced out');
  });

  test('folded continuation lines join with one space', () => {
    const msg = parseMessage(request(['Subject: first', '   second', '\tthird']));
    expect(msg.get('subject')!).toBe('first second third');
  });

  test('a message without one of Via, From, To, Call-ID, CSeq is rejected, naming what is missing', () => {
    const text = request()
      .replace('Call-ID: call-1@example.com\r\n', '')
      .replace(/CSeq: [^\r]*\r\n/, '');
    const error = parseErrorOf(() => parseMessage(text));
    expect(error.part).toBe('header-section');
    expect(error.reason).toBe('missing mandatory header Call-ID, CSeq');
  });

  test.each([
    ['a header line without colon', ['NoColonHere']],
    ['an empty header name', [': value']],
    ['a header name with a space', ['Bad Name: x']],
    ['a continuation line first', []],
  ])('%s is rejected', (_what, lines) => {
    const text = lines.length ? request(lines) : request().replace('\r\nVia:', '\r\n Via:');
    expect(parseErrorOf(() => parseMessage(text)).part).toBe('header-section');
  });

  test('bare LF line endings are rejected', () => {
    expect(parseErrorOf(() => parseMessage(request().replace('\r\nTo:', '\nTo:'))).reason).toBe(
      'line not terminated by CRLF',
    );
  });

  test('conflicting Content-Length headers are rejected', () => {
    expect(parseErrorOf(() => parseMessage(request(['l: 3']))).part).toBe('content-length');
  });

  test('a typed header is parsed on first access only, then cached', () => {
    const msg = parseMessage(request(['Max-Forwards: many']));
    expect(msg.getHeader('max-forwards')).toBe('many');
    const error = parseErrorOf(() => msg.get('max-forwards')!);
    expect(error.part).toBe('max-forwards');
    const from = msg.get('from');
    expect(msg.get('from')).toBe(from);
  });
});

describe('parseMessage: body', () => {
  test('the body is Content-Length bytes of a Buffer, with multi-byte UTF-8', () => {
    const body = 'héllo wörld ✓';
    const bytes = Buffer.concat([Buffer.from(request([], body)), Buffer.from('trailing garbage')]);
    const msg = parseMessage(bytes);
    expect(msg.body).toBe(body);
    expect(msg.get('content-length')!).toBe(Buffer.byteLength(body));
  });

  test('the same from a string', () => {
    const body = 'héllo ✓';
    expect(parseMessage(request([], body) + 'extra').body).toBe(body);
    expect(parseMessage(request([], body)).body).toBe(body);
  });

  test('without Content-Length (datagram), the body is the rest of the input', () => {
    const text = request([], '').replace('Content-Length: 0\r\n', '') + 'v=0\r\n';
    expect(parseMessage(Buffer.from(text)).body).toBe('v=0\r\n');
    expect(parseMessage(text).body).toBe('v=0\r\n');
  });

  test('a Content-Length larger than the bytes received is a body error', () => {
    const text = request([], 'abc').replace('Content-Length: 3', 'Content-Length: 30');
    for (const input of [text, Buffer.from(text)]) {
      const error = parseErrorOf(() => parseMessage(input));
      expect(error.part).toBe('body');
      expect(error.reason).toBe('Content-Length 30 exceeds the 3 bytes received');
    }
  });

  test('a header section without the empty line is a header-section error', () => {
    expect(parseErrorOf(() => parseMessage('OPTIONS sip:a@b SIP/2.0\r\nVia: x\r\n')).part).toBe(
      'header-section',
    );
  });
});

describe('building and changing messages', () => {
  test('set replaces in place, append adds after the last, prepend before the first, remove drops all', () => {
    const msg = parseMessage(request(['Route: <sip:p1;lr>', 'Subject: a']));
    msg.prepend('via', 'SIP/2.0/UDP proxy.example.com;branch=z9hG4bKtop');
    expect(msg.get('via').map((v) => v.branch)).toEqual(['z9hG4bKtop', 'z9hG4bK1']);
    msg.append('route', '<sip:p2;lr>');
    expect(msg.get('route')!.map((r) => r.uri)).toEqual(['sip:p1;lr', 'sip:p2;lr']);
    msg.set('Subject', 'b');
    expect(msg.headerFields.map((f) => f.key).indexOf('subject')).toBe(
      msg.headerFields.map((f) => f.key).indexOf('route') + 2,
    );
    expect(msg.remove('route')).toBe(true);
    expect(msg.remove('route')).toBe(false);
    expect(msg.get('route')).toBeUndefined();
    expect(msg.get('subject')!).toBe('b');
  });

  test('headers first read after other fields moved come from their new place', () => {
    // the parser notes where each typed header is; any change to the fields voids those notes
    const msg = parseMessage(request(['Max-Forwards: 70', 'Route: <sip:p1;lr>']));
    msg.remove('via');
    msg.prepend('Subject', 'first');
    expect(msg.get('max-forwards')).toBe(70);
    expect(msg.get('route')!.map((r) => r.uri)).toEqual(['sip:p1;lr']);
    expect(msg.get('cseq')).toEqual({ seq: 1, method: 'OPTIONS' });
    expect(msg.get('via')).toBeUndefined();
  });

  test('set accepts typed values and serializes them; the typed cache follows', () => {
    const msg = parseMessage(request());
    const from = msg.get('from');
    from.tag = 'changed';
    msg.set('from', from);
    expect(msg.getHeader('from')).toBe('<sip:alice@example.com>;tag=changed');
    expect(msg.get('from').tag).toBe('changed');
    msg.set('cseq', { seq: 2, method: 'OPTIONS' });
    expect(msg.get('cseq').seq).toBe(2);
    msg.set('max-forwards', 69);
    expect(msg.get('max-forwards')!).toBe(69);
    const via = msg.get('via')[0];
    via.received = '203.0.113.9';
    via.rport = 5062;
    msg.set('via', [via]);
    expect(msg.getHeader('via')).toBe(
      'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;received=203.0.113.9;rport=5062',
    );
  });

  test('values with CR or LF cannot be set (no header injection)', () => {
    const msg = parseMessage(request());
    expect(() => msg.set('subject', 'x\r\nVia: evil')).toThrow(TypeError);
  });

  test('toString recomputes Content-Length from the body bytes', () => {
    const msg = parseMessage(request([], 'abc'));
    msg.body = 'ünïcode';
    const text = msg.toString();
    expect(text).toContain(`Content-Length: ${Buffer.byteLength('ünïcode')}\r\n`);
    expect(parseMessage(text).body).toBe('ünïcode');
  });

  test('new SipRequest / SipResponse build messages that parse back', () => {
    const req = new SipRequest('MESSAGE', 'sip:bob@example.com', {
      headers: {
        via: 'SIP/2.0/UDP h;branch=z9hG4bKx',
        from: '<sip:a@h>;tag=1',
        to: '<sip:bob@example.com>',
        'call-id': 'c1',
        cseq: '1 MESSAGE',
        'content-type': 'text/plain',
      },
      body: 'hi',
    });
    const parsed = parseMessage(req.toBuffer()) as SipRequest;
    expect(parsed.method).toBe('MESSAGE');
    expect(parsed.getHeader('Call-ID')).toBe('c1');
    expect(parsed.headerFields.map((f) => f.name)).toEqual([
      'Via',
      'From',
      'To',
      'Call-ID',
      'CSeq',
      'Content-Type',
      'Content-Length',
    ]);
    expect(parsed.body).toBe('hi');
    const res = new SipResponse(180, 'Ringing', {
      headers: [
        ['Via', 'SIP/2.0/UDP h;branch=z9hG4bKx'],
        ['From', 'a <sip:a@h>;tag=1'],
        ['To', '<sip:b@h>;tag=2'],
        ['Call-ID', 'c1'],
        ['CSeq', '1 INVITE'],
      ],
    });
    expect(res.toString().startsWith('SIP/2.0 180 Ringing\r\n')).toBe(true);
    expect((parseMessage(res.toString()) as SipResponse).get('to').tag).toBe('2');
  });

  test('typed values turn into plain data for JSON and spreading', () => {
    const msg = parseMessage(request(['Contact: "A" <sip:a@h>;expires=60']));
    expect(JSON.parse(JSON.stringify(msg.get('via')))).toEqual([
      {
        protocol: 'SIP/2.0',
        transport: 'UDP',
        host: '192.0.2.1',
        port: 5060,
        branch: 'z9hG4bK1',
        params: { branch: 'z9hG4bK1' },
      },
    ]);
    const contacts = msg.get('contact');
    if (contacts === undefined || contacts === '*') throw new Error('expected contacts');
    expect(JSON.parse(JSON.stringify(contacts[0]))).toEqual({
      name: 'A',
      uri: 'sip:a@h',
      expires: 60,
      angleBrackets: true,
      params: { expires: '60' },
    });
  });

  test('headers gives every header by key', () => {
    const msg = parseMessage(request(['Subject: a', 's: b']));
    expect(msg.headers.subject).toBe('a, b');
    expect(msg.headers['call-id']).toBe('call-1@example.com');
  });

  test('the error type says which part and why', () => {
    const error = parseErrorOf(() => parseMessage('x'));
    expect(error).toBeInstanceOf(SipParseError);
    expect(error.name).toBe('SipParseError');
    expect(error.message).toBe(`invalid SIP ${error.part}: ${error.reason}`);
  });
});
