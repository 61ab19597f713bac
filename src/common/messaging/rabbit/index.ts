// The RabbitMQ transport (AMQP 0-9-1, oslo.messaging's exchange and queue layout): multi-host.

export { RabbitTransport } from './rabbit-transport.js';
export type { RabbitTransportOptions } from './rabbit-transport.js';
