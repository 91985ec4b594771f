/**
 * Hold and unhold by SDP direction (RFC 3264 section 8.4): an offer marked `sendonly` puts the
 * peer on hold, `sendrecv` takes it off. A changed offer must carry a higher o= version, or the
 * peer may treat it as a repeat of the old one and ignore it.
 */
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

const DIRECTION_LINE = /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/;

/** The direction of the first media stream (or of the session), `sendrecv` when unstated. */
export function mediaDirection(sdp: string): MediaDirection {
  for (const line of splitLines(sdp)) {
    const match = DIRECTION_LINE.exec(line);
    if (match) return match[1] as MediaDirection;
  }
  return 'sendrecv';
}

/** True when the SDP asks us not to send to it (the far end put us on hold). */
export function isHoldOffer(sdp: string): boolean {
  const direction = mediaDirection(sdp);
  return direction === 'sendonly' || direction === 'inactive';
}

/** The same SDP with every stream set to `direction` and the o= version incremented. */
export function withMediaDirection(sdp: string, direction: MediaDirection): string {
  const lines = splitLines(sdp).filter((line) => line !== '');
  const hasDirection = lines.some((line) => DIRECTION_LINE.test(line));
  const out: string[] = [];
  for (const line of lines) {
    if (DIRECTION_LINE.test(line)) {
      out.push(`a=${direction}`);
      continue;
    }
    out.push(line.startsWith('o=') ? bumpOriginVersion(line) : line);
    // Without any direction attribute, state it on each media stream, right after its m= line.
    if (!hasDirection && line.startsWith('m=')) out.push(`a=${direction}`);
  }
  return out.join('\r\n') + '\r\n';
}

function splitLines(sdp: string): string[] {
  return sdp.split(/\r?\n/);
}

/** o=<username> <sess-id> <sess-version> <nettype> <addrtype> <address> */
function bumpOriginVersion(origin: string): string {
  const fields = origin.split(' ');
  if (fields.length < 6 || !/^\d+$/.test(fields[2] ?? '')) return origin;
  fields[2] = (BigInt(fields[2] as string) + 1n).toString();
  return fields.join(' ');
}
