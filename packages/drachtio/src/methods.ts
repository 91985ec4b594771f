/** The SIP methods an application can receive (`app[verb]`) and send (`app.uac[verb]`). */
export const METHODS = [
  'invite',
  'register',
  'bye',
  'cancel',
  'options',
  'info',
  'message',
  'notify',
  'subscribe',
  'publish',
  'refer',
  'update',
  'prack',
  'ack',
] as const;

export type Verb = (typeof METHODS)[number];

export function isVerb(name: string): name is Verb {
  return (METHODS as readonly string[]).includes(name.toLowerCase());
}
