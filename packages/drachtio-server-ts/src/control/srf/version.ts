import { SERVER_VERSION } from '../../config/server-version';

/**
 * The version srf is told at authentication. srf only pings servers from v0.8.2 on and parses
 * `v<major>.<minor>.<patch>`; the C++ wire this codec speaks is that of drachtio-server 0.8.x, so
 * the version names it, with this server's own version after it.
 */
export const SRF_SERVER_VERSION = `v0.8.26-drachtio-server-ts-${SERVER_VERSION}`;
