// A peer for section 1: a UAS on the `sip` npm package (sip.js), answering as the drachtio app
// does in (a): INVITE -> 200 with SDP, BYE -> 200, ACK absorbed. The package's transaction layer
// absorbs retransmitted requests; it keeps no dialogs, and neither does this UAS (a BYE is
// answered whatever it names), so it is the least work a Node SIP stack can do per call.
//   --port <n>   the UDP port to listen on (the package cannot bind port 0 and report it)
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { createRequire } from 'node:module';
import { ANSWER_SDP, argValue, reportReady, serveRunner } from './control.mjs';

// The package opens its UDP socket with Node's default buffers; every other system here reads
// with 4 MiB (the kernel's maximum on this machine), so give it the same before it opens one.
const SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
const createSocket = dgram.createSocket;
dgram.createSocket = (type, listener) =>
  createSocket(
    { type, recvBufferSize: SOCKET_BUFFER_BYTES, sendBufferSize: SOCKET_BUFFER_BYTES },
    listener,
  );
const sip = createRequire(import.meta.url)('sip');

const port = Number(argValue('port'));
const contact = [{ uri: `sip:uas@127.0.0.1:${port}` }];
const counted = { invites: 0, answered: 0, byes: 0, failures: 0 };

sip.start({ address: '127.0.0.1', port, udp: true, tcp: false }, (request) => {
  switch (request.method) {
    case 'ACK':
      return;
    case 'INVITE': {
      counted.invites++;
      // The response shares the request's header objects: give the To its own copy to tag.
      const to = { ...request.headers.to, params: { ...request.headers.to.params, tag: tag() } };
      sip.send(
        sip.makeResponse(request, 200, 'OK', {
          headers: { to, contact, 'content-type': 'application/sdp' },
          content: ANSWER_SDP,
        }),
      );
      counted.answered++;
      return;
    }
    case 'BYE':
      counted.byes++;
      sip.send(sip.makeResponse(request, 200, 'OK'));
      return;
    default:
      sip.send(sip.makeResponse(request, 405, 'Method Not Allowed'));
  }
});

serveRunner({ counters: () => counted, stop: () => sip.stop() });
reportReady({ sip: `127.0.0.1:${port}` });

function tag() {
  return randomBytes(6).toString('hex');
}
