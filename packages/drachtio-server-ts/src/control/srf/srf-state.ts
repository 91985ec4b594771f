import type { Endpoint } from 'drachtio-protocol';
import { SrfDialogIds } from './dialog-ids';
import type { SipCommandState } from './sip-command';

/** Entries kept per connection for requests srf may still answer; the oldest go past this. */
const MAX_TRACKED = 10_000;

/** The two parties of a confirmed dialog, for the BYE srf is told about when the server ends it. */
export interface DialogParties {
  callId: string;
  /** Our side's name-addr with tag, and the peer's. */
  local: string;
  remote: string;
  peer: Endpoint;
}

/**
 * What one srf connection's codec remembers between frames: srf's dialog ids, where requests
 * came from (the meta of a response echo names that peer), which INVITE an ACK in a dialog
 * answers, and the parties of each dialog. Every map is bounded or cleared as dialogs end.
 */
export class SrfState implements SipCommandState {
  readonly ids = new SrfDialogIds();
  /** hostports by transport ("udp" -> "127.0.0.1:5060"), from the engine's contacts. */
  readonly hostports = new Map<string, string>();
  private readonly sources = new Map<string, Endpoint>();
  private readonly invites = new Map<string, string>();
  private readonly finals = new Map<string, { transactionId: string; status: number }>();
  private readonly parties = new Map<string, DialogParties>();

  setContacts(contacts: readonly string[]): void {
    for (const contact of contacts) {
      const match = /^sips?:([^;]+);transport=(\w+)/i.exec(contact);
      if (match && !this.hostports.has(match[2].toLowerCase()))
        this.hostports.set(match[2].toLowerCase(), match[1]);
    }
  }

  hostport(transport: string): string | undefined {
    return this.hostports.get(transport);
  }

  engineDialog(srfId: string): string | undefined {
    return this.ids.engineId(srfId);
  }

  ackable(srfId: string): { transactionId: string; status: number } | undefined {
    return this.finals.get(srfId);
  }

  /** A request reached srf: its response echo will name this peer. */
  requestFrom(transactionId: string, source: Endpoint): void {
    bounded(this.sources).set(transactionId, source);
  }

  sourceOf(transactionId: string, final: boolean): Endpoint | undefined {
    const source = this.sources.get(transactionId);
    if (final) this.sources.delete(transactionId);
    return source;
  }

  /** srf sent an INVITE: its final response is what a later ACK in the dialog answers. */
  inviteSent(transactionId: string): void {
    bounded(this.invites).set(transactionId, 'INVITE');
  }

  /** A final response to an INVITE srf sent arrived; true when the transaction was one. */
  inviteAnswered(transactionId: string, srfId: string, status: number): boolean {
    if (!this.invites.delete(transactionId)) return false;
    bounded(this.finals).set(srfId, { transactionId, status });
    return true;
  }

  confirmed(srfId: string, parties: DialogParties): void {
    bounded(this.parties).set(srfId, parties);
  }

  partiesOf(srfId: string): DialogParties | undefined {
    return this.parties.get(srfId);
  }

  dialogEnded(engineId: string): void {
    const srfId = this.ids.known(engineId);
    this.ids.forget(engineId);
    if (srfId === undefined || this.ids.engineId(srfId) !== undefined) return;
    this.finals.delete(srfId);
    this.parties.delete(srfId);
  }
}

function bounded<K, V>(map: Map<K, V>): Map<K, V> {
  if (map.size >= MAX_TRACKED) map.delete(map.keys().next().value as K);
  return map;
}
