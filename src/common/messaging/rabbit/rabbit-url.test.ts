// Parsing of oslo-style RabbitMQ transport URLs.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { InvalidTransportUrl } from '../errors.js';
import { describeRabbitHost, parseRabbitUrl } from './rabbit-url.js';

it('reads one host with credentials and the default vhost', () => {
  assert.deepEqual(parseRabbitUrl('rabbit://guest:guest@127.0.0.1:5672/'), {
    hosts: [{ protocol: 'amqp', hostname: '127.0.0.1', port: 5672, username: 'guest', password: 'guest' }],
    vhost: '/',
  });
});

it('reads several hosts, encoded credentials, a vhost and ssl', () => {
  const url = parseRabbitUrl('rabbit://u%40x:p%2Fw@mq1,other:secret@[::1]:5673/open%2Fstack?ssl=1');
  assert.deepEqual(url, {
    hosts: [
      { protocol: 'amqps', hostname: 'mq1', port: 5671, username: 'u@x', password: 'p/w' },
      { protocol: 'amqps', hostname: '::1', port: 5673, username: 'other', password: 'secret' },
    ],
    vhost: 'open/stack',
  });
  assert.equal(describeRabbitHost(url.hosts[1]!, url.vhost), 'amqps://other@[::1]:5673/open%2Fstack');
});

it('defaults to guest without credentials', () => {
  assert.deepEqual(parseRabbitUrl('amqp://broker').hosts[0], { protocol: 'amqp', hostname: 'broker', port: 5672, username: 'guest', password: 'guest' });
});

it('refuses other schemes and bad hosts without echoing the password', () => {
  assert.throws(() => parseRabbitUrl('kafka://broker:9092'), InvalidTransportUrl);
  assert.throws(() => parseRabbitUrl('rabbit://user:topsecret@host:port/'), (error: unknown) => {
    assert.ok(error instanceof InvalidTransportUrl);
    assert.doesNotMatch(error.message, /topsecret/);
    return true;
  });
});
