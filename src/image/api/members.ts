// /v2/images/{id}/members and /v2/images/{id}/members/{member_id} (glance/api/v2/image_members.py).
// Glance answers a created member with 200, not 201.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireAuth } from '../../common/auth/index.js';
import { BadRequest } from '../../common/errors/index.js';
import type { ImageManager } from '../images/index.js';
import type { MemberStatus } from '../model.js';
import { MEMBER_STATUSES } from '../model.js';
import { imageTarget } from './common.js';
import type { Authorizer } from './common.js';
import { memberView } from './views.js';

export interface MemberRouteDeps {
  /** Checks Glance's named policy rules (imagePolicies) against the image as target. */
  readonly policy: Authorizer;
  /** Visibility, ownership and state rules; every read and change goes through it. */
  readonly images: ImageManager;
}

type ImageParams = { readonly image_id: string };
type MemberParams = ImageParams & { readonly member_id: string };

function bodyString(request: FastifyRequest, key: string, missing: string): string {
  const body = request.body;
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[key] : undefined;
  if (typeof body !== 'object' || body === null) throw new BadRequest('Body expected in request.');
  if (value === undefined) throw new BadRequest(missing);
  if (value === '' || value === null) throw new BadRequest("Member can't be empty");
  if (typeof value !== 'string' || value.length > 255) throw new BadRequest(`Invalid ${key}: ${JSON.stringify(value)}`);
  return value;
}

/** Finds the image (404 when invisible) and checks `action` on it. */
async function authorizeOnImage(deps: MemberRouteDeps, request: FastifyRequest<{ Params: ImageParams }>, action: string) {
  const context = requireAuth(request);
  const image = await deps.images.getImage(context, request.params.image_id);
  deps.policy.authorize(action, { ...imageTarget(image), member_id: (request.params as Partial<MemberParams>).member_id ?? null }, context);
  return { context, image };
}

export function registerMemberRoutes(app: FastifyInstance, deps: MemberRouteDeps): void {
  app.post<{ Params: ImageParams }>('/v2/images/:image_id/members', async (request) => {
    const { context, image } = await authorizeOnImage(deps, request, 'add_member');
    const memberId = bodyString(request, 'member', 'Member to be added not specified');
    return memberView(await deps.images.addMember(context, image.id, memberId));
  });

  app.get<{ Params: ImageParams }>('/v2/images/:image_id/members', async (request) => {
    const { context, image } = await authorizeOnImage(deps, request, 'get_members');
    const members = await deps.images.listMembers(context, image.id);
    return { members: members.map(memberView), schema: '/v2/schemas/members' };
  });

  app.get<{ Params: MemberParams }>('/v2/images/:image_id/members/:member_id', async (request) => {
    const { context, image } = await authorizeOnImage(deps, request, 'get_member');
    return memberView(await deps.images.getMember(context, image.id, request.params.member_id));
  });

  app.put<{ Params: MemberParams }>('/v2/images/:image_id/members/:member_id', async (request) => {
    const { context, image } = await authorizeOnImage(deps, request, 'modify_member');
    const status = bodyString(request, 'status', 'Status not specified');
    if (!MEMBER_STATUSES.includes(status as MemberStatus)) {
      throw new BadRequest('Incorrect request: Status must be "pending", "accepted" or "rejected".');
    }
    return memberView(await deps.images.updateMember(context, image.id, request.params.member_id, status as MemberStatus));
  });

  app.delete<{ Params: MemberParams }>('/v2/images/:image_id/members/:member_id', async (request, reply) => {
    const { context, image } = await authorizeOnImage(deps, request, 'delete_member');
    await deps.images.deleteMember(context, image.id, request.params.member_id);
    return reply.status(204).send();
  });
}
