/**
 * The user-agent core put together: the two dispatchers (UAC, UAS) and the usages they hand
 * messages to. Session timers, reliable provisionals and the INVITE usage send the engine's own
 * in-dialog requests (PRACK, refreshes, BYE) through the request sender.
 */
import type { UserAgentCore } from './core';
import { ClientTransactions } from './client/client-transactions';
import { RequestSender } from './client/request-sender';
import type { Dialog } from './dialog/dialog';
import { InviteClient } from './invite/invite-client';
import { InviteServer } from './invite/invite-server';
import { ProxyCore } from './proxy/proxy-core';
import { ReliableProvisionals } from './reliable-provisional/reliable-provisionals';
import { SessionTimers } from './session-timer/session-timers';
import { Subscriptions } from './subscription/subscriptions';
import { UserAgentClient } from './user-agent-client';
import { UserAgentServer } from './user-agent-server';

export class UserAgent {
  readonly client: UserAgentClient;
  readonly server: UserAgentServer;
  readonly proxy: ProxyCore;
  private readonly sender: RequestSender;

  constructor(private readonly core: UserAgentCore) {
    const internal = {
      sendInternal: (dialog: Dialog, method: string, lines: string[], body?: string) =>
        void this.sender.sendInternal(dialog, method, lines, body),
    };
    this.client = new UserAgentClient(core);
    this.proxy = new ProxyCore(core);
    const clients = new ClientTransactions(core, this.client);
    const subscriptions = new Subscriptions(core);
    this.sender = new RequestSender(core, clients, subscriptions);
    const reliable = new ReliableProvisionals(core, internal);
    const sessions = new SessionTimers(
      {
        logger: core.logger,
        sendInDialog: internal.sendInternal,
        endDialog: (dialog, reason) => core.dialogs.end(dialog, reason),
      },
      core.limits.minSE,
    );
    const invites = new InviteClient(core, clients, reliable, internal);
    this.client.attach(this.sender, { invites, subscriptions, sessions, proxy: this.proxy });
    this.server = new UserAgentServer(core, {
      invites: new InviteServer(core, internal),
      reliable,
      subscriptions,
      sessions,
      proxy: this.proxy,
    });
  }

  /** Engine shutdown: every transaction ends now, and no challenged request waits for a retry. */
  stop(): void {
    this.core.transactions.terminateAll();
    this.sender.challenged.clear();
  }
}
