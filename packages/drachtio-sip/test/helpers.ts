import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SipParseError } from '../src';

const corpusDir = join(__dirname, 'corpus');

/** The realistic messages in test/corpus, by file name, as received bytes. */
export function corpus(): Array<[string, Buffer]> {
  return readdirSync(corpusDir)
    .filter((name) => name.endsWith('.sip'))
    .sort()
    .map((name) => [name, readFileSync(join(corpusDir, name))]);
}

export function corpusMessage(name: string): Buffer {
  return readFileSync(join(corpusDir, name));
}

/** Runs fn; returns the SipParseError it threw (failing the test if it threw anything else or nothing). */
export function parseErrorOf(fn: () => unknown): SipParseError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SipParseError) return err;
    throw err;
  }
  throw new Error('expected a SipParseError, but nothing was thrown');
}

/** A minimal valid request around the given extra header lines and body. */
export function request(extraHeaders: string[] = [], body = '', method = 'OPTIONS'): string {
  return [
    `${method} sip:bob@example.com SIP/2.0`,
    'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1',
    'From: <sip:alice@example.com>;tag=a1',
    'To: <sip:bob@example.com>',
    'Call-ID: call-1@example.com',
    `CSeq: 1 ${method}`,
    ...extraHeaders,
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}
