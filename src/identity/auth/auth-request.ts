// The body of POST /v3/auth/tokens, as a JSON schema (structure and types) and the typed
// value the route hands to the AuthManager once the schema has accepted it.

import { MAX_PASSWORD_LENGTH, PASSWORD_TOO_LONG } from '../users/index.js';

export interface EntityRef {
  readonly id?: string;
  readonly name?: string;
  readonly domain?: { readonly id?: string; readonly name?: string };
}

export interface AuthRequest {
  readonly identity: {
    readonly methods: readonly string[];
    readonly password?: { readonly user: EntityRef & { readonly password: string } };
    readonly token?: { readonly id: string };
    readonly application_credential?: {
      readonly id?: string;
      readonly name?: string;
      readonly secret: string;
      readonly user?: EntityRef;
    };
  };
  readonly scope?:
    | 'unscoped'
    | {
      readonly project?: EntityRef;
      readonly domain?: { readonly id?: string; readonly name?: string };
      readonly system?: { readonly all?: boolean };
      /** Read only to refuse it: trusts (OS-TRUST) are not implemented. */
      readonly 'OS-TRUST:trust'?: Readonly<Record<string, unknown>>;
    };
}

const domainRef = {
  type: 'object',
  properties: { id: { type: 'string' }, name: { type: 'string' } },
} as const;

const entityRef = {
  type: 'object',
  properties: { id: { type: 'string' }, name: { type: 'string' }, domain: domainRef },
} as const;

export const authRequestSchema = {
  type: 'object',
  required: ['auth'],
  properties: {
    auth: {
      type: 'object',
      required: ['identity'],
      properties: {
        identity: {
          type: 'object',
          required: ['methods'],
          properties: {
            methods: { type: 'array', items: { type: 'string' }, minItems: 1 },
            password: {
              type: 'object',
              required: ['user'],
              properties: {
                user: {
                  type: 'object',
                  required: ['password'],
                  properties: {
                    id: { type: 'string' }, name: { type: 'string' }, domain: domainRef,
                    password: { type: 'string', maxLength: MAX_PASSWORD_LENGTH, errorMessage: { maxLength: PASSWORD_TOO_LONG } },
                  },
                },
              },
            },
            token: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
            application_credential: {
              type: 'object',
              required: ['secret'],
              properties: { id: { type: 'string' }, name: { type: 'string' }, secret: { type: 'string' }, user: entityRef },
            },
          },
        },
        scope: {
          anyOf: [
            { type: 'string', enum: ['unscoped'] },
            {
              type: 'object',
              properties: {
                project: entityRef,
                domain: domainRef,
                system: { type: 'object', properties: { all: { type: 'boolean' } } },
                'OS-TRUST:trust': { type: 'object' },
              },
            },
          ],
        },
      },
    },
  },
} as const;
