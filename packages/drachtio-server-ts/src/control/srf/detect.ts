import type { Socket } from 'node:net';

export type Codec = 'json' | 'srf';

const HASH = 0x23;
const OPEN_BRACE = 0x7b;
/** A length prefix is at most 10 digits; past that the JSON reader reports the bad prefix. */
const MAX_PREFIX = 11;

/**
 * Which wire an application speaks, from the first bytes it sends: both frame as
 * `<length>#<payload>`, and a JSON payload starts with `{` while a drachtio-srf payload starts
 * with its message id (`<uuid>|authenticate|...`). Undefined while the first payload byte has
 * not arrived yet.
 */
export function detectCodec(head: Buffer): Codec | undefined {
  const hash = head.indexOf(HASH);
  if (hash === -1) return head.length >= MAX_PREFIX ? 'json' : undefined;
  if (hash + 1 >= head.length) return undefined;
  return head[hash + 1] === OPEN_BRACE ? 'json' : 'srf';
}

/**
 * Reads a new connection until its codec is known, then hands the socket over paused with the
 * bytes read so far put back, so the connection class reads the stream from its first byte.
 * A connection that says nothing for `timeout` ms is dropped (`silent` is told), as an
 * unauthenticated one would be.
 */
export function whenCodecKnown(
  socket: Socket,
  timeout: number,
  ready: (codec: Codec) => void,
  silent: () => void,
): void {
  let head = Buffer.alloc(0);
  const timer = setTimeout(() => {
    silent();
    socket.destroy();
  }, timeout);
  timer.unref();
  const onData = (chunk: Buffer) => {
    head = Buffer.concat([head, chunk]);
    const codec = detectCodec(head);
    if (codec === undefined) return;
    clearTimeout(timer);
    socket.off('data', onData);
    socket.off('close', onClose);
    socket.pause();
    socket.unshift(head);
    ready(codec);
    socket.resume();
  };
  const onClose = () => clearTimeout(timer);
  socket.on('data', onData);
  socket.on('close', onClose);
  socket.on('error', () => undefined);
}
