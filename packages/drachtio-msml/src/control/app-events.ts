/**
 * The events drachtio-msml emits on the drachtio application, declared on its types so that
 * `app.on('msml:...', e => ...)` is checked like the core's own events. Media server events are a
 * family named at run time (`msml:dialog:playDone`), declared as template-literal overloads; the
 * `create` events come first because their payload is only the new object.
 */
import type { Conference } from './conference';
import type { Connection } from './connection';
import type { ControlChannel } from './control-channel';
import type { MsmlEventInfo, UnroutedMsmlEvent } from './events';
import type { MediaDialog } from './media-dialog';

type Created<T> = { target: T };

declare module 'drachtio' {
  interface ApplicationEvents {
    'msml:connection:create': [event: Created<Connection>];
    'msml:channel:create': [event: Created<ControlChannel>];
    'msml:dialog:create': [event: Created<MediaDialog>];
    'msml:conference:create': [event: Created<Conference>];
    'msml:event': [event: UnroutedMsmlEvent];
  }
  interface Application {
    on(event: 'msml:dialog:create', listener: (event: Created<MediaDialog>) => void): this;
    on(event: 'msml:conference:create', listener: (event: Created<Conference>) => void): this;
    on(event: `msml:dialog:${string}`, listener: (event: MsmlEventInfo<MediaDialog>) => void): this;
    on(
      event: `msml:conference:${string}`,
      listener: (event: MsmlEventInfo<Conference>) => void,
    ): this;
    once(event: 'msml:dialog:create', listener: (event: Created<MediaDialog>) => void): this;
    once(event: 'msml:conference:create', listener: (event: Created<Conference>) => void): this;
    once(
      event: `msml:dialog:${string}`,
      listener: (event: MsmlEventInfo<MediaDialog>) => void,
    ): this;
    once(
      event: `msml:conference:${string}`,
      listener: (event: MsmlEventInfo<Conference>) => void,
    ): this;
    off(
      event: `msml:dialog:${string}` | `msml:conference:${string}`,
      listener: (event: never) => void,
    ): this;
    emit(event: `msml:dialog:${string}`, info: MsmlEventInfo<MediaDialog>): boolean;
    emit(event: `msml:conference:${string}`, info: MsmlEventInfo<Conference>): boolean;
  }
}
