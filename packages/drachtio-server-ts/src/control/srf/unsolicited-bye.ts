import type { DialogParties } from './srf-state';

/**
 * The BYE srf is shown when the server ends a dialog on its own. The C++ server hands srf the
 * BYE it sent; the engine does not expose its own BYE, so this one is rebuilt from the dialog's
 * parties, with the same Reason header (`SIP ;cause=200 ;text="..."`). It is a notice to the
 * application, never sent to the network.
 */
export function unsolicitedBye(parties: DialogParties, text: string): string {
  const target = /<([^>]+)>/.exec(parties.remote)?.[1] ?? parties.remote.split(';')[0];
  return [
    `BYE ${target} SIP/2.0`,
    `From: ${parties.local}`,
    `To: ${parties.remote}`,
    `Call-ID: ${parties.callId}`,
    'CSeq: 1 BYE',
    `Reason: SIP ;cause=200 ;text="${text}"`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}
