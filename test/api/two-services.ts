// Fixture for cross-service API tests: identity and image built in-process as `tstack up` wires
// them (image validating tokens with identity over HTTP, both on one message bus), on SQLite in a
// temporary data dir. Requests go through inject(); identity also listens, for image's validator.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/common/config/index.js';
import { createLogger } from '../../src/common/log/index.js';
import { InProcessTransport } from '../../src/common/messaging/index.js';
import type { Transport } from '../../src/common/messaging/index.js';
import { IdentityService, identityOptions } from '../../src/identity/index.js';
import { ImageService, imageOptions } from '../../src/image/index.js';

export const ADMIN_PASSWORD = 'bootstrap-secret';
const GLANCE_PASSWORD = 'glance-secret';

export interface Reply {
  readonly status: number;
  readonly headers: Record<string, unknown>;
  readonly text: string;
  /** The body as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
}

export interface TwoServices {
  readonly identity: IdentityService;
  readonly image: ImageService;
  call(app: FastifyInstance, method: string, url: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<Reply>;
  /** POST /v3/auth/tokens; resolves with the token, throws unless 201. */
  issueToken(auth: Record<string, unknown>): Promise<string>;
  /** A password token of a Default-domain user, scoped to a Default-domain project when named. */
  passwordToken(user: string, password: string, project?: string): Promise<string>;
  close(): Promise<void>;
}

export interface TwoServicesOptions {
  /** One bus per service (two hosts) or one shared in-process bus (default). */
  readonly transports?: { readonly identity: Transport; readonly image: Transport };
  /** Image's token cache TTL; default 60 s as in Glance, so only a revocation can end a cached token early. */
  readonly imageTokenCacheSeconds?: number;
}

export async function startTwoServices(options: TwoServicesOptions = {}): Promise<TwoServices> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tstack-two-services-'));
  const shared = options.transports ? undefined : new InProcessTransport();
  const transports = options.transports ?? { identity: shared!, image: shared! };
  const logger = createLogger({ service: 'test', level: 'silent' });
  const identityConfig = loadConfig({ groups: [identityOptions], overrides: { identity: { connection: 'sqlite:///:memory:', password_hash_cost: 10, token_cache_seconds: 60 } } }).group(identityOptions);
  const identity = await IdentityService.create({ dataDir, config: identityConfig, logger, transport: transports.identity });
  const address = await identity.app.listen({ host: '127.0.0.1', port: 0 });
  const authUrl = `${address}/v3`;
  await identity.bootstrap({ adminUsername: 'admin', adminPassword: ADMIN_PASSWORD, publicUrl: authUrl, regionId: 'RegionOne' });
  await identity.ensureServiceUser('glance', GLANCE_PASSWORD);
  await identity.registerEndpoints({ type: 'image', name: 'glance', url: 'http://127.0.0.1:9292', regionId: 'RegionOne' });
  const imageConfig = loadConfig({ groups: [imageOptions], overrides: { image: {
    connection: 'sqlite:///:memory:', auth_url: authUrl, service_password: GLANCE_PASSWORD, token_cache_seconds: options.imageTokenCacheSeconds ?? 60,
  } } }).group(imageOptions);
  const image = await ImageService.create({ dataDir, config: imageConfig, logger, transport: transports.image });

  async function call(app: FastifyInstance, method: string, url: string, request: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply> {
    const response = await app.inject({
      method: method as 'GET', url,
      headers: {
        ...(request.token ? { 'x-auth-token': request.token } : {}),
        ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...request.headers,
      },
      ...(request.body !== undefined ? { payload: typeof request.body === 'string' ? request.body : JSON.stringify(request.body) } : {}),
    });
    let json: unknown;
    try {
      json = JSON.parse(response.body);
    } catch {
      json = undefined; // a plain-text body (Glance's errors) or none
    }
    return { status: response.statusCode, headers: response.headers, text: response.body, json };
  }

  async function issueToken(auth: Record<string, unknown>): Promise<string> {
    const reply = await call(identity.app, 'POST', '/v3/auth/tokens', { body: { auth } });
    if (reply.status !== 201) throw new Error(`token: ${reply.status} ${reply.text}`);
    return String(reply.headers['x-subject-token']);
  }

  return {
    identity, image, call, issueToken,
    passwordToken: (user, password, project) => issueToken({
      identity: { methods: ['password'], password: { user: { name: user, domain: { id: 'default' }, password } } },
      ...(project ? { scope: { project: { name: project, domain: { id: 'default' } } } } : {}),
    }),
    close: async () => {
      await image.close();
      await identity.close();
      await shared?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
