// The image every new all-in-one cloud starts with, uploaded through the public image API
// with the admin's credentials, as an operator would: the tiny bootable disk of tiny-image.ts.

import { BadRequest } from '../common/errors/index.js';
import { tinyBootableImage } from './tiny-image.js';

export const DEFAULT_IMAGE_NAME = 'tstack-tiny';

interface DefaultImageOptions {
  readonly identityUrl: string;
  readonly imageUrl: string;
  readonly username: string;
  readonly password: string;
  readonly projectName: string;
}

async function expectOk(response: Response, what: string): Promise<Response> {
  if (!response.ok) throw new BadRequest(`${what} failed: ${response.status} ${(await response.text()).slice(0, 300)}`);
  return response;
}

/** Uploads the default image unless an image of that name exists; resolves true when it uploaded it. */
export async function ensureDefaultImage(options: DefaultImageOptions): Promise<boolean> {
  const auth = await expectOk(await fetch(`${options.identityUrl}/auth/tokens?nocatalog`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(30_000),
    body: JSON.stringify({ auth: {
      identity: { methods: ['password'], password: { user: { name: options.username, domain: { id: 'default' }, password: options.password } } },
      scope: { project: { name: options.projectName, domain: { id: 'default' } } },
    } }),
  }), 'authenticating as the admin');
  const headers = { 'x-auth-token': auth.headers.get('x-subject-token') ?? '' };
  const existing = await expectOk(await fetch(`${options.imageUrl}/v2/images?name=${DEFAULT_IMAGE_NAME}`, { headers, signal: AbortSignal.timeout(30_000) }), 'listing images');
  if (((await existing.json()) as { images: unknown[] }).images.length > 0) return false;
  const created = await expectOk(await fetch(`${options.imageUrl}/v2/images`, {
    method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, signal: AbortSignal.timeout(30_000),
    body: JSON.stringify({ name: DEFAULT_IMAGE_NAME, disk_format: 'raw', container_format: 'bare', visibility: 'public' }),
  }), 'creating the default image');
  const { id } = (await created.json()) as { id: string };
  await expectOk(await fetch(`${options.imageUrl}/v2/images/${id}/file`, {
    method: 'PUT', headers: { ...headers, 'content-type': 'application/octet-stream' }, signal: AbortSignal.timeout(60_000),
    body: tinyBootableImage(),
  }), 'uploading the default image');
  return true;
}
