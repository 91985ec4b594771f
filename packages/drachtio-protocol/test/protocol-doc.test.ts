import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND_NAMES, FrameDecoder, NOTIFY_NAMES, decodePayload } from '../src';

/**
 * docs/protocol.md is the contract: every example frame in it must be a real frame. In the
 * document the raw SIP lines are shown one per text line; on the wire they end with CRLF, while
 * the one LF after the JSON stays a bare LF.
 */
const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'protocol.md'), 'utf8');
const examples = [...doc.matchAll(/```frame\n([\s\S]*?)\n```/g)].map((match) => match[1]);

function toWire(example: string): Buffer {
  const lf = example.indexOf('\n');
  if (lf === -1) return Buffer.from(example, 'utf8');
  return Buffer.from(
    example.slice(0, lf + 1) + example.slice(lf + 1).replace(/\n/g, '\r\n'),
    'utf8',
  );
}

describe('docs/protocol.md example frames', () => {
  it('has an example for every command and notification', () => {
    expect(examples.length).toBeGreaterThanOrEqual(20);
    for (const command of COMMAND_NAMES) {
      expect(
        examples.some(
          (e) => e.includes(`"type":"request","rid":"`) && e.includes(`"command":"${command}"`),
        ),
      ).toBe(true);
    }
    for (const notice of NOTIFY_NAMES) {
      expect(examples.some((e) => e.includes(`"type":"notify","command":"${notice}"`))).toBe(true);
    }
  });

  it.each(examples.map((example) => [example.slice(0, 70), example]))(
    'decodes %s',
    (_title, example) => {
      const frames = new FrameDecoder().push(toWire(example));
      expect(frames).toHaveLength(1);
      expect(Buffer.isBuffer(frames[0])).toBe(true);
      const frame = decodePayload(frames[0] as Buffer);
      const sip = frame.sip;
      if (sip !== undefined) expect(sip).toMatch(/\r\n\r\n$/);
    },
  );
});
