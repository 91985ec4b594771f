/** `host:port` and `[addr:]port` values of flags and environment variables, checked. */
import { ConfigError } from './config-error';

export interface HostPort {
  address: string;
  port: number;
}

/** `host:port`, IPv6 as `[::1]:9060` (e.g. --homer). */
export function hostPort(value: string, name: string, minimumPort = 1): HostPort {
  const match = /^(?:\[([^\]]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(value.trim());
  if (!match) throw new ConfigError(`invalid ${name} '${value}': expected host:port`);
  const port = Number(match[3]);
  if (port < minimumPort || port > 65535)
    throw new ConfigError(
      `invalid ${name} '${value}': the port must be from ${minimumPort} to 65535`,
    );
  return { address: match[1] ?? match[2] ?? '', port };
}

/** `[addr:]port` (e.g. --prometheus-scrape-port); the address defaults to 127.0.0.1. */
export function optionalHostPort(value: string, name: string): HostPort {
  if (/^\d+$/.test(value.trim()))
    return { address: '127.0.0.1', port: portNumber(value.trim(), name, 0) };
  return hostPort(value, name, 0);
}

export function portNumber(value: string | number, name: string, minimum = 0): number {
  const number = Number(value);
  if (
    String(value).trim() === '' ||
    !Number.isInteger(number) ||
    number < minimum ||
    number > 65535
  ) {
    throw new ConfigError(
      `invalid ${name} '${value}': expected an integer from ${minimum} to 65535`,
    );
  }
  return number;
}
