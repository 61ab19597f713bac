// Calls waiting for their reply, keyed by msg_id: the correlation both transports use
// (oslo_messaging/_drivers/amqpdriver.py ReplyWaiters). Owns each call's timeout.

import { MessagingTimeout } from './errors.js';
import { withDeadline } from './io.js';
import type { Deadline } from './io.js';
import type { RpcReply } from './transport.js';

interface PendingCall {
  readonly description: string;
  readonly resolve: (reply: RpcReply) => void;
  readonly reject: (error: unknown) => void;
}

export class ReplyWaiters {
  private readonly pending = new Map<string, PendingCall>();

  /**
   * Waits for the reply to `msgId`. Register before sending, since a reply can beat the send's
   * own promise. `description` names the call in errors ("'ping' on 'conductor'").
   */
  wait(msgId: string, deadline: Deadline, description: string): Promise<RpcReply> {
    const reply = new Promise<RpcReply>((resolve, reject) => {
      this.pending.set(msgId, { description, resolve, reject });
    });
    const timeout = (): Error =>
      new MessagingTimeout(`Timed out after ${deadline.timeoutMs} ms waiting for a reply to ${description} (msg_id ${msgId})`);
    return withDeadline(reply, deadline, timeout).finally(() => this.pending.delete(msgId));
  }

  /** Hands a reply to its caller; false when nobody waits for it any more (timed out). */
  deliver(msgId: string, reply: RpcReply): boolean {
    const call = this.pending.get(msgId);
    call?.resolve(reply);
    return call !== undefined;
  }

  /** Fails one waiting call, e.g. because its request could not be sent. */
  fail(msgId: string, error: unknown): void {
    this.pending.get(msgId)?.reject(error);
  }

  /** Fails every waiting call with the error `makeError` builds from the call's description. */
  failAll(makeError: (description: string, msgId: string) => Error): void {
    for (const [msgId, call] of this.pending) call.reject(makeError(call.description, msgId));
  }

  get size(): number {
    return this.pending.size;
  }
}
