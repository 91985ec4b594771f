import { SUPPORTED_VERSIONS } from './messages';

/**
 * The version both sides speak: the highest one the client offers that the server supports,
 * or undefined when they share none (the server then refuses with 'unsupported-version').
 */
export function negotiateVersion(
  offered: readonly number[],
  supported: readonly number[] = SUPPORTED_VERSIONS,
): number | undefined {
  const common = offered.filter((version) => supported.includes(version));
  return common.length === 0 ? undefined : Math.max(...common);
}
