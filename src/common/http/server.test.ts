// The shared HTTP server: request ids, error rendering, malformed bodies, unknown routes, 500s.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { Conflict } from '../errors/index.js';
import { createLogger } from '../log/index.js';
import { MAX_JSON_DEPTH, createHttpServer } from './server.js';
import { keystoneErrorBody } from './error-bodies.js';

function app() {
  const server = createHttpServer({ logger: createLogger({ service: 'test', level: 'silent' }), renderError: (e) => keystoneErrorBody(e) });
  server.post('/things', { schema: { body: { type: 'object', required: ['thing'], properties: { thing: { type: 'object', properties: { size: { type: 'integer' } } } } } } }, async () => ({ ok: true }));
  server.get('/conflict', async () => { throw new Conflict('already there'); });
  server.get('/boom', async () => { throw new Error('secret internals'); });
  server.post('/echo', async (request) => ({ got: request.body ?? null }));
  server.get('/things/:id', async (request) => request.params);
  return server;
}

const KEYSTONE_ERROR = { error: { code: Number, title: String, message: String } };

function assertKeystoneError(status: number, body: string, expected: number): void {
  assert.equal(status, expected, body);
  const parsed = JSON.parse(body) as { error: Record<string, unknown> };
  assert.deepEqual(Object.keys(parsed), Object.keys(KEYSTONE_ERROR));
  assert.equal(parsed.error.code, expected);
  assert.equal(typeof parsed.error.title, 'string');
  assert.equal(typeof parsed.error.message, 'string');
}

/** Sends raw bytes to a listening server and resolves with everything it answers. */
async function rawExchange(address: string, request: string): Promise<{ status: number; headers: string; body: string }> {
  const { hostname, port } = new URL(address);
  const socket = connect({ host: hostname, port: Number(port) });
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.write(request);
  await new Promise<void>((resolve, reject) => { socket.on('close', () => resolve()); socket.on('error', reject); });
  const text = Buffer.concat(chunks).toString('utf8');
  const [head = '', ...rest] = text.split('\r\n\r\n');
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), headers: head, body: rest.join('\r\n\r\n') };
}

describe('createHttpServer', () => {
  it('stamps every response with a request id', async () => {
    const response = await app().inject({ method: 'GET', url: '/conflict' });
    assert.match(String(response.headers['x-openstack-request-id']), /^req-[0-9a-f-]{36}$/);
  });
  it('renders domain errors with their status', async () => {
    const response = await app().inject({ method: 'GET', url: '/conflict' });
    assert.equal(response.statusCode, 409);
    assert.deepEqual(response.json(), { error: { code: 409, title: 'Conflict', message: 'already there' } });
  });
  it('answers malformed JSON and schema violations with 400, never coercing types', async () => {
    const server = app();
    const malformed = await server.inject({ method: 'POST', url: '/things', headers: { 'content-type': 'application/json' }, payload: '{"thing":' });
    assert.equal(malformed.statusCode, 400);
    const wrongType = await server.inject({ method: 'POST', url: '/things', payload: { thing: { size: '3' } } });
    assert.equal(wrongType.statusCode, 400);
    assert.match(wrongType.json().error.message, /thing\.size/);
    assert.equal((await server.inject({ method: 'POST', url: '/things', payload: {} })).statusCode, 400);
  });
  it('answers a known path asked with another method with 405 and Allow', async () => {
    const response = await app().inject({ method: 'DELETE', url: '/things' });
    assert.equal(response.statusCode, 405);
    assert.equal(response.headers.allow, 'POST');
    assert.equal(response.json().error.code, 405);
  });
  it('answers unknown routes with 404 and hides the internals of a 500', async () => {
    const server = app();
    assert.equal((await server.inject({ method: 'GET', url: '/nowhere' })).statusCode, 404);
    const boom = await server.inject({ method: 'GET', url: '/boom' });
    assert.equal(boom.statusCode, 500);
    assert.doesNotMatch(boom.body, /secret internals/);
  });

  it(`refuses a JSON body nested deeper than ${MAX_JSON_DEPTH} levels with a 400 in the service's format`, async () => {
    const server = app();
    for (const [open, close] of [['[', ']'], ['{"a":', '}']] as const) {
      const deep = await server.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: open.repeat(10_000) + '1' + close.repeat(10_000) });
      assertKeystoneError(deep.statusCode, deep.body, 400);
      assert.match(deep.json().error.message, /nested more than 32 levels/);
      const justPast = await server.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: open.repeat(MAX_JSON_DEPTH + 1) + '1' + close.repeat(MAX_JSON_DEPTH + 1) });
      assert.equal(justPast.statusCode, 400);
      const atLimit = await server.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: open.repeat(MAX_JSON_DEPTH) + '1' + close.repeat(MAX_JSON_DEPTH) });
      assert.equal(atLimit.statusCode, 200, atLimit.body);
    }
    // Brackets inside strings, escaped quotes included, are text, not nesting.
    const text = JSON.stringify({ s: '['.repeat(100) + '\\"' + '{'.repeat(100) });
    const inString = await server.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: text });
    assert.equal(inString.statusCode, 200, inString.body);
    assert.deepEqual(inString.json().got, JSON.parse(text));
  });

  it('refuses a JSON body that is not valid UTF-8 instead of storing U+FFFD', async () => {
    const server = app();
    const bytes = Buffer.concat([Buffer.from('{"name":"a'), Buffer.from([0xff, 0xfe]), Buffer.from('b"}')]);
    const response = await server.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: bytes });
    assertKeystoneError(response.statusCode, response.body, 400);
    assert.match(response.json().error.message, /UTF-8/);
    const good = await server.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: Buffer.from('{"name":"café ☃"}') });
    assert.deepEqual(good.json(), { got: { name: 'café ☃' } });
  });

  it('renders the router\'s own errors (bad percent-encoding, overlong id) in the service\'s format', async () => {
    const server = app();
    const badUrl = await server.inject({ method: 'GET', url: '/things/%E0%A4%A' });
    assertKeystoneError(badUrl.statusCode, badUrl.body, 400);
    assert.match(String(badUrl.headers['x-openstack-request-id']), /^req-/);
    assert.doesNotMatch(badUrl.body, /FST_ERR/);
    const longId = await server.inject({ method: 'GET', url: `/things/${'x'.repeat(600)}` });
    assertKeystoneError(longId.statusCode, longId.body, 404);
  });

  describe('requests Node\'s HTTP parser refuses, over a real socket', () => {
    async function withListening(run: (address: string) => Promise<void>): Promise<void> {
      const server = app();
      const address = await server.listen({ host: '127.0.0.1', port: 0 });
      try {
        await run(address);
      } finally {
        await server.close();
      }
    }

    it('answers a 16 KB URL in the service\'s format', () => withListening(async (address) => {
      const reply = await rawExchange(address, `GET /things/${'a'.repeat(16 * 1024)} HTTP/1.1\r\nHost: x\r\n\r\n`);
      assertKeystoneError(reply.status, reply.body, 431);
      assert.match(reply.headers, /x-openstack-request-id: req-/);
      assert.doesNotMatch(reply.body, /Client Error/);
    }));

    it('answers a malformed Content-Length in the service\'s format', () => withListening(async (address) => {
      const reply = await rawExchange(address, 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 12abc\r\n\r\n{}');
      assertKeystoneError(reply.status, reply.body, 400);
    }));

    it('answers a malformed chunked body in the service\'s format', () => withListening(async (address) => {
      const reply = await rawExchange(address, 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n');
      assertKeystoneError(reply.status, reply.body, 400);
    }));

    it('answers a bad percent-encoding sent on the wire in the service\'s format', () => withListening(async (address) => {
      const reply = await rawExchange(address, 'GET /things/%zz%E0 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      assertKeystoneError(reply.status, reply.body, 400);
    }));
  });
});
