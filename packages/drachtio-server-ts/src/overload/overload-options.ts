/** The settings of overload control (EngineOptions.overload, the config's sip.overload). */
export interface OverloadOptions {
  /** Refuse new requests with 503 when the server falls behind. Default true. */
  enabled?: boolean;
  /** Queueing delay (ms) on the UDP sockets past which new requests start being refused. Default 100. */
  targetDelay?: number;
  /** Seconds the 503's Retry-After asks the peer to wait. Default 5. */
  retryAfter?: number;
}

export type OverloadSettings = Required<Omit<OverloadOptions, 'enabled'>>;

export const DEFAULT_OVERLOAD: OverloadSettings = { targetDelay: 100, retryAfter: 5 };

/** The settings with defaults filled in, or undefined when overload control is off. */
export function resolveOverload(options: OverloadOptions = {}): OverloadSettings | undefined {
  if (options.enabled === false) return undefined;
  const settings = {
    targetDelay: options.targetDelay ?? DEFAULT_OVERLOAD.targetDelay,
    retryAfter: options.retryAfter ?? DEFAULT_OVERLOAD.retryAfter,
  };
  if (!Number.isFinite(settings.targetDelay) || settings.targetDelay <= 0)
    throw new RangeError(`overload targetDelay must be a positive number of ms`);
  if (!Number.isInteger(settings.retryAfter) || settings.retryAfter < 0)
    throw new RangeError(`overload retryAfter must be a whole number of seconds`);
  return settings;
}
