// Choosing a transport from its URL.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createTransport } from './create-transport.js';
import { InvalidTransportUrl } from './errors.js';
import { InProcessTransport } from './in-process/index.js';
import { RabbitTransport } from './rabbit/index.js';

it('builds the transport the URL names, without connecting yet', async () => {
  const transports = [
    createTransport('inprocess://'),
    createTransport('fake://'),
    createTransport('rabbit://guest:guest@127.0.0.1:1/'),
    createTransport('amqp://broker/'),
  ];
  assert.deepEqual(transports.map((transport) => transport.constructor), [InProcessTransport, InProcessTransport, RabbitTransport, RabbitTransport]);
  await Promise.all(transports.map((transport) => transport.close()));
});

it('refuses unknown schemes without echoing the password', () => {
  assert.throws(() => createTransport('kafka://user:topsecret@broker:9092'), (error: unknown) => {
    assert.ok(error instanceof InvalidTransportUrl);
    assert.doesNotMatch(error.message, /topsecret/);
    return true;
  });
  assert.throws(() => createTransport('no scheme at all'), InvalidTransportUrl);
});
