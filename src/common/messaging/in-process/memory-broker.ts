// An in-memory stand-in for an AMQP broker: named queues bound to (exchange, routing key),
// round-robin delivery among a queue's consumers, buffering while a queue has none. Plays the
// part of FakeExchangeManager in oslo_messaging/_drivers/impl_fake.py.

/** Receives one message body; must not throw. */
export type MemoryConsumer = (body: string) => void;

interface QueuedMessage {
  readonly body: string;
  /** Epoch ms after which nobody wants it (a call's deadline). */
  readonly expiresAt: number | undefined;
}

class MemoryQueue {
  readonly messages: QueuedMessage[] = [];
  readonly consumers: MemoryConsumer[] = [];
  readonly bindingKeys = new Set<string>();
  private next = 0;

  constructor(readonly autoDelete: boolean) {}

  /** Delivers to the next consumer in turn, or keeps the message until one comes. */
  offer(message: QueuedMessage, now: number): void {
    this.messages.push(message);
    this.drain(now);
  }

  drain(now: number): void {
    while (this.consumers.length > 0) {
      const message = this.messages.shift();
      if (message === undefined) return;
      if (message.expiresAt !== undefined && message.expiresAt < now) continue;
      const consumer = this.consumers[this.next % this.consumers.length];
      this.next = (this.next + 1) % this.consumers.length;
      // Delivering on a later microtask, as a socket would, keeps publishers from re-entering consumers.
      if (consumer !== undefined) queueMicrotask(() => consumer(message.body));
    }
  }
}

export class MemoryBroker {
  private readonly queues = new Map<string, MemoryQueue>();
  private readonly bindings = new Map<string, Set<MemoryQueue>>();

  constructor(private readonly now: () => number) {}

  /** Creates the queue unless it exists. An auto-delete queue goes when its last consumer leaves. */
  declareQueue(name: string, options: { readonly autoDelete: boolean }): void {
    if (!this.queues.has(name)) this.queues.set(name, new MemoryQueue(options.autoDelete));
  }

  bind(queueName: string, exchange: string, routingKey: string): void {
    const queue = this.requireQueue(queueName);
    const key = bindingKey(exchange, routingKey);
    const bound = this.bindings.get(key) ?? new Set<MemoryQueue>();
    bound.add(queue);
    this.bindings.set(key, bound);
    queue.bindingKeys.add(key);
  }

  /** Starts delivering the queue's messages to `consumer`; returns a function that stops it. */
  consume(queueName: string, consumer: MemoryConsumer): () => void {
    const queue = this.requireQueue(queueName);
    queue.consumers.push(consumer);
    queue.drain(this.now());
    return () => this.cancel(queueName, queue, consumer);
  }

  /** Copies the message into every queue bound to (exchange, routingKey); unroutable messages vanish. */
  publish(exchange: string, routingKey: string, body: string, expiresAt?: number): void {
    const now = this.now();
    for (const queue of this.bindings.get(bindingKey(exchange, routingKey)) ?? []) queue.offer({ body, expiresAt }, now);
  }

  /** Drops every queue, binding and buffered message. */
  clear(): void {
    this.queues.clear();
    this.bindings.clear();
  }

  private cancel(name: string, queue: MemoryQueue, consumer: MemoryConsumer): void {
    const index = queue.consumers.indexOf(consumer);
    if (index >= 0) queue.consumers.splice(index, 1);
    if (queue.autoDelete && queue.consumers.length === 0) this.deleteQueue(name, queue);
  }

  private deleteQueue(name: string, queue: MemoryQueue): void {
    if (this.queues.get(name) === queue) this.queues.delete(name);
    for (const key of queue.bindingKeys) this.bindings.get(key)?.delete(queue);
  }

  private requireQueue(name: string): MemoryQueue {
    const queue = this.queues.get(name);
    if (queue === undefined) throw new Error(`in-process queue ${name} was never declared`);
    return queue;
  }
}

function bindingKey(exchange: string, routingKey: string): string {
  return `${exchange}\u0000${routingKey}`;
}
