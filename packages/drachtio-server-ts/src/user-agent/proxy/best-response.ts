/**
 * RFC 3261 16.7 step 6: which final response of a response context goes upstream when no 2xx
 * came, and step 7: a 401/407 carries every branch's challenges. Pure, unit-tested.
 */

export interface FinalCandidate {
  status: number;
  /** `WWW-Authenticate: ...` / `Proxy-Authenticate: ...` lines of the response, if any. */
  challenges?: readonly string[];
}

/** 4xx that tell the caller how to resubmit: preferred within their class (16.7 step 6). */
const INFORMATIVE_4XX = new Set([401, 407, 415, 420, 484]);

/**
 * Index of the best response: a 6xx when there is one, else the lowest class, preferring
 * within 4xx the informative ones; among equals the first received. -1 for an empty list.
 */
export function bestResponse(candidates: readonly FinalCandidate[]): number {
  let best = -1;
  for (let i = 0; i < candidates.length; i++) {
    if (best < 0 || better(candidates[i]?.status ?? 0, candidates[best]?.status ?? 0)) best = i;
  }
  return best;
}

function better(status: number, than: number): boolean {
  const cls = Math.floor(status / 100);
  const thanCls = Math.floor(than / 100);
  if (cls === 6 || thanCls === 6) return cls === 6 && thanCls !== 6;
  if (cls !== thanCls) return cls < thanCls;
  return cls === 4 && INFORMATIVE_4XX.has(status) && !INFORMATIVE_4XX.has(than);
}

/**
 * RFC 3261 16.7 step 6: a 503 is never forwarded as such (it would make the caller think this
 * proxy is unavailable): it goes up as 500.
 */
export function upstreamStatus(status: number): number {
  return status === 503 ? 500 : status;
}

/**
 * RFC 3261 16.7 step 7: when the chosen response is a 401 or 407, the challenges of every
 * other 401/407 are added to it, so the caller can answer them all in one retry.
 */
export function aggregatedChallenges(
  candidates: readonly FinalCandidate[],
  chosen: number,
): string[] {
  const status = candidates[chosen]?.status;
  if (status !== 401 && status !== 407) return [];
  return candidates.flatMap((candidate, index) =>
    index !== chosen && (candidate.status === 401 || candidate.status === 407)
      ? [...(candidate.challenges ?? [])]
      : [],
  );
}
