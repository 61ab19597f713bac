// Where a message goes, or what a server or listener answers to. Mirrors
// oslo_messaging/target.py, including its version compatibility rule.

/**
 * Names a destination on the bus. Which fields matter depends on who holds it:
 *
 * | field    | RpcClient                         | RpcServer                     | Notifier / NotificationListener |
 * |----------|-----------------------------------|-------------------------------|---------------------------------|
 * | topic    | required                          | required                      | required (`notifications`)      |
 * | server   | send to that one server           | also answer to `topic.server` | ignored                         |
 * | fanout   | casts go to every server          | ignored                       | ignored                         |
 * | exchange | overrides the control exchange    | same                          | same                            |
 * | version  | version the message requires      | highest version implemented   | ignored                         |
 */
export interface Target {
  /** Group of servers doing one job (`conductor`, `compute`, `scheduler`), or a notification topic. */
  readonly topic: string;
  /** One host within the topic (`compute.host-1`); a server always answers to its own name too. */
  readonly server?: string;
  /** Client only: cast to every server listening on the topic. A call cannot be fanned out. */
  readonly fanout?: boolean;
  /** AMQP exchange; the transport's control exchange (`tstack` by default) when absent. */
  readonly exchange?: string;
  /**
   * `major.minor`. A client sends it with each message; a server accepts a message whose major
   * equals its own and whose minor is not higher. A server without a version accepts any.
   */
  readonly version?: string;
}

/** True when a server implementing `implemented` can handle a message that requires `requested`. */
export function isCompatibleVersion(requested: string, implemented: string): boolean {
  const [reqMajor, reqMinor] = parseVersion(requested);
  const [implMajor, implMinor] = parseVersion(implemented);
  return reqMajor === implMajor && reqMinor <= implMinor;
}

function parseVersion(version: string): readonly [number, number] {
  const [major = '', minor = '0'] = version.split('.');
  return [Number(major), Number(minor)];
}

/** Short text naming a target in log lines and error messages. */
export function describeTarget(target: Target): string {
  const server = target.server === undefined ? '' : `.${target.server}`;
  const exchange = target.exchange === undefined ? '' : ` in exchange '${target.exchange}'`;
  return `'${target.topic}${server}'${target.fanout === true ? ' (fanout)' : ''}${exchange}`;
}
