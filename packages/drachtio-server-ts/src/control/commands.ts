import {
  LIMITS,
  PROXY_VERSION,
  ProtocolError,
  SUPPORTED_VERSIONS,
  negotiateVersion,
  type CommandMap,
  type CommandName,
  type ProxyNotice,
  type RequestEnvelope,
} from 'drachtio-protocol';
import type { EngineResponse } from '../engine-api';
import { SERVER_VERSION } from '../config/server-version';
import type { AppConnection } from './app-connection';
import type { ControlContext } from './context';
import { secretMatches } from './secret';

type Handler<C extends CommandName> = (
  connection: AppConnection,
  data: CommandMap[C][0],
  rid: string,
) => Promise<CommandMap[C][1] | undefined>;

/**
 * The application-to-engine direction: carries out each command on behalf of the connection
 * that sent it, after checking that the connection owns the transaction or dialog it names.
 * A handler returns the reply data, or undefined when it has replied itself.
 */
export class CommandExecutor {
  private readonly handlers: { [C in CommandName]: Handler<C> };

  constructor(private readonly context: ControlContext) {
    this.handlers = {
      authenticate: (c, d, rid) => this.authenticate(c, d, rid),
      route: async (c, d) => this.route(c, d),
      respond: (c, d) => this.respond(c, d),
      request: (c, d, rid) => this.request(c, d, rid),
      ack: (c, d) => this.ack(c, d),
      cancel: (c, d) => this.cancel(c, d),
      ping: async () => ({}),
      proxy: (c, d, rid) => this.proxy(c, d, rid),
    };
  }

  async execute(connection: AppConnection, envelope: RequestEnvelope): Promise<void> {
    const handler = this.handlers[envelope.command] as Handler<CommandName>;
    try {
      const result = await handler(connection, envelope.data, envelope.rid);
      if (result !== undefined) connection.reply(envelope.rid, result);
    } catch (err) {
      // A ProtocolError (the engine's EngineError is one) names its code; anything else is a failure to send.
      const code = err instanceof ProtocolError ? err.code : 'send-failed';
      const message = (err as Error).message;
      connection.log.info({ command: envelope.command, code, reason: message }, 'command failed');
      connection.replyError(envelope.rid, code, message);
    }
  }

  private async authenticate(
    connection: AppConnection,
    data: CommandMap['authenticate'][0],
    rid: string,
  ): Promise<undefined> {
    if (connection.isAuthenticated)
      throw new ProtocolError('invalid-state', 'already authenticated');
    if (!secretMatches(this.context.options.secret, data.secret)) {
      connection.replyError(rid, 'auth-failed', 'authentication failed: wrong secret');
      connection.close('wrong secret');
      return undefined;
    }
    const version = negotiateVersion(data.versions);
    if (version === undefined) {
      const reason = `unsupported protocol version: offered ${data.versions.join(', ')}; this server speaks ${SUPPORTED_VERSIONS.join(', ')}`;
      connection.replyError(rid, 'unsupported-version', reason);
      connection.close(reason);
      return undefined;
    }
    connection.markAuthenticated(data.appName, version);
    if (data.appName) this.context.apps.add(data.appName, connection);
    const contacts = [...this.context.engine.contacts];
    connection.log.info({ version }, 'application authenticated');
    connection.reply<'authenticate'>(rid, {
      version,
      hostport: contacts.length > 0 ? hostportOf(contacts[0]) : '',
      contacts,
      serverVersion: SERVER_VERSION,
    });
    return undefined;
  }

  private route(connection: AppConnection, data: CommandMap['route'][0]): Record<string, never> {
    const verbs = data.verbs.map((verb) => verb.toUpperCase());
    const added = verbs.filter((verb) => !connection.verbs.has(verb));
    if (connection.verbs.size + new Set(added).size > LIMITS.verbs) {
      throw new ProtocolError(
        'invalid-argument',
        `a connection may register at most ${LIMITS.verbs} verbs`,
      );
    }
    for (const verb of verbs) {
      connection.verbs.add(verb);
      this.context.routes.add(verb, connection);
    }
    connection.log.info({ verbs: [...connection.verbs] }, 'routes registered');
    return {};
  }

  private async respond(connection: AppConnection, data: CommandMap['respond'][0]) {
    const { affinity, engine } = this.context;
    if (affinity.serverTransactionOwner(data.transactionId) !== connection) {
      throw new ProtocolError(
        'unknown-transaction',
        `no request with transactionId '${data.transactionId}' is waiting for this application`,
      );
    }
    const result = await engine.respond(data);
    affinity.responded(data.transactionId, data.status);
    if (result.dialogId && connection.isOpen) affinity.setDialogOwner(result.dialogId, connection);
    return result;
  }

  private async request(
    connection: AppConnection,
    data: CommandMap['request'][0],
    rid: string,
  ): Promise<undefined> {
    const { affinity, engine } = this.context;
    if (data.dialogId) this.claimDialog(connection, data.dialogId);
    // Stricter than ack/cancel: only the sender may have its challenged request re-sent.
    if (
      data.retryOf !== undefined &&
      affinity.clientTransactionOwner(data.retryOf) !== connection
    ) {
      throw new ProtocolError(
        'unknown-transaction',
        `no challenged request '${data.retryOf}' of this application`,
      );
    }
    // Responses that arrive before the reply to this command wait, so the application always
    // learns the transactionId before it hears about the transaction.
    let replied = false;
    const early: EngineResponse[] = [];
    const onResponse = (response: EngineResponse) =>
      replied ? this.deliverResponse(connection, response) : early.push(response);
    const result = await engine.request(data, onResponse, connection.requestOptions);
    affinity.addClientTransaction(result.transactionId, connection, result.callId);
    connection.reply<'request'>(rid, result);
    replied = true;
    early.forEach((response) => this.deliverResponse(connection, response));
    return undefined;
  }

  private async ack(connection: AppConnection, data: CommandMap['ack'][0]) {
    this.checkClientTransaction(connection, data.transactionId);
    return this.context.engine.ack(data);
  }

  private async cancel(connection: AppConnection, data: CommandMap['cancel'][0]) {
    this.checkClientTransaction(connection, data.transactionId);
    return this.context.engine.cancel(data);
  }

  /** Version 2: the engine proxies the request; its outcome comes back as a `proxy` notice. */
  private async proxy(
    connection: AppConnection,
    data: CommandMap['proxy'][0],
    rid: string,
  ): Promise<undefined> {
    if ((connection.version ?? 1) < PROXY_VERSION)
      throw new ProtocolError('unknown-command', `'proxy' needs protocol version ${PROXY_VERSION}`);
    const { affinity, engine } = this.context;
    if (affinity.serverTransactionOwner(data.transactionId) !== connection) {
      throw new ProtocolError(
        'unknown-transaction',
        `no request with transactionId '${data.transactionId}' is waiting for this application`,
      );
    }
    // The outcome may be known at once (a loop gets 482): it waits for the reply, as responses do.
    let replied = false;
    let early: ProxyNotice | undefined;
    const deliver = (notice: ProxyNotice) =>
      connection.isOpen && connection.notify('proxy', notice);
    await engine.proxy(data, (notice) => (replied ? deliver(notice) : (early = notice)));
    // The engine answers it from now on: nothing about it is routed to the application any more.
    affinity.responded(data.transactionId, 200);
    connection.reply<'proxy'>(rid, {});
    replied = true;
    if (early) deliver(early);
    return undefined;
  }

  private deliverResponse(connection: AppConnection, response: EngineResponse): void {
    if (!connection.isOpen) return;
    if (response.dialogId && !this.context.affinity.hasDialog(response.dialogId)) {
      this.context.affinity.setDialogOwner(response.dialogId, connection);
    }
    connection.notify(
      'response',
      {
        transactionId: response.transactionId,
        dialogId: response.dialogId,
        source: response.source,
        receivedAt: response.receivedAt,
      },
      response.raw,
    );
  }

  /**
   * A connection may act in its own dialogs, and in those of its appName (the instances of one
   * application share their dialogs); acting in an orphaned one makes it the owner.
   */
  private claimDialog(connection: AppConnection, dialogId: string): void {
    const { affinity } = this.context;
    const dialog = affinity.dialogOwnership(dialogId);
    // Unknown here: the engine decides (and reports unknown-dialog).
    if (!dialog || dialog.owner === connection) return;
    const sameApp = dialog.appName !== undefined && dialog.appName === connection.appName;
    if (!sameApp)
      throw new ProtocolError(
        'unknown-dialog',
        `dialog '${dialogId}' belongs to another application`,
      );
    if (!dialog.owner?.isOpen) affinity.setDialogOwner(dialogId, connection);
  }

  /** The engine may already have forgotten a finished transaction; another connection's is refused here. */
  private checkClientTransaction(connection: AppConnection, transactionId: string): void {
    const owner = this.context.affinity.clientTransactionOwner(transactionId);
    if (owner && owner !== connection) {
      throw new ProtocolError(
        'unknown-transaction',
        `transaction '${transactionId}' was not sent by this application`,
      );
    }
  }
}

/** "sip:127.0.0.1:5060;transport=udp" -> "127.0.0.1:5060", as the seed's connect callback reports it. */
function hostportOf(contact: string): string {
  return contact.replace(/^sips?:/i, '').split(';')[0];
}
