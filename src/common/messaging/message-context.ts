// The request context dict that travels with every RPC message and notification: the
// to_dict() form of oslo.context's RequestContext, snake_case as on the wire.

import type { JsonValue } from './json.js';

/**
 * Who asked for the work a message carries. Sent as `_context_<key>` fields beside the
 * message (oslo_messaging/_drivers/amqp.py pack_context), handed to endpoints and
 * notification handlers as received. Any extra JSON key travels too.
 */
export interface MessageContext {
  /** Id of the API request that started the work (`req-<uuid>`). */
  readonly request_id?: string;
  /** Id shared by every service the request passed through. */
  readonly global_request_id?: string;
  readonly user_id?: string;
  readonly project_id?: string;
  readonly domain_id?: string;
  readonly user_domain_id?: string;
  readonly project_domain_id?: string;
  /** Role names of the caller. */
  readonly roles?: readonly string[];
  readonly is_admin?: boolean;
  /** The caller's token, when the receiver must act on the caller's behalf. */
  readonly auth_token?: string;
  readonly [key: string]: JsonValue | undefined;
}
