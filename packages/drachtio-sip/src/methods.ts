/**
 * The SIP methods of this stack, owned here so the engine, the core and the middleware agree:
 * RFC 3261's six plus INFO (6086), PRACK (3262), SUBSCRIBE/NOTIFY (6665), UPDATE (3311),
 * MESSAGE (3428), REFER (3515) and PUBLISH (3903).
 */
export const SIP_METHODS = [
  'INVITE',
  'ACK',
  'BYE',
  'CANCEL',
  'OPTIONS',
  'REGISTER',
  'INFO',
  'UPDATE',
  'PRACK',
  'SUBSCRIBE',
  'NOTIFY',
  'REFER',
  'MESSAGE',
  'PUBLISH',
] as const;

export type SipMethod = (typeof SIP_METHODS)[number];

/**
 * Methods a user agent may send inside an established dialog; INVITE is a re-INVITE there.
 * ACK and CANCEL belong to a transaction, not the dialog; REGISTER and PUBLISH never use one.
 */
export const IN_DIALOG_METHODS: readonly SipMethod[] = [
  'BYE',
  'INFO',
  'INVITE',
  'UPDATE',
  'REFER',
  'NOTIFY',
  'MESSAGE',
  'OPTIONS',
  'PRACK',
  'SUBSCRIBE',
];

export function isSipMethod(name: string): name is SipMethod {
  return (SIP_METHODS as readonly string[]).includes(name);
}
