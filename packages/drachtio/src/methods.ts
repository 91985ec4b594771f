import { SIP_METHODS, type SipMethod } from 'drachtio-sip';

/** A SIP method as `app[verb]` and `app.uac[verb]` spell it. */
export type Verb = Lowercase<SipMethod>;

/** The SIP methods an application can receive (`app[verb]`) and send (`app.uac[verb]`): drachtio-sip's, lower case. */
export const METHODS: readonly Verb[] = SIP_METHODS.map((method) => method.toLowerCase() as Verb);
