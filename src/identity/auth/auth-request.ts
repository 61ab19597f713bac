// The body of POST /v3/auth/tokens as a TypeBox schema: the route validates with it, and the
// AuthManager receives the type it gives (keystone/auth/schema.py).

import Type from 'typebox';
import type { Static } from 'typebox';
import { MAX_PASSWORD_LENGTH, PASSWORD_TOO_LONG } from '../users/index.js';

const DOMAIN_REF = Type.Object({ id: Type.Optional(Type.String()), name: Type.Optional(Type.String()) });

const ENTITY_REF = Type.Object({
  id: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  domain: Type.Optional(DOMAIN_REF),
});

/** A user, project or domain named by id, or by name (with its domain). */
export type EntityRef = Static<typeof ENTITY_REF>;

const IDENTITY = Type.Object({
  methods: Type.Array(Type.String(), { minItems: 1 }),
  password: Type.Optional(Type.Object({
    user: Type.Object({
      id: Type.Optional(Type.String()),
      name: Type.Optional(Type.String()),
      domain: Type.Optional(DOMAIN_REF),
      password: Type.String({ maxLength: MAX_PASSWORD_LENGTH, errorMessage: { maxLength: PASSWORD_TOO_LONG } }),
    }),
  })),
  token: Type.Optional(Type.Object({ id: Type.String() })),
  application_credential: Type.Optional(Type.Object({
    id: Type.Optional(Type.String()),
    name: Type.Optional(Type.String()),
    secret: Type.String(),
    user: Type.Optional(ENTITY_REF),
  })),
});

const SCOPE = Type.Union([
  Type.Literal('unscoped'),
  Type.Object({
    project: Type.Optional(ENTITY_REF),
    domain: Type.Optional(DOMAIN_REF),
    system: Type.Optional(Type.Object({ all: Type.Optional(Type.Boolean()) })),
    /** Read only to refuse it: trusts (OS-TRUST) are not implemented. */
    'OS-TRUST:trust': Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  }),
]);

const AUTH_REQUEST = Type.Object({ identity: IDENTITY, scope: Type.Optional(SCOPE) });

/** What the route hands to the AuthManager once the schema has accepted the body. */
export type AuthRequest = Static<typeof AUTH_REQUEST>;

/** The whole body: `{"auth": {...}}`. */
export const authRequestSchema = Type.Object({ auth: AUTH_REQUEST });
