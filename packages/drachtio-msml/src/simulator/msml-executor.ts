/**
 * The media server's MSML brain: the connections, conferences and dialogs it holds, and what
 * each command does to them. It knows nothing of SIP: requests come in as MSML bodies from a
 * Peer (one SIP dialog with an application) and events go back out through that Peer.
 */
import { document, event as eventElement, result as resultElement } from '../builder/commands';
import { MsmlParseError } from '../errors';
import { parseMessage } from '../parser/read';
import { ResponseCode } from '../response-codes';
import type { MsmlNode } from '../xml/node';
import { RunningDialog, type Values } from './running-dialog';
import { checkCommand, type Violation } from './schema';
import type { SimulatorScript } from './script';

/** One SIP dialog between the media server and an application. */
export interface Peer {
  /** The MSML connection id, `conn:<media server's tag>`. */
  readonly id: string;
  sendEvent(event: MsmlNode): void;
  hangUp(): void;
}

interface Conference {
  id: string;
  /** The peer that created it: conference events go there. */
  owner: string;
  deletewhen: string;
  participants: Set<string>;
}

interface DialogEntry {
  dialog: RunningDialog;
  owner: string;
}

interface Outcome {
  dialogid?: string;
  confid?: string;
}

/** Bounds on what requests from the network can make the simulator hold. */
export const MAX_CONFERENCES = 1000;
export const MAX_DIALOGS = 5000;

/** A command that cannot be carried out: the code and why. */
class CommandFailure {
  constructor(readonly violation: Violation) {}
}

export class MsmlExecutor {
  private readonly peers = new Map<string, { peer: Peer; digits: string[] }>();
  private readonly conferences = new Map<string, Conference>();
  private readonly dialogs = new Map<string, DialogEntry>();
  private sequence = 0;

  constructor(private readonly script: SimulatorScript) {}

  attach(peer: Peer): void {
    this.peers.set(peer.id, { peer, digits: [...this.script.digits] });
  }

  /** The peer's SIP dialog ended: its dialogs stop silently, it leaves every conference. */
  detach(peerId: string): void {
    if (!this.peers.delete(peerId)) return;
    for (const [id, entry] of this.dialogs) {
      if (id.startsWith(`${peerId}/`) || entry.owner === peerId) {
        entry.dialog.abandon();
        this.dialogs.delete(id);
      }
    }
    for (const conference of [...this.conferences.values()]) {
      this.leave(conference, peerId);
      if (conference.owner === peerId && conference.deletewhen === 'nocontrol')
        this.destroy(conference);
    }
  }

  participants(confId: string): string[] {
    return [...(this.conferences.get(confId)?.participants ?? [])];
  }

  get conferenceIds(): string[] {
    return [...this.conferences.keys()];
  }

  get dialogIds(): string[] {
    return [...this.dialogs.keys()];
  }

  /** Carry out an MSML request from a peer; returns the `<msml><result>` document to answer with. */
  execute(body: string, from: string): MsmlNode {
    let commands: MsmlNode[];
    try {
      const message = parseMessage(body);
      if (message.kind !== 'request') {
        return reply({
          response: ResponseCode.UNKNOWN_ELEMENT,
          description: `a ${message.kind} is not a request`,
        });
      }
      commands = message.commands;
    } catch (error) {
      if (!(error instanceof MsmlParseError)) throw error;
      return reply({ response: ResponseCode.BAD_REQUEST, description: error.message });
    }
    if (commands.length === 0)
      return reply({ response: ResponseCode.MISSING_ELEMENT_CONTENT, description: 'no command' });

    const done: Outcome = {};
    for (const command of commands) {
      const violation = checkCommand(command);
      try {
        if (violation) throw new CommandFailure(violation);
        Object.assign(done, this.run(command, from));
      } catch (failure) {
        if (!(failure instanceof CommandFailure)) throw failure;
        return reply({ ...failure.violation, mark: command.attributes.mark });
      }
    }
    return reply({ response: ResponseCode.OK, ...done });
  }

  private run(command: MsmlNode, from: string): Outcome {
    const a = command.attributes;
    switch (command.name) {
      case 'dialogstart':
        return this.startDialog(command, from);
      case 'dialogend':
        this.dialog(a.id).dialog.terminate();
        return {};
      case 'send':
        // The only event the simulated dialogs understand from outside is terminate.
        if (a.event === 'terminate') this.dialog(a.target).dialog.terminate();
        else this.dialog(a.target);
        return {};
      case 'createconference':
        return this.createConference(command, from);
      case 'modifyconference':
        this.conference(a.id);
        return {};
      case 'destroyconference':
        this.destroy(this.conference(a.id));
        return {};
      case 'join':
        return this.join(a.id1 ?? '', a.id2 ?? '');
      case 'unjoin':
        return this.unjoin(a.id1 ?? '', a.id2 ?? '');
      default: // modifystream, monitor: the objects must exist; there is no media to change
        this.object(a.id1);
        this.object(a.id2);
        return {};
    }
  }

  private startDialog(command: MsmlNode, from: string): Outcome {
    const target = command.attributes.target ?? '';
    this.object(target);
    const id = `${target}/dialog:${command.attributes.name ?? `d${++this.sequence}`}`;
    if (this.dialogs.has(id))
      throw failure(ResponseCode.OBJECT_ALREADY_EXISTS, `dialog ${id} already exists`);
    if (this.dialogs.size >= MAX_DIALOGS)
      throw failure(ResponseCode.INTERNAL_ERROR, `more than ${MAX_DIALOGS} dialogs`);
    // Digits are keyed on the connection the dialog runs on; on a conference, on the requester's.
    const keyer = this.peers.get(target.startsWith('conn:') ? target : from);
    const dialog = new RunningDialog(id, command.children, {
      script: this.script,
      nextDigits: () => keyer?.digits.shift() ?? '',
      emit: (name, values) => this.notify(from, name, id, values),
      ended: (values, disconnect) => {
        this.dialogs.delete(id);
        this.notify(from, 'msml.dialog.exit', id, values);
        if (disconnect && target.startsWith('conn:')) this.peers.get(target)?.peer.hangUp();
      },
    });
    this.dialogs.set(id, { dialog, owner: from });
    dialog.start();
    return { dialogid: id };
  }

  private createConference(command: MsmlNode, from: string): Outcome {
    const id = `conf:${command.attributes.name ?? `c${++this.sequence}`}`;
    if (this.conferences.has(id))
      throw failure(ResponseCode.OBJECT_ALREADY_EXISTS, `conference ${id} already exists`);
    if (this.conferences.size >= MAX_CONFERENCES)
      throw failure(ResponseCode.INTERNAL_ERROR, `more than ${MAX_CONFERENCES} conferences`);
    this.conferences.set(id, {
      id,
      owner: from,
      deletewhen: command.attributes.deletewhen ?? 'nomedia',
      participants: new Set(),
    });
    return { confid: id };
  }

  private join(id1: string, id2: string): Outcome {
    for (const [conn, conf] of this.bothWays(id1, id2)) {
      if (conn.startsWith('conn:')) this.conferences.get(conf)?.participants.add(conn);
    }
    return {};
  }

  private unjoin(id1: string, id2: string): Outcome {
    for (const [conn, conf] of this.bothWays(id1, id2)) {
      const conference = this.conferences.get(conf);
      if (conference) this.leave(conference, conn);
    }
    return {};
  }

  /** MSML join/unjoin name two existing objects in either order: each may be the connection. */
  private bothWays(id1: string, id2: string): ReadonlyArray<readonly [string, string]> {
    this.object(id1);
    this.object(id2);
    return [
      [id1, id2],
      [id2, id1],
    ];
  }

  /** A participant leaves; a `deletewhen="nomedia"` conference ends with its last one. */
  private leave(conference: Conference, connId: string): void {
    if (!conference.participants.delete(connId)) return;
    if (conference.participants.size === 0 && conference.deletewhen === 'nomedia') {
      this.destroy(conference);
      this.notify(conference.owner, 'msml.conf.nomedia', conference.id, []);
    }
  }

  private destroy(conference: Conference): void {
    this.conferences.delete(conference.id);
    for (const [id, entry] of this.dialogs) {
      if (id.startsWith(`${conference.id}/`)) entry.dialog.terminate();
    }
  }

  private notify(peerId: string, name: string, id: string, values: Values): void {
    this.peers.get(peerId)?.peer.sendEvent(document(eventElement({ name, id, values })));
  }

  private object(id: string | undefined): void {
    if (id?.startsWith('conf:')) this.conference(id);
    else if (!id || !this.peers.has(id))
      throw failure(ResponseCode.OBJECT_DOES_NOT_EXIST, `no such object ${id}`);
  }

  private conference(id: string | undefined): Conference {
    const conference = id === undefined ? undefined : this.conferences.get(id);
    if (!conference) throw failure(ResponseCode.OBJECT_DOES_NOT_EXIST, `no such conference ${id}`);
    return conference;
  }

  private dialog(id: string | undefined): DialogEntry {
    const entry = id === undefined ? undefined : this.dialogs.get(id);
    if (!entry) throw failure(ResponseCode.OBJECT_DOES_NOT_EXIST, `no such dialog ${id}`);
    return entry;
  }
}

function failure(response: number, description: string): CommandFailure {
  return new CommandFailure({ response, description });
}

function reply(options: {
  response: number;
  description?: string;
  mark?: string;
  dialogid?: string;
  confid?: string;
}): MsmlNode {
  return document(resultElement(options));
}
