// The payload layouts this provider writes and reads, numbered as keystone numbers them so a
// token can be cross-checked field by field against keystone/token/token_formatters.py.
// Not supported: 3 (trust), 4-6 (federated), 7 (OAuth1), 10 (OAuth2 mTLS).
import { integerToMethods, methodsToInteger } from './auth-methods.js';
import {
  bytesToUuidHex, isUuidHex, malformed, packAuditIds, packId, packTime, readString,
  unpackAuditIds, unpackId, unpackRequiredId, unpackTime, uuidHexToBytes,
} from './payload-fields.js';
import { InvalidToken } from './errors.js';
import type { NewTokenPayload } from './token-payload.js';

/** Deployment settings every node must share to read each other's tokens. */
export interface PayloadContext {
  /** `[auth] methods` in config order; decides each method's bit. */
  readonly authMethods: readonly string[];
  /** The one domain id allowed not to be a uuid in a domain-scoped token. */
  readonly defaultDomainId: string;
}

/** Keystone's payload version numbers; those it has and tstack does not are absent. */
export const PayloadVersion = {
  unscoped: 0,
  domainScoped: 1,
  projectScoped: 2,
  systemScoped: 8,
  applicationCredentialScoped: 9,
} as const;

type Fields = readonly unknown[];

/**
 * The msgpack array for a payload: version first, then that version's fields.
 * @throws RangeError for a payload no version can hold (two scopes, a non-uuid domain id other
 * than the default one, an unknown method, a malformed audit id)
 */
export function packPayload(payload: NewTokenPayload, context: PayloadContext): unknown[] {
  const version = chooseVersion(payload);
  const user = packId(payload.userId);
  const methods = methodsToInteger(payload.methods, context.authMethods);
  const expiresAt = packTime(payload.expiresAt);
  const auditIds = packAuditIds(payload.auditIds);
  switch (version) {
    case PayloadVersion.unscoped:
      return [version, user, methods, expiresAt, auditIds];
    case PayloadVersion.domainScoped:
      return [version, user, methods, packDomainId(payload.domainId, context), expiresAt, auditIds];
    case PayloadVersion.projectScoped:
      return [version, user, methods, packId(payload.projectId), expiresAt, auditIds];
    case PayloadVersion.systemScoped:
      return [version, user, methods, payload.systemScope, expiresAt, auditIds];
    case PayloadVersion.applicationCredentialScoped:
      return [
        version, user, methods, packId(payload.projectId), expiresAt, auditIds, packId(payload.appCredId),
      ];
  }
}

/**
 * Reads a decoded msgpack value back into a payload.
 * @throws InvalidToken ('version') for a version not listed in PayloadVersion,
 * ('payload') for anything of the wrong shape
 */
export function unpackPayload(message: unknown, context: PayloadContext): NewTokenPayload {
  if (!Array.isArray(message) || message.length === 0) malformed();
  const [version, ...fields] = message as unknown[];
  switch (version) {
    case PayloadVersion.unscoped:
      return readCommon(fields, 4, 2, context);
    case PayloadVersion.domainScoped:
      return { ...readCommon(fields, 5, 3, context), domainId: unpackDomainId(fields[2], context) };
    case PayloadVersion.projectScoped:
      return withProject(readCommon(fields, 5, 3, context), fields[2]);
    case PayloadVersion.systemScoped:
      if (readString(fields[2]) !== 'all') malformed();
      return { ...readCommon(fields, 5, 3, context), systemScope: 'all' };
    case PayloadVersion.applicationCredentialScoped:
      return {
        ...withProject(readCommon(fields, 6, 3, context), fields[2]),
        appCredId: unpackRequiredId(fields[5]),
      };
    default:
      throw new InvalidToken('version');
  }
}

type Version = (typeof PayloadVersion)[keyof typeof PayloadVersion];

/** Same precedence as keystone's Provider._determine_payload_class_from_token. */
function chooseVersion(payload: NewTokenPayload): Version {
  const scopes = [payload.systemScope, payload.domainId, payload.projectId].filter((s) => s !== undefined);
  if (scopes.length > 1) throw new RangeError('A token has at most one scope');
  if (payload.appCredId !== undefined) {
    if (payload.projectId === undefined && scopes.length > 0) {
      throw new RangeError('An application credential token can only be project-scoped');
    }
    return PayloadVersion.applicationCredentialScoped;
  }
  if (payload.projectId !== undefined) return PayloadVersion.projectScoped;
  if (payload.domainId !== undefined) return PayloadVersion.domainScoped;
  if (payload.systemScope !== undefined) return PayloadVersion.systemScoped;
  return PayloadVersion.unscoped;
}

/** User, methods, expiry and audit ids: fields 0 and 1, then two at `expiresIndex`. */
function readCommon(fields: Fields, length: number, expiresIndex: number, context: PayloadContext):
NewTokenPayload {
  if (fields.length !== length) malformed();
  return {
    userId: unpackRequiredId(fields[0]),
    methods: integerToMethods(fields[1], context.authMethods),
    expiresAt: unpackTime(fields[expiresIndex]),
    auditIds: unpackAuditIds(fields[expiresIndex + 1]),
  };
}

function withProject(payload: NewTokenPayload, field: unknown): NewTokenPayload {
  const projectId = unpackId(field);
  return projectId === undefined ? payload : { ...payload, projectId };
}

/** Keystone stores the domain id bare (no flag): uuid bytes, or the default domain id as text. */
function packDomainId(domainId: string | undefined, context: PayloadContext): Uint8Array | string {
  if (domainId !== undefined && isUuidHex(domainId)) return uuidHexToBytes(domainId);
  if (domainId === context.defaultDomainId) return domainId;
  throw new RangeError(`Domain id "${domainId}" is neither a uuid nor the default domain id`);
}

function unpackDomainId(field: unknown, context: PayloadContext): string {
  if (field instanceof Uint8Array && field.length === 16) return bytesToUuidHex(field);
  const domainId = readString(field);
  return domainId === context.defaultDomainId ? domainId : malformed();
}
