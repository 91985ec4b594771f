import { Scanner } from '../grammar/scanner';

export interface CSeq {
  seq: number;
  method: string;
}

/** RFC 3261 8.1.1.5: the sequence number is a 32-bit unsigned integer. */
const MAX_SEQ = 2 ** 32 - 1;

export function parseCSeq(value: string): CSeq {
  const scanner = new Scanner(value, 'cseq');
  const seq = scanner.integer('the sequence number', MAX_SEQ);
  const method = scanner.token('the method');
  scanner.expectEnd();
  return { seq, method };
}

export function serializeCSeq(cseq: CSeq): string {
  return `${cseq.seq} ${cseq.method}`;
}
