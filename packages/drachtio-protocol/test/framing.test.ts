import fc from 'fast-check';
import { FrameDecoder, FrameError, encodeFrame } from '../src';

function decodeAll(decoder: FrameDecoder, chunks: Buffer[]) {
  return chunks.flatMap((chunk) => decoder.push(chunk));
}

describe('encodeFrame', () => {
  it('prefixes the payload with its length in bytes, not characters', () => {
    const frame = encodeFrame('héllo ☎');
    expect(frame.toString('utf8')).toBe('10#héllo ☎'); // 7 characters, 10 bytes;
  });

  it('carries binary payloads untouched', () => {
    const payload = Buffer.from([0x00, 0xff, 0x0a, 0x23, 0x80]);
    expect(encodeFrame(payload)).toEqual(Buffer.concat([Buffer.from('5#'), payload]));
  });
});

describe('FrameDecoder', () => {
  it('decodes a multi-byte UTF-8 payload to the same bytes', () => {
    const text = 'SIP body: 日本語 and emoji 🎉 and ümlauts';
    const [payload] = new FrameDecoder().push(encodeFrame(text));
    expect((payload as Buffer).toString('utf8')).toBe(text);
  });

  it('reassembles a frame split over many reads, one byte at a time', () => {
    const text = '{"a":"☎☎☎"}\nINVITE sip:x SIP/2.0';
    const frame = encodeFrame(text);
    const chunks = [...frame].map((byte) => Buffer.from([byte]));
    const out = decodeAll(new FrameDecoder(), chunks);
    expect(out).toHaveLength(1);
    expect((out[0] as Buffer).toString('utf8')).toBe(text);
  });

  it('returns several frames delivered in one read, in order', () => {
    const chunk = Buffer.concat([
      encodeFrame('one'),
      encodeFrame('two'),
      encodeFrame(''),
      encodeFrame('three'),
    ]);
    const out = new FrameDecoder().push(chunk).map((b) => (b as Buffer).toString());
    expect(out).toEqual(['one', 'two', '', 'three']);
  });

  it('skips an oversized frame with a non-fatal error and keeps reading', () => {
    const decoder = new FrameDecoder({ maxFrameSize: 8 });
    const out = decoder.push(Buffer.concat([encodeFrame('x'.repeat(9)), encodeFrame('fine')]));
    expect(out).toHaveLength(2);
    expect(out[0]).toBeInstanceOf(FrameError);
    expect((out[0] as FrameError).fatal).toBe(false);
    expect((out[0] as FrameError).code).toBe('bad-frame');
    expect((out[0] as FrameError).message).toMatch(/exceeds the maximum of 8/);
    expect((out[1] as Buffer).toString()).toBe('fine');
    expect(decoder.broken).toBe(false);
  });

  it('defaults the maximum frame size to 1 MiB', () => {
    const decoder = new FrameDecoder();
    expect(decoder.maxFrameSize).toBe(1024 * 1024);
    const [error] = decoder.push(Buffer.from(`${1024 * 1024 + 1}#`));
    expect(error).toBeInstanceOf(FrameError);
    const [ok] = new FrameDecoder().push(encodeFrame(Buffer.alloc(1024 * 1024, 0x61)));
    expect((ok as Buffer).length).toBe(1024 * 1024);
  });

  it.each([
    ['a letter in the prefix', 'x12#hello'],
    ['a hash without a length', '#hello'],
    ['a negative length', '-5#hello'],
    ['more than 10 digits', '12345678901#'],
    ['a space before the hash', '5 #hello'],
  ])('reports %s as a fatal error and stops', (_name, input) => {
    const decoder = new FrameDecoder();
    const out = decoder.push(Buffer.from(input));
    expect(out).toHaveLength(1);
    expect(out[0]).toBeInstanceOf(FrameError);
    expect((out[0] as FrameError).fatal).toBe(true);
    expect((out[0] as FrameError).message).toMatch(/bad length prefix/);
    expect(decoder.broken).toBe(true);
    expect(decoder.push(encodeFrame('ignored'))).toEqual([]);
  });

  it('produces the same frames however the stream is cut', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary' }), { maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 20 }),
        (payloads, cuts) => {
          const stream = Buffer.concat(payloads.map((p) => encodeFrame(p)));
          const chunks: Buffer[] = [];
          let at = 0;
          for (let i = 0; at < stream.length; i++) {
            const size = cuts[i % cuts.length];
            chunks.push(stream.subarray(at, at + size));
            at += size;
          }
          const out = decodeAll(new FrameDecoder(), chunks).map((b) =>
            (b as Buffer).toString('utf8'),
          );
          expect(out).toEqual(payloads);
        },
      ),
    );
  });

  it('only ever yields payloads or typed errors for arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 10 }), (chunks) => {
        const decoder = new FrameDecoder({ maxFrameSize: 32 });
        for (const chunk of chunks) {
          for (const item of decoder.push(chunk)) {
            expect(Buffer.isBuffer(item) || item instanceof FrameError).toBe(true);
            if (Buffer.isBuffer(item)) expect(item.length).toBeLessThanOrEqual(32);
          }
        }
      }),
    );
  });
});
