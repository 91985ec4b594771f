import { Scanner } from '../grammar/scanner';

/** RAck (RFC 3262): the RSeq and CSeq of the reliable provisional response being acknowledged. */
export interface RAck {
  rseq: number;
  cseq: number;
  method: string;
}

const MAX = 2 ** 32 - 1;

export function parseRAck(value: string): RAck {
  const scanner = new Scanner(value, 'rack');
  const rseq = scanner.integer('the response number', MAX);
  const cseq = scanner.integer('the CSeq number', MAX);
  const method = scanner.token('the method');
  scanner.expectEnd();
  return { rseq, cseq, method };
}

export function serializeRAck(rack: RAck): string {
  return `${rack.rseq} ${rack.cseq} ${rack.method}`;
}
