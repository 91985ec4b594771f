// The load generator's wire: one UDP socket, or one TCP or TLS connection (as sipp's t1 mode
// uses one), from 127.0.0.1 to 127.0.0.1 only. Stream transports are framed by Content-Length.
// Parsing is only what a UAC needs to follow its own calls: status, Call-ID, CSeq, To tag, Contact.
import { createSocket } from 'node:dgram';
import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

const HOST = '127.0.0.1';
/** A burst of responses must not overflow the socket (the drops would be blamed on the server). */
const UDP_BUFFER = 4 * 1024 * 1024;

/**
 * Opens the transport to `port` and calls onMessage(parsed) for every SIP message received.
 * Resolves to { send(text), sentBy: 'host:port', via: 'UDP'|'TCP'|'TLS', close() }.
 */
export async function openWire({ transport, port, ca }, onMessage, onError) {
  if (transport === 'udp') return openUdp(port, onMessage, onError);
  const socket =
    transport === 'tls'
      ? tlsConnect({ host: HOST, port, ca, servername: 'localhost' })
      : tcpConnect({ host: HOST, port });
  socket.setNoDelay(true);
  await new Promise((resolve, reject) => {
    socket.once(transport === 'tls' ? 'secureConnect' : 'connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', onError);
  socket.on('close', () => onError(new Error('connection closed')));
  const frame = framer(onMessage);
  socket.on('data', frame);
  return {
    send: (text) => socket.write(text),
    sentBy: `${socket.localAddress}:${socket.localPort}`,
    via: transport.toUpperCase(),
    close: () => {
      socket.removeAllListeners('close');
      socket.destroy();
    },
  };
}

async function openUdp(port, onMessage, onError) {
  const socket = createSocket({
    type: 'udp4',
    recvBufferSize: UDP_BUFFER,
    sendBufferSize: UDP_BUFFER,
  });
  await new Promise((resolve) => socket.bind(0, HOST, resolve));
  socket.on('error', onError);
  socket.on('message', (datagram) => {
    const message = parse(datagram.toString('latin1'));
    if (message) onMessage(message);
  });
  return {
    send: (text) => socket.send(text, port, HOST),
    sentBy: `${HOST}:${socket.address().port}`,
    via: 'UDP',
    close: () => socket.close(),
  };
}

/** Cuts a byte stream into messages: headers up to the blank line, then Content-Length bytes. */
function framer(onMessage) {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    for (;;) {
      // CRLF keepalives (RFC 5626) between messages are skipped.
      let start = 0;
      while (start < pending.length && (pending[start] === 13 || pending[start] === 10)) start++;
      const end = pending.indexOf('\r\n\r\n', start);
      if (end < 0) return void (pending = pending.subarray(start));
      const head = pending.toString('latin1', start, end);
      const length = Number(/^(?:content-length|l)\s*:\s*(\d+)/im.exec(head)?.[1] ?? 0);
      const total = end + 4 + length;
      if (pending.length < total) return void (pending = pending.subarray(start));
      const message = parse(pending.toString('latin1', start, total));
      pending = pending.subarray(total);
      if (message) onMessage(message);
    }
  };
}

// Compiled once: the generator's own CPU is part of what the section reports.
const HEADERS = Object.fromEntries(
  Object.entries({ callId: 'call-id|i', cseq: 'cseq', to: 'to|t', contact: 'contact|m' }).map(
    ([key, names]) => [key, new RegExp(`^(?:${names})[ \\t]*:[ \\t]*(.*?)\\s*$`, 'im')],
  ),
);

/** The few fields a UAC follows; undefined for anything but a response (the load sends all requests). */
function parse(text) {
  const status = /^SIP\/2\.0 (\d{3})/.exec(text);
  if (!status) return undefined;
  const header = (key) => HEADERS[key].exec(text)?.[1];
  const cseq = /^(\d+)\s+(\w+)/.exec(header('cseq') ?? '');
  const to = header('to') ?? '';
  const contact = header('contact') ?? '';
  return {
    status: Number(status[1]),
    callId: header('callId'),
    cseq: cseq && Number(cseq[1]),
    method: cseq?.[2],
    to,
    toTag: /;\s*tag=([^;>\s]+)/i.exec(to)?.[1],
    contactUri: /<([^>]+)>/.exec(contact)?.[1] ?? contact.split(';')[0] ?? undefined,
  };
}
