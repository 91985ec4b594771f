/**
 * drachtio-srf names a dialog `<Call-ID>;from-tag=<tag>`, the tag being the From tag of the
 * request that created it (srf's findDialogByCallIDAndFromTag builds ids that way). The engine
 * keeps one dialog per fork, named by both tags. srf's name is the same from the first
 * provisional to the 2xx and whichever fork answers: it stands for the engine dialog that last
 * spoke for it (the early fork whose provisional srf just saw, then the confirmed one).
 */
export class SrfDialogIds {
  private readonly srfByEngine = new Map<string, string>();
  private readonly engineBySrf = new Map<string, string>();

  /** srf's id for an engine dialog; `role` says whose tag is the From tag. */
  srfId(engineId: string, role: 'uac' | 'uas'): string {
    const known = this.srfByEngine.get(engineId);
    if (known !== undefined) return known;
    const parts = splitEngineId(engineId);
    const srfId = `${parts.callId};from-tag=${role === 'uac' ? parts.localTag : parts.remoteTag}`;
    this.srfByEngine.set(engineId, srfId);
    this.engineBySrf.set(srfId, engineId);
    return srfId;
  }

  /** srf's id for an engine dialog it has already been told about, if any. */
  known(engineId: string): string | undefined {
    return this.srfByEngine.get(engineId);
  }

  /** This engine dialog now speaks for its srf id (a provisional or 2xx of this fork arrived). */
  speaksFor(engineId: string): void {
    const srfId = this.srfByEngine.get(engineId);
    if (srfId !== undefined) this.engineBySrf.set(srfId, engineId);
  }

  engineId(srfId: string): string | undefined {
    return this.engineBySrf.get(srfId);
  }

  /** The engine dialog ended: srf's id stays with another fork if one took it over. */
  forget(engineId: string): void {
    const srfId = this.srfByEngine.get(engineId);
    this.srfByEngine.delete(engineId);
    if (srfId !== undefined && this.engineBySrf.get(srfId) === engineId)
      this.engineBySrf.delete(srfId);
  }

  get size(): number {
    return this.srfByEngine.size;
  }
}

/** The engine's id is `<Call-ID>;local-tag=<tag>;remote-tag=<tag>` (user-agent/dialog/dialog.ts). */
function splitEngineId(engineId: string): { callId: string; localTag: string; remoteTag: string } {
  const local = engineId.lastIndexOf(';local-tag=');
  const remote = engineId.lastIndexOf(';remote-tag=');
  if (local === -1 || remote < local) return { callId: engineId, localTag: '', remoteTag: '' };
  return {
    callId: engineId.slice(0, local),
    localTag: engineId.slice(local + ';local-tag='.length, remote),
    remoteTag: engineId.slice(remote + ';remote-tag='.length),
  };
}
