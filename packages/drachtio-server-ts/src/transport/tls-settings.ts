/**
 * SIP over TLS (RFC 3261 26): our certificate with its chain, the lowest protocol version we
 * speak, and whether a client must present a certificate our CA file vouches for.
 */
import { isIP } from 'node:net';
import {
  rootCertificates,
  type ConnectionOptions,
  type SecureContextOptions,
  type TlsOptions,
} from 'node:tls';

export type TlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
export const TLS_VERSIONS: readonly TlsVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

export interface TlsSettings {
  /** PEM certificate (drachtio-server's --cert-file). */
  cert: string | Buffer;
  /** PEM private key (--key-file). */
  key: string | Buffer;
  /** PEM intermediate certificates sent after ours (--chain-file). */
  chain?: string | Buffer;
  /** PEM CA certificates trusted, besides Node's roots, for client certificates and for servers we connect to. */
  ca?: string | Buffer;
  /** Lowest TLS version accepted (--min-tls-version); default TLSv1.2. */
  minVersion?: TlsVersion;
  /** Ask every client for a certificate and refuse those the CAs do not vouch for. */
  verifyClient?: boolean;
}

/** For the TLS and WSS listeners. */
export function serverTlsOptions(settings: TlsSettings): TlsOptions {
  const verify = settings.verifyClient === true;
  return { ...ourSide(settings), requestCert: verify, rejectUnauthorized: verify };
}

/** For connections we open: the peer's certificate is always checked; ours is offered for mutual TLS. */
export function clientTlsOptions(settings: TlsSettings, host: string): ConnectionOptions {
  return {
    ...ourSide(settings),
    rejectUnauthorized: true,
    // SNI carries names only (RFC 6066 3).
    servername: isIP(host) ? undefined : host,
  };
}

/** What both directions share: our certificate and key, whom we trust, the lowest version. */
function ourSide(settings: TlsSettings): SecureContextOptions {
  return {
    cert: withChain(settings),
    key: settings.key,
    ca: trusted(settings),
    minVersion: settings.minVersion ?? 'TLSv1.2',
  };
}

function withChain(settings: TlsSettings): string | Buffer {
  if (settings.chain === undefined) return settings.cert;
  return Buffer.concat([
    Buffer.from(settings.cert),
    Buffer.from('\n'),
    Buffer.from(settings.chain),
  ]);
}

/** Node replaces its roots by `ca` when given, so the roots are kept beside the operator's CAs. */
function trusted(settings: TlsSettings): string[] | undefined {
  return settings.ca === undefined ? undefined : [...rootCertificates, String(settings.ca)];
}
