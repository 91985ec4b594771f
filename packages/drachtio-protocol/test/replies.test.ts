import { MessageReader, decodeResult, encodeMessage, encodeReply, type Frame } from '../src';

const sent = 'SIP/2.0 200 OK\r\nSubject: ☎\r\nContent-Length: 0\r\n\r\n';

function roundTrip(frame: ReturnType<typeof encodeReply>): Frame {
  const [decoded] = new MessageReader().push(encodeMessage(frame));
  return decoded as Frame;
}

describe('command replies', () => {
  it('carries the SIP message as sent after the JSON, not inside it', () => {
    const wire = encodeMessage(encodeReply<'respond'>('7', { dialogId: 'd1', raw: sent })).toString(
      'utf8',
    );
    const json = wire.slice(wire.indexOf('#') + 1, wire.indexOf('\n'));
    expect(JSON.parse(json)).toEqual({
      type: 'response',
      rid: '7',
      ok: true,
      data: { dialogId: 'd1' },
    });
    expect(wire.endsWith(`\n${sent}`)).toBe(true);
  });

  it('gives the reader back the result with raw', () => {
    const frame = roundTrip(encodeReply<'respond'>('7', { dialogId: 'd1', raw: sent }));
    expect(
      frame.envelope.type === 'response' &&
        frame.envelope.ok &&
        decodeResult(frame.envelope, frame.sip),
    ).toEqual({ dialogId: 'd1', raw: sent });
  });

  it('leaves results without a SIP message as JSON only', () => {
    const frame = roundTrip(encodeReply<'route'>('8', {}));
    expect(frame.sip).toBeUndefined();
    expect(
      frame.envelope.type === 'response' &&
        frame.envelope.ok &&
        decodeResult(frame.envelope, frame.sip),
    ).toEqual({});
  });
});
