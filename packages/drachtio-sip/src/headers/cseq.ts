import { isToken } from '../grammar/chars';
import { Scanner } from '../grammar/scanner';
import { plainNumber } from './numeric';

export interface CSeq {
  seq: number;
  method: string;
}

/** RFC 3261 8.1.1.5: the sequence number is a 32-bit unsigned integer. */
const MAX_SEQ = 2 ** 32 - 1;

export function parseCSeq(value: string): CSeq {
  // the usual form, "4711 INVITE", without a scanner
  const space = value.indexOf(' ');
  const number = plainNumber(value, 0, space);
  if (number >= 0 && number <= MAX_SEQ) {
    const method = value.slice(space + 1);
    if (isToken(method)) return { seq: number, method };
  }
  const scanner = new Scanner(value, 'cseq');
  const seq = scanner.integer('the sequence number', MAX_SEQ);
  const method = scanner.token('the method');
  scanner.expectEnd();
  return { seq, method };
}

export function serializeCSeq(cseq: CSeq): string {
  return `${cseq.seq} ${cseq.method}`;
}
