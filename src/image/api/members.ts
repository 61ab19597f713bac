// /v2/images/{id}/members and /v2/images/{id}/members/{member_id} (glance/api/v2/image_members.py).
// Glance answers a created member with 200, not 201.

import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { requireAuth } from '../../common/auth/index.js';
import { Enum } from '../../common/http/index.js';
import type { ApiServer } from '../../common/http/index.js';
import type { ImageManager } from '../images/index.js';
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

const imageParams = Type.Object({ image_id: Type.String() });
const memberParams = Type.Object({ image_id: Type.String(), member_id: Type.String() });
type ImageParams = { readonly image_id: string };
type MemberParams = ImageParams & { readonly member_id: string };

/** A member (project) id, worded as glance/api/v2/image_members.py refuses one. */
const memberId = Type.Unsafe<string>({
  type: ['string', 'null'], minLength: 1, maxLength: 255, not: { type: 'null' },
  errorMessage: { type: 'Invalid member: {value}', maxLength: 'Invalid member: {value}', minLength: "Member can't be empty", not: "Member can't be empty" },
});
const addMemberBody = Type.Object({ member: memberId }, {
  errorMessage: { type: 'Body expected in request.', required: 'Member to be added not specified' },
});
const updateMemberBody = Type.Object({
  status: Enum(MEMBER_STATUSES, { errorMessage: 'Incorrect request: Status must be "pending", "accepted" or "rejected".' }),
}, { errorMessage: { type: 'Body expected in request.', required: 'Status not specified' } });

/** Finds the image (404 when invisible) and checks `action` on it. */
async function authorizeOnImage(deps: MemberRouteDeps, request: FastifyRequest<{ Params: ImageParams }>, action: string) {
  const context = requireAuth(request);
  const image = await deps.images.getImage(context, request.params.image_id);
  deps.policy.authorize(action, { ...imageTarget(image), member_id: (request.params as Partial<MemberParams>).member_id ?? null }, context);
  return { context, image };
}

export function registerMemberRoutes(app: ApiServer, deps: MemberRouteDeps): void {
  app.post('/v2/images/:image_id/members', { schema: { params: imageParams, body: addMemberBody } }, async (request) => {
    const { context, image } = await authorizeOnImage(deps, request, 'add_member');
    return memberView(await deps.images.addMember(context, image.id, request.body.member));
  });

  app.get('/v2/images/:image_id/members', { schema: { params: imageParams } }, async (request) => {
    const { context, image } = await authorizeOnImage(deps, request, 'get_members');
    const members = await deps.images.listMembers(context, image.id);
    return { members: members.map(memberView), schema: '/v2/schemas/members' };
  });

  app.get('/v2/images/:image_id/members/:member_id', { schema: { params: memberParams } }, async (request) => {
    const { context, image } = await authorizeOnImage(deps, request, 'get_member');
    return memberView(await deps.images.getMember(context, image.id, request.params.member_id));
  });

  app.put('/v2/images/:image_id/members/:member_id', { schema: { params: memberParams, body: updateMemberBody } }, async (request) => {
    const { context, image } = await authorizeOnImage(deps, request, 'modify_member');
    return memberView(await deps.images.updateMember(context, image.id, request.params.member_id, request.body.status));
  });

  app.delete('/v2/images/:image_id/members/:member_id', { schema: { params: memberParams } }, async (request, reply) => {
    const { context, image } = await authorizeOnImage(deps, request, 'delete_member');
    await deps.images.deleteMember(context, image.id, request.params.member_id);
    return reply.status(204).send();
  });
}
