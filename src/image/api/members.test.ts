// Image members and tags through the HTTP stack: sharing, accepting, listing and tagging.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { registerImageRoutes } from './images.js';
import { registerMemberRoutes } from './members.js';
import { registerTagRoutes } from './tags.js';
import { TEST_TOKENS, buildTestApp, testAuthorizer, testImageManager } from './testing.js';

const ALICE: Record<string, string> = { 'x-auth-token': TEST_TOKENS.alice.token };
const BOB: Record<string, string> = { 'x-auth-token': TEST_TOKENS.bob.token };
const CAROL: Record<string, string> = { 'x-auth-token': TEST_TOKENS.carol.token };

async function setup(): Promise<FastifyInstance> {
  const images = await testImageManager();
  const policy = testAuthorizer();
  return buildTestApp((app) => {
    registerImageRoutes(app, { policy, images });
    registerMemberRoutes(app, { policy, images });
    registerTagRoutes(app, { policy, images });
  });
}

describe('/v2/images/{id}/members', () => {
  let app: FastifyInstance;
  let imageId: string;
  before(async () => {
    app = await setup();
    imageId = (await app.inject({ method: 'POST', url: '/v2/images', headers: ALICE, payload: { name: 'shared' } })).json().id;
  });
  const members = (headers: Record<string, string>, method: 'GET' | 'POST' = 'GET', payload?: object) =>
    app.inject({ method, url: `/v2/images/${imageId}/members`, headers, ...(payload ? { payload } : {}) });
  const member = (id: string, headers: Record<string, string>, method: 'GET' | 'PUT' | 'DELETE' = 'GET', payload?: object) =>
    app.inject({ method, url: `/v2/images/${imageId}/members/${id}`, headers, ...(payload ? { payload } : {}) });
  const listNames = async (headers: Record<string, string>, query = '') =>
    (await app.inject({ url: `/v2/images${query}`, headers })).json().images.map((i: { name: string }) => i.name);

  it('words bad member bodies as Glance does', async () => {
    const said = async (response: Promise<{ statusCode: number; body: string }>) => {
      const res = await response;
      assert.equal(res.statusCode, 400, res.body);
      return res.body.split('\n')[2];
    };
    assert.equal(await said(members(ALICE, 'POST', {})), 'Member to be added not specified');
    assert.equal(await said(members(ALICE, 'POST', { member: '' })), "Member can't be empty");
    assert.equal(await said(members(ALICE, 'POST', { member: null })), "Member can't be empty");
    assert.equal(await said(members(ALICE, 'POST', { member: 5 })), 'Invalid member: 5');
    assert.equal(await said(members(ALICE, 'POST', { member: 'p'.repeat(256) })), `Invalid member: "${'p'.repeat(256)}"`);
    assert.equal(await said(members(ALICE, 'POST', ['project-b'])), 'Body expected in request.');
    assert.equal(await said(member('project-b', BOB, 'PUT', {})), 'Status not specified');
    assert.equal(await said(member('project-b', BOB, 'PUT', { status: 'maybe' })), 'Incorrect request: Status must be "pending", "accepted" or "rejected".');
  });

  it('shares an image and lets the member accept it', async () => {
    const added = await members(ALICE, 'POST', { member: 'project-b' });
    assert.equal(added.statusCode, 200);
    assert.deepEqual({ ...(added.json() as Record<string, unknown>), created_at: 'c', updated_at: 'u' }, {
      image_id: imageId, member_id: 'project-b', status: 'pending', created_at: 'c', updated_at: 'u', schema: '/v2/schemas/member',
    });
    assert.equal((await members(ALICE, 'POST', { member: 'project-b' })).statusCode, 409);
    assert.equal((await members(ALICE, 'POST', {})).statusCode, 400);
    assert.equal((await app.inject({ url: `/v2/images/${imageId}`, headers: BOB })).statusCode, 200);
    assert.deepEqual(await listNames(BOB), []);
    assert.deepEqual(await listNames(BOB, '?member_status=pending'), ['shared']);
    assert.equal((await member('project-b', ALICE, 'PUT', { status: 'accepted' })).statusCode, 403);
    assert.equal((await member('project-b', BOB, 'PUT', { status: 'maybe' })).statusCode, 400);
    const accepted = await member('project-b', BOB, 'PUT', { status: 'accepted' });
    assert.equal(accepted.statusCode, 200);
    assert.equal(accepted.json().status, 'accepted');
    assert.deepEqual(await listNames(BOB), ['shared']);
  });

  it('lists members for the owner, and only their own for a member', async () => {
    await members(ALICE, 'POST', { member: 'project-z' });
    const all = (await members(ALICE)).json();
    assert.equal(all.schema, '/v2/schemas/members');
    assert.deepEqual(all.members.map((m: { member_id: string }) => m.member_id), ['project-b', 'project-z']);
    assert.deepEqual((await members(BOB)).json().members.map((m: { member_id: string }) => m.member_id), ['project-b']);
    assert.equal((await members(CAROL)).statusCode, 404);
    assert.equal((await member('project-z', BOB)).statusCode, 404);
    assert.equal((await member('project-b', BOB)).json().status, 'accepted');
  });

  it('refuses members who are not the owner, and members of non-shared images', async () => {
    assert.equal((await members(BOB, 'POST', { member: 'project-c' })).statusCode, 403);
    assert.equal((await member('project-b', BOB, 'DELETE')).statusCode, 403);
    const priv = (await app.inject({ method: 'POST', url: '/v2/images', headers: ALICE, payload: { visibility: 'private' } })).json().id;
    const res = await app.inject({ method: 'POST', url: `/v2/images/${priv}/members`, headers: ALICE, payload: { member: 'project-b' } });
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /Only shared images have members\./);
  });

  it('deletes a member (204), after which the image is invisible to it', async () => {
    assert.equal((await member('project-b', ALICE, 'DELETE')).statusCode, 204);
    assert.equal((await member('project-b', ALICE, 'DELETE')).statusCode, 404);
    assert.equal((await app.inject({ url: `/v2/images/${imageId}`, headers: BOB })).statusCode, 404);
  });
});

describe('/v2/images/{id}/tags/{tag}', () => {
  let app: FastifyInstance;
  before(async () => { app = await setup(); });

  it('adds and deletes tags (204), with 404 for missing tags and images and 403 for non-owners', async () => {
    const id = (await app.inject({ method: 'POST', url: '/v2/images', headers: ALICE, payload: { visibility: 'community' } })).json().id;
    const tag = (method: 'PUT' | 'DELETE', value: string, headers = ALICE, image = id) =>
      app.inject({ method, url: `/v2/images/${image}/tags/${encodeURIComponent(value)}`, headers });
    assert.equal((await tag('PUT', 'web server')).statusCode, 204);
    assert.equal((await tag('PUT', 'web server')).statusCode, 204);
    assert.equal((await tag('PUT', 'db')).statusCode, 204);
    assert.deepEqual((await app.inject({ url: `/v2/images/${id}`, headers: ALICE })).json().tags, ['db', 'web server']);
    assert.equal((await tag('DELETE', 'db')).statusCode, 204);
    assert.equal((await tag('DELETE', 'db')).statusCode, 404);
    assert.equal((await tag('PUT', 'x', BOB)).statusCode, 403);
    assert.equal((await tag('PUT', 'x', ALICE, '00000000-0000-4000-8000-000000000000')).statusCode, 404);
    assert.equal((await tag('PUT', 'x'.repeat(256))).statusCode, 400);
  });
});
