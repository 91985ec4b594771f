import fc from 'fast-check';
import {
  SipParseError,
  StreamFramer,
  parseMessage,
  parseNameAddr,
  parseTypedHeader,
  parseUri,
  parseVia,
} from '../src';
import { corpus } from './helpers';

/**
 * Whatever the bytes, the grammar returns a result or throws SipParseError; nothing else
 * escapes, and what parses serializes to text that parses to the same text again.
 */
function onlyResultOrParseError<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    if (err instanceof SipParseError) return undefined;
    throw err;
  }
}

const TYPED = [
  'via',
  'from',
  'to',
  'contact',
  'route',
  'record-route',
  'refer-to',
  'p-asserted-identity',
  'cseq',
  'max-forwards',
  'content-length',
  'content-type',
  'expires',
  'rseq',
  'rack',
  'session-expires',
  'min-se',
  'require',
  'supported',
  'allow',
  'unsupported',
  'www-authenticate',
  'proxy-authenticate',
  'authorization',
  'proxy-authorization',
];

/** Reads every header typed, and the lazily parsed parts (URIs, parameter maps), of a parsed message. */
function readAll(msg: ReturnType<typeof parseMessage>): void {
  void msg.body;
  if ('uri' in msg) onlyResultOrParseError(() => msg.url);
  for (const field of msg.headerFields) {
    const value = onlyResultOrParseError(() => msg.get(field.name));
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === 'object' && item !== null) {
        const record = item as unknown as Record<string, unknown>;
        for (const name of [
          'params',
          'tag',
          'expires',
          'q',
          'branch',
          'received',
          'rport',
          'maddr',
        ])
          onlyResultOrParseError(() => record[name]);
        if ('uri' in item) onlyResultOrParseError(() => (item as { url: unknown }).url);
      }
    }
  }
}

function roundTripIsStable(input: Buffer): void {
  const msg = onlyResultOrParseError(() => parseMessage(input));
  if (msg === undefined) return;
  readAll(msg);
  const once = msg.toString();
  const twice = parseMessage(once).toString();
  expect(twice).toBe(once);
}

const seeds = corpus().map(([, bytes]) => bytes);

/** A corpus message with a few bytes flipped, inserted, deleted, or the whole thing cut short. */
const mutated = fc
  .tuple(
    fc.constantFrom(...seeds),
    fc.array(
      fc.tuple(
        fc.constantFrom('flip', 'insert', 'delete', 'truncate'),
        fc.nat(),
        fc.constantFrom(0, 9, 10, 13, 32, 34, 44, 58, 59, 60, 62, 64, 91, 93, 0xc3, 0xff, 0x25),
      ),
      { minLength: 1, maxLength: 8 },
    ),
  )
  .map(([seed, edits]) => {
    let bytes = Buffer.from(seed);
    for (const [op, at, byte] of edits) {
      const i = at % (bytes.length + 1);
      if (op === 'flip' && i < bytes.length) bytes[i] = byte;
      else if (op === 'insert')
        bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from([byte]), bytes.subarray(i)]);
      else if (op === 'delete')
        bytes = Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1)]);
      else if (op === 'truncate') bytes = bytes.subarray(0, i);
    }
    return bytes;
  });

/** Strings drawn mostly from SIP's punctuation, where parsers go wrong. */
const sipish = fc.string({
  unit: fc.constantFrom(...'ab1:;,=<>"\\@[]/ .?&%-+*\t\r\n'.split(''), 'é', '\u0000'),
  maxLength: 60,
});

describe('property: no input escapes as anything but SipParseError', () => {
  test('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) =>
        roundTripIsStable(Buffer.from(bytes)),
      ),
      { numRuns: 500 },
    );
  });

  test('random text after a valid start line', () => {
    fc.assert(
      fc.property(sipish, fc.string({ maxLength: 200 }), (a, b) =>
        roundTripIsStable(Buffer.from(`INVITE sip:${a} SIP/2.0\r\n${b}\r\n\r\n`)),
      ),
      { numRuns: 300 },
    );
  });

  test('mutated realistic messages: parse or SipParseError, every header read, round trip stable', () => {
    fc.assert(fc.property(mutated, roundTripIsStable), { numRuns: 1500 });
  });

  test('every typed-header parser and the URI parser on punctuation-heavy strings', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TYPED), sipish, (key, value) => {
        const typed = onlyResultOrParseError(() => parseTypedHeader(key, value));
        for (const item of Array.isArray(typed) ? typed : [typed]) {
          if (typeof item === 'object' && item !== null && 'uri' in item)
            onlyResultOrParseError(() => (item as { url: unknown }).url);
        }
        onlyResultOrParseError(() => parseUri(value));
        onlyResultOrParseError(() => parseVia(value));
        onlyResultOrParseError(() => parseNameAddr(value));
      }),
      { numRuns: 3000 },
    );
  });

  test('the stream framer on mutated streams: messages or a framing error', () => {
    fc.assert(
      fc.property(
        fc.array(mutated, { maxLength: 4 }),
        fc.integer({ min: 1, max: 200 }),
        (parts, chunk) => {
          const framer = new StreamFramer({ maxHeaderBytes: 4096, maxBodyBytes: 4096 });
          const stream = Buffer.concat(parts);
          try {
            for (let i = 0; i < stream.length; i += chunk)
              for (const msg of framer.push(stream.subarray(i, i + chunk))) roundTripIsStable(msg);
          } catch (err) {
            if (!(err instanceof SipParseError)) throw err;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('property: round trips', () => {
  test('messages built from generated header values serialize and re-parse to the same text', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9\-.!%*_+`'~]{1,12}$/);
    fc.assert(
      fc.property(
        token,
        token,
        fc.nat({ max: 2 ** 32 - 1 }),
        fc.string({ maxLength: 80 }),
        (user, tag, seq, body) => {
          const text = [
            `MESSAGE sip:${encodeURIComponent(user)}@example.com SIP/2.0`,
            `Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK${tag}`,
            `From: <sip:${encodeURIComponent(user)}@example.com>;tag=${tag}`,
            'To: <sip:bob@example.com>',
            `Call-ID: ${tag}@example.com`,
            `CSeq: ${seq} MESSAGE`,
            `Content-Length: ${Buffer.byteLength(body)}`,
            '',
            body,
          ].join('\r\n');
          const msg = parseMessage(Buffer.from(text));
          expect(msg.get('from').tag).toBe(tag);
          expect(msg.get('cseq').seq).toBe(seq);
          expect(msg.body).toBe(body);
          expect(msg.toString()).toBe(text);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('adversarial sizes stay linear: they finish and give a result or SipParseError', () => {
  const big = 200_000;
  test.each([
    ['many semicolons in a Via', `SIP/2.0/UDP h${';a'.repeat(big / 2)}`, 'via'],
    ['an unterminated quote in a From', `"${'x'.repeat(big)}`, 'from'],
    ['many opening angle brackets', '<'.repeat(big), 'contact'],
    ['many commas', ','.repeat(big), 'route'],
    ['a long token list', 'a,'.repeat(big / 2), 'supported'],
    ['a long auth header', `Digest ${'a=b,'.repeat(big / 4)}c=d`, 'authorization'],
    ['a long token list with a bad last character', `${'a, '.repeat(big / 3)}@`, 'supported'],
    [
      'parameters, then an unterminated quote',
      `SIP/2.0/UDP h${';a=b'.repeat(big / 4)};c="${'x'.repeat(big)}`,
      'via',
    ],
    ['a run of spaces where "=" or ";" should be', `SIP/2.0/UDP h;a${' '.repeat(big)}x`, 'via'],
    ['a long display name without "<"', `${'word '.repeat(big / 5)}@`, 'to'],
  ])('%s', (_what, value, key) => {
    const result = onlyResultOrParseError(() => parseTypedHeader(key, value));
    expect(result === undefined || typeof result === 'object').toBe(true);
  });

  test('a message with many header lines is bounded by MAX_HEADER_FIELDS', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `X-H${i}: v`);
    const text = `OPTIONS sip:a@b SIP/2.0\r\n${lines.join('\r\n')}\r\n\r\n`;
    expect(onlyResultOrParseError(() => parseMessage(text))).toBeUndefined();
  });

  test('a long URI full of escapes', () => {
    expect(parseUri(`sip:${'%41'.repeat(big / 3)}@h`).user).toBe('A'.repeat(big / 3));
  });
});
