/**
 * This process's memory of which Call-ID belongs to which session. A B2BUA leg's first dialog
 * notice can arrive before its alias record is written, and most lookups are answered here
 * without a store round trip. Bounded: the oldest entries give way (the store still knows them).
 */
export class AliasCache {
  private readonly sessionIdByCallId = new Map<string, string>();

  constructor(private readonly maxEntries: number) {}

  get(callId: string): string | undefined {
    return this.sessionIdByCallId.get(callId);
  }

  set(callId: string, sessionId: string): void {
    this.sessionIdByCallId.delete(callId);
    this.sessionIdByCallId.set(callId, sessionId);
    if (this.sessionIdByCallId.size > this.maxEntries) {
      const oldest = this.sessionIdByCallId.keys().next().value as string;
      this.sessionIdByCallId.delete(oldest);
    }
  }

  forget(callIds: readonly string[]): void {
    for (const callId of callIds) this.sessionIdByCallId.delete(callId);
  }
}
