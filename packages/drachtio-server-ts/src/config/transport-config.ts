/**
 * The SIP transports' settings from flags, environment and file: TLS files (read here, so a
 * missing file is one clear line at start), WebSocket limits, CRLF keepalives. Flag and
 * environment names are the C++ drachtio-server's: --cert-file, --key-file, --chain-file,
 * --min-tls-version, --tcp-keepalive-interval (DRACHTIO_TLS_CERT_FILE, ...).
 */
import { TLS_VERSIONS, type TlsSettings, type TlsVersion } from '../transport/tls-settings';
import type { WebSocketSettings } from '../transport/ws-transport';
import { ConfigError } from './config-error';
import { readPem } from './pem-file';

export interface TransportFlags {
  certFile?: string;
  keyFile?: string;
  chainFile?: string;
  tlsCaFile?: string;
  minTlsVersion?: string;
  tlsVerifyClient?: boolean;
  tcpKeepaliveInterval?: string;
  wsAllowedOrigin?: string[];
}

export interface TransportFile {
  tls?: {
    certFile?: string;
    keyFile?: string;
    chainFile?: string;
    caFile?: string;
    minVersion?: TlsVersion;
    verifyClient?: boolean;
  };
  websocket?: { allowedOrigins?: string[]; maxMessageSize?: number };
  tcpKeepaliveInterval?: number;
}

export interface TransportSettings {
  tls?: TlsSettings;
  websocket?: WebSocketSettings;
  tcpKeepaliveInterval?: number;
}

/** Flags win over the environment, which wins over the file's `sip` section. */
export function transportSettings(
  flags: TransportFlags,
  env: NodeJS.ProcessEnv,
  file: TransportFile = {},
): TransportSettings {
  const certFile = flags.certFile ?? env.DRACHTIO_TLS_CERT_FILE ?? file.tls?.certFile;
  const keyFile = flags.keyFile ?? env.DRACHTIO_TLS_KEY_FILE ?? file.tls?.keyFile;
  const chainFile = flags.chainFile ?? env.DRACHTIO_TLS_CHAIN_FILE ?? file.tls?.chainFile;
  const caFile = flags.tlsCaFile ?? env.DRACHTIO_TLS_CA_FILE ?? file.tls?.caFile;
  const rawVersion = flags.minTlsVersion ?? env.DRACHTIO_MIN_TLS_VERSION ?? file.tls?.minVersion;
  // Checked even without a certificate: a typo is reported before it matters.
  const minVersion = rawVersion === undefined ? undefined : tlsVersion(rawVersion);
  if ((certFile === undefined) !== (keyFile === undefined))
    throw new ConfigError('SIP over TLS needs both --cert-file and --key-file');
  const interval =
    flags.tcpKeepaliveInterval ?? env.DRACHTIO_TCP_KEEPALIVE_INTERVAL ?? file.tcpKeepaliveInterval;
  const origins = flags.wsAllowedOrigin ?? file.websocket?.allowedOrigins;
  return {
    tls:
      certFile && keyFile
        ? {
            cert: readPem(certFile),
            key: readPem(keyFile),
            chain: chainFile === undefined ? undefined : readPem(chainFile),
            ca: caFile === undefined ? undefined : readPem(caFile),
            minVersion,
            verifyClient: flags.tlsVerifyClient ?? file.tls?.verifyClient,
          }
        : undefined,
    websocket:
      origins === undefined && file.websocket?.maxMessageSize === undefined
        ? undefined
        : { allowedOrigins: origins, maxMessageSize: file.websocket?.maxMessageSize },
    tcpKeepaliveInterval: interval === undefined ? undefined : seconds(interval),
  };
}

/** The C++ server writes 1.2; Node writes TLSv1.2: both are taken. */
function tlsVersion(value: string): TlsVersion {
  const name = /^\d/.test(value) ? `TLSv${value}` : value;
  const known = TLS_VERSIONS.find((v) => v === name || (name === 'TLSv1.0' && v === 'TLSv1'));
  if (!known)
    throw new ConfigError(`invalid minimum TLS version '${value}': expected 1.0, 1.1, 1.2 or 1.3`);
  return known;
}

function seconds(value: string | number): number {
  const number = Number(value);
  if (String(value).trim() === '' || !Number.isInteger(number) || number < 0 || number > 86400)
    throw new ConfigError(
      `invalid TCP keepalive interval '${value}': expected seconds from 0 to 86400`,
    );
  return number;
}
