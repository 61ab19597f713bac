// Schema documents and version discovery, as glanceclient and openstacksdk read them.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { registerSchemaRoutes } from './schemas.js';
import { TEST_TOKENS, buildTestApp } from './testing.js';
import { registerVersionRoutes } from './versions.js';

const ALICE = { 'x-auth-token': TEST_TOKENS.alice.token };

describe('schemas and versions', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await buildTestApp((a) => { registerSchemaRoutes(a); registerVersionRoutes(a); });
  });

  it('serves the image schema with typed core properties and string extra properties', async () => {
    const res = await app.inject({ url: '/v2/schemas/image', headers: ALICE });
    assert.equal(res.statusCode, 200);
    const schema = res.json();
    assert.equal(schema.name, 'image');
    assert.deepEqual(schema.additionalProperties, { type: 'string' });
    assert.deepEqual(schema.properties.disk_format.enum, [null, 'ami', 'ari', 'aki', 'vhd', 'vhdx', 'vmdk', 'raw', 'qcow2', 'vdi', 'iso', 'ploop']);
    assert.deepEqual(schema.properties.container_format.enum, [null, 'ami', 'ari', 'aki', 'bare', 'ovf', 'ova', 'docker', 'compressed']);
    assert.equal(schema.properties.status.readOnly, true);
    assert.deepEqual(schema.properties.min_ram, { type: 'integer', description: 'Amount of ram (in MB) required to boot image.' });
    assert.deepEqual(schema.links.map((l: { rel: string }) => l.rel), ['self', 'enclosure', 'describedby']);
  });

  it('serves the images, member and members schemas', async () => {
    const images = (await app.inject({ url: '/v2/schemas/images', headers: ALICE })).json();
    assert.equal(images.properties.images.items.name, 'image');
    const member = (await app.inject({ url: '/v2/schemas/member', headers: ALICE })).json();
    assert.deepEqual(member.properties.status.enum, ['pending', 'accepted', 'rejected']);
    assert.equal(member.additionalProperties, false);
    const members = (await app.inject({ url: '/v2/schemas/members', headers: ALICE })).json();
    assert.equal(members.properties.members.items.name, 'member');
    assert.equal((await app.inject({ url: '/v2/schemas/image' })).statusCode, 401);
  });

  it('lists versions without a token: 300 on / and 200 on /versions', async () => {
    const root = await app.inject({ url: '/' });
    assert.equal(root.statusCode, 300);
    const versions = root.json().versions;
    assert.equal(versions.length, 17);
    assert.deepEqual(versions[0], { id: 'v2.16', status: 'CURRENT', links: [{ rel: 'self', href: 'http://localhost:80/v2/' }] });
    assert.equal(versions[16].id, 'v2.0');
    assert.equal((await app.inject({ url: '/versions' })).statusCode, 200);
    assert.equal((await app.inject({ url: '/v2/' })).statusCode, 300);
  });
});
