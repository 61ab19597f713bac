// PUT and DELETE /v2/images/{id}/tags/{tag} (glance/api/v2/image_tags.py): guarded by
// modify_image, as in Glance.

import type { FastifyInstance } from 'fastify';
import { requireAuth } from '../../common/auth/index.js';
import type { ImageManager } from '../images/index.js';
import { imageTarget } from './common.js';
import type { Authorizer } from './common.js';

export interface TagRouteDeps {
  /** Checks Glance's named policy rules (imagePolicies) against the image as target. */
  readonly policy: Authorizer;
  /** Visibility, ownership and state rules; every read and change goes through it. */
  readonly images: ImageManager;
}

type TagParams = { readonly image_id: string; readonly tag: string };

export function registerTagRoutes(app: FastifyInstance, deps: TagRouteDeps): void {
  app.put<{ Params: TagParams }>('/v2/images/:image_id/tags/:tag', async (request, reply) => {
    const context = requireAuth(request);
    const image = await deps.images.getImage(context, request.params.image_id);
    deps.policy.authorize('modify_image', imageTarget(image), context);
    await deps.images.addTag(context, image.id, request.params.tag);
    return reply.status(204).send();
  });

  app.delete<{ Params: TagParams }>('/v2/images/:image_id/tags/:tag', async (request, reply) => {
    const context = requireAuth(request);
    const image = await deps.images.getImage(context, request.params.image_id);
    deps.policy.authorize('modify_image', imageTarget(image), context);
    await deps.images.deleteTag(context, image.id, request.params.tag);
    return reply.status(204).send();
  });
}
