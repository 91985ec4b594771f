import {
  answerChallenge,
  pickChallenge,
  serializeCredentials,
  type AuthHeader,
} from 'drachtio-sip';
import type { ClientRequest } from './client-request';
import type { IncomingResponse } from './incoming-response';

/** What `opts.auth` takes to answer 401/407 challenges. */
export interface Credentials {
  username: string;
  password: string;
}

export interface Authorization {
  /** Authorization (for 401) or Proxy-Authorization (for 407). */
  header: string;
  value: string;
  /** The challenge said our previous nonce had merely expired. */
  stale: boolean;
}

/** The header that answers a 401/407 Digest challenge (drachtio-sip's digest math), or undefined when none can. */
export function authorizationFor(
  res: IncomingResponse,
  req: ClientRequest,
  credentials: Credentials,
): Authorization | undefined {
  const proxy = res.status === 407;
  try {
    const challenge = pickChallenge(
      (res.get(proxy ? 'proxy-authenticate' : 'www-authenticate') as AuthHeader[] | undefined) ??
        [],
    );
    if (!challenge) return undefined;
    const answer = answerChallenge(challenge, {
      username: credentials.username,
      password: credentials.password,
      method: req.method,
      uri: req.uri ?? req.msg?.uri ?? '',
      ...(req.body !== undefined ? { body: req.body } : {}),
    });
    return {
      header: proxy ? 'Proxy-Authorization' : 'Authorization',
      value: serializeCredentials(answer),
      stale: challenge.params.stale?.toLowerCase() === 'true',
    };
  } catch {
    // A malformed or unsupported challenge cannot be answered; the 401/407 goes to the caller as is.
    return undefined;
  }
}
