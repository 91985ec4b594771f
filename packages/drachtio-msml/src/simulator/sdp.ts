/**
 * The simulator's SDP answer. There is no media, so the answer just mirrors the offer's media
 * lines with a port of its own; an offer without media (a control channel) gets none.
 */
let version = 0;

export function answerSdp(offer: string, address: string, mediaPort: number): string {
  const media = offer
    .split(/\r?\n/)
    .filter((line) => line.startsWith('m='))
    .map((line) => {
      const [kind, , proto, ...formats] = line.slice(2).split(' ');
      return [`m=${kind} ${mediaPort} ${proto} ${formats.join(' ')}`, 'a=sendrecv'];
    });
  const session = [
    'v=0',
    `o=msml-simulator ${Date.now()} ${++version} IN IP4 ${address}`,
    's=drachtio-msml media server simulator',
    `c=IN IP4 ${address}`,
    't=0 0',
  ];
  return [...session, ...media.flat(), ''].join('\r\n');
}
