import { isHoldOffer, mediaDirection, withMediaDirection } from '../src/sdp-direction';

const offer = [
  'v=0',
  'o=- 1234 7 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 6000 RTP/AVP 0',
  'a=rtpmap:0 PCMU/8000',
  '',
].join('\r\n');

describe('sdp direction', () => {
  it('is sendrecv when no direction attribute is present', () => {
    expect(mediaDirection(offer)).toBe('sendrecv');
    expect(isHoldOffer(offer)).toBe(false);
  });

  it('adds the direction to each media stream and bumps the o= version', () => {
    const held = withMediaDirection(offer, 'sendonly');
    expect(held).toContain('o=- 1234 8 IN IP4 127.0.0.1');
    expect(held).toContain('m=audio 6000 RTP/AVP 0\r\na=sendonly\r\n');
    expect(mediaDirection(held)).toBe('sendonly');
    expect(isHoldOffer(held)).toBe(true);
    expect(held.endsWith('\r\n')).toBe(true);
  });

  it('replaces an existing direction rather than adding a second one', () => {
    const held = withMediaDirection(offer, 'sendonly');
    const resumed = withMediaDirection(held, 'sendrecv');
    expect(resumed.match(/a=(sendrecv|sendonly|recvonly|inactive)/g)).toEqual(['a=sendrecv']);
    expect(resumed).toContain('o=- 1234 9 IN IP4 127.0.0.1');
    expect(isHoldOffer(resumed)).toBe(false);
  });

  it('treats inactive as hold and accepts LF-only SDP', () => {
    expect(isHoldOffer('v=0\nm=audio 1 RTP/AVP 0\na=inactive\n')).toBe(true);
  });

  it('leaves an o= line it cannot read untouched', () => {
    const odd = 'v=0\r\no=weird\r\nm=audio 1 RTP/AVP 0\r\n';
    expect(withMediaDirection(odd, 'sendonly')).toContain('o=weird\r\n');
  });
});
