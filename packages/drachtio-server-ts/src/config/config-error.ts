/** A configuration that cannot be used; its message is the one line the daemon prints. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
