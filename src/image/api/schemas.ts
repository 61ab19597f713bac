// GET /v2/schemas/{image,images,member,members} (glance/api/v2/schemas.py) and the checks of
// image attributes against that schema: glanceclient and openstacksdk read these documents
// to decide what they may send, so names, types and enums follow Glance's exactly.

import Type from 'typebox';
import type { Static, TSchema, TUnsafe } from 'typebox';
import { requireAuth } from '../../common/auth/index.js';
import { Enum } from '../../common/http/index.js';
import type { ApiServer } from '../../common/http/index.js';
import { InvalidImageInput, ReadOnlyAttribute, ReservedAttribute } from '../images/index.js';
import type { ImageCreate } from '../images/index.js';
import { CONTAINER_FORMATS, DISK_FORMATS, IMAGE_STATUSES, MEMBER_STATUSES } from '../model.js';

const UUID_PATTERN = '^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$';

/** `{"type": ["null", <type>]}`, Glance's spelling of a nullable attribute. */
function nullOr<T extends TSchema & { type: string }>(schema: T): TUnsafe<Static<T> | null> {
  const { type, ...rest } = schema as TSchema & { type: string };
  return Type.Unsafe<Static<T> | null>({ ...rest, type: ['null', type] });
}

/** An attribute only Glance sets: shown in the schema, refused (403) before validation. */
const readOnly = (type: string | string[], description: string, extra: Record<string, unknown> = {}) =>
  Type.Optional(Type.Unsafe<unknown>({ type, readOnly: true, description, ...extra }));

/**
 * glance.api.v2.images.get_base_properties plus the default etc/schema-image.json: the
 * document served at /v2/schemas/image, and the schema every create body (and every image
 * after a JSON patch) is validated against, as Glance validates with that same document.
 */
const IMAGE_PROPERTIES = {
  id: Type.Optional(Type.String({ description: 'An identifier for the image', pattern: UUID_PATTERN })),
  name: Type.Optional(nullOr(Type.String({ description: 'Descriptive name for the image', maxLength: 255 }))),
  status: readOnly('string', 'Status of the image', { enum: [...IMAGE_STATUSES] }),
  visibility: Type.Optional(Enum(['community', 'public', 'private', 'shared'], { type: 'string', description: 'Scope of image accessibility' })),
  protected: Type.Optional(Type.Boolean({ description: 'If true, image will not be deletable.' })),
  os_hidden: Type.Optional(Type.Boolean({ description: 'If true, image will not appear in default image list response.' })),
  checksum: readOnly(['null', 'string'], 'md5 hash of image contents.', { maxLength: 32 }),
  os_hash_algo: readOnly(['null', 'string'], 'Algorithm to calculate the os_hash_value', { maxLength: 64 }),
  os_hash_value: readOnly(['null', 'string'], 'Hexdigest of the image contents using the algorithm specified by the os_hash_algo', { maxLength: 128 }),
  owner: Type.Optional(nullOr(Type.String({ description: 'Owner of the image', maxLength: 255 }))),
  size: readOnly(['null', 'integer'], 'Size of image file in bytes'),
  virtual_size: readOnly(['null', 'integer'], 'Virtual size of image in bytes'),
  container_format: Type.Optional(Enum([null, ...CONTAINER_FORMATS], { type: ['null', 'string'], description: 'Format of the container' })),
  disk_format: Type.Optional(Enum([null, ...DISK_FORMATS], { type: ['null', 'string'], description: 'Format of the disk' })),
  created_at: readOnly('string', 'Date and time of image registration'),
  updated_at: readOnly('string', 'Date and time of the last image modification'),
  tags: Type.Optional(Type.Array(Type.String({ maxLength: 255 }), { description: 'List of strings related to the image' })),
  direct_url: readOnly('string', 'URL to access the image file kept in external store'),
  min_ram: Type.Optional(Type.Integer({ description: 'Amount of ram (in MB) required to boot image.' })),
  min_disk: Type.Optional(Type.Integer({ description: 'Amount of disk space (in GB) required to boot image.' })),
  self: readOnly('string', 'An image self url'),
  file: readOnly('string', 'An image file url'),
  stores: readOnly('string', 'Store in which image data resides.  Only present when the operator has enabled multiple stores.  May be a comma-separated list of store identifiers.'),
  schema: readOnly('string', 'An image schema url'),
  // Refused (403) while locations are not shown; described as Glance describes them.
  locations: Type.Optional(Type.Unsafe<unknown>({
    type: 'array', description: 'A set of URLs to access the image file kept in external store',
    items: {
      type: 'object', required: ['url', 'metadata'],
      properties: {
        url: { type: 'string', maxLength: 255 },
        metadata: { type: 'object' },
        validation_data: {
          description: "Values to be used to populate the corresponding image properties. If the image status is not 'queued', values must exactly match those already contained in the image properties.",
          type: 'object', writeOnly: true, additionalProperties: false, required: ['os_hash_algo', 'os_hash_value'],
          properties: {
            checksum: { type: 'string', minLength: 32, maxLength: 32 },
            os_hash_algo: { type: 'string', maxLength: 64 },
            os_hash_value: { type: 'string', maxLength: 128 },
          },
        },
      },
    },
  })),
  kernel_id: Type.Optional(nullOr(Type.String({ pattern: UUID_PATTERN, description: 'ID of image stored in Glance that should be used as the kernel when booting an AMI-style image.' }))),
  ramdisk_id: Type.Optional(nullOr(Type.String({ pattern: UUID_PATTERN, description: 'ID of image stored in Glance that should be used as the ramdisk when booting an AMI-style image.' }))),
  instance_uuid: Type.Optional(Type.String({ description: 'Metadata which can be used to record which instance this image is associated with. (Informational only, does not create an instance snapshot.)' })),
  architecture: Type.Optional(Type.String({ description: 'Operating system architecture as specified in https://docs.openstack.org/glance/latest/user/common-image-properties.html#architecture' })),
  os_distro: Type.Optional(Type.String({ description: 'Common name of operating system distribution as specified in https://docs.openstack.org/glance/latest/user/common-image-properties.html#os-distro' })),
  os_version: Type.Optional(Type.String({ description: 'Operating system version as specified by the distributor.' })),
  description: Type.Optional(Type.String({ description: 'A human-readable string describing this image.' })),
  cinder_encryption_key_id: Type.Optional(Type.String({ description: 'Identifier in the OpenStack Key Management Service for the encryption key for the Block Storage Service to use when mounting a volume created from this image' })),
  cinder_encryption_key_deletion_policy: Type.Optional(Enum(['on_image_deletion', 'do_not_delete'], { type: 'string', description: 'States the condition under which the Image Service will delete the object associated with the \'cinder_encryption_key_id\' image property.  If this property is missing, the Image Service will take no action' })),
};

/** Properties from etc/schema-image.json rather than the base ones: Glance marks them `is_base: false`. */
const NON_BASE = new Set(['kernel_id', 'ramdisk_id', 'instance_uuid', 'architecture', 'os_distro', 'os_version', 'description', 'cinder_encryption_key_id', 'cinder_encryption_key_deletion_policy']);

/** An image body: the typed attributes, and extra properties as strings. */
export const IMAGE_BODY = Type.Object(IMAGE_PROPERTIES, {
  title: 'image',
  additionalProperties: Type.String(),
  // Glance's RequestDeserializer: anything but a JSON object is no body at all.
  errorMessage: { type: 'Body expected in request.' },
});

/** An image body once validated. */
export type ImageBody = Static<typeof IMAGE_BODY>;

export function imageSchema(): Record<string, unknown> {
  const properties = Object.fromEntries(Object.entries(IMAGE_PROPERTIES).map(([name, schema]) =>
    [name, NON_BASE.has(name) ? { ...schema, is_base: false } : { ...schema }]));
  return {
    name: 'image',
    properties,
    additionalProperties: { type: 'string' },
    links: [{ rel: 'self', href: '{self}' }, { rel: 'enclosure', href: '{file}' }, { rel: 'describedby', href: '{schema}' }],
  };
}

export function imagesSchema(): Record<string, unknown> {
  return {
    name: 'images',
    properties: {
      images: { type: 'array', items: imageSchema() },
      schema: { type: 'string' }, first: { type: 'string' }, next: { type: 'string' },
    },
    links: [{ rel: 'first', href: '{first}' }, { rel: 'next', href: '{next}' }, { rel: 'describedby', href: '{schema}' }],
  };
}

export function memberSchema(): Record<string, unknown> {
  return {
    name: 'member',
    properties: {
      member_id: { type: 'string', description: 'An identifier for the image member (tenantId)' },
      image_id: { type: 'string', description: 'An identifier for the image', pattern: UUID_PATTERN },
      created_at: { type: 'string', description: 'Date and time of image member creation' },
      updated_at: { type: 'string', description: 'Date and time of last modification of image member' },
      status: { type: 'string', description: 'The status of this image member', enum: [...MEMBER_STATUSES] },
      schema: { readOnly: true, type: 'string' },
    },
    additionalProperties: false,
  };
}

export function membersSchema(): Record<string, unknown> {
  return {
    name: 'members',
    properties: { members: { type: 'array', items: memberSchema() }, schema: { type: 'string' } },
    links: [{ rel: 'describedby', href: '{schema}' }],
  };
}

// Attribute checks.

/** Attributes no request may set (403 "Attribute 'x' is read-only."). */
const READ_ONLY = new Set(['created_at', 'updated_at', 'status', 'checksum', 'os_hash_algo', 'os_hash_value', 'size', 'virtual_size', 'direct_url', 'self', 'file', 'schema', 'stores']);
/** Attributes Glance keeps for itself (403 "Attribute 'x' is reserved."). */
const RESERVED = new Set(['location', 'deleted', 'deleted_at']);
/** The typed attributes; everything else is an extra property (an unset kernel or ramdisk id is simply not stored). */
export const CORE_ATTRIBUTES = new Set(['id', 'name', 'visibility', 'protected', 'os_hidden', 'owner', 'disk_format', 'container_format', 'min_disk', 'min_ram', 'tags']);

/** 403 for read-only and reserved names (and `id` on update). */
export function checkWritable(name: string, mode: 'create' | 'update'): void {
  if (READ_ONLY.has(name) || (mode === 'update' && name === 'id')) throw new ReadOnlyAttribute(name);
  if (RESERVED.has(name) || name.startsWith('os_glance')) throw new ReservedAttribute(name);
  // Locations are not shown (show_multiple_locations is off), so no client may set them.
  if (name === 'locations') throw new ReservedAttribute(name);
}

/** Glance's _check_allowed: every attribute of a body is writable, checked before the schema (403 before 400). */
export function checkAllowed(body: unknown, mode: 'create' | 'update'): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
  for (const name of Object.keys(body)) checkWritable(name, mode);
}

/** Glance's databases keep these in 4-byte INTs (glance.db.sqlalchemy.api._validate_db_int). */
const MAX_DB_INT = 2 ** 31 - 1;

function dbInt(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value > MAX_DB_INT) throw new InvalidImageInput(`'${name}' value out of range, must not exceed ${MAX_DB_INT}.`);
  if (value < 0) throw new InvalidImageInput(`Invalid value '${value}' for parameter '${name}': Cannot be a negative value`);
  return value;
}

/**
 * A validated image body in the manager's terms: the typed attributes, and every other
 * attribute as an extra property. Refuses what Glance refuses beyond its schema.
 * @throws InvalidImageInput (400) for a value out of the database's range or a property name over 255 characters.
 */
export function imageAttributes(body: ImageBody): ImageCreate {
  const properties: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (CORE_ATTRIBUTES.has(name) || typeof value !== 'string') continue;
    if (name.length > 255) throw new InvalidImageInput('Custom property should not be greater than 255 characters.');
    properties[name] = value;
  }
  const minDisk = dbInt('min_disk', body.min_disk);
  const minRam = dbInt('min_ram', body.min_ram);
  return {
    ...(body.id !== undefined ? { id: body.id } : {}),
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.owner !== undefined && body.owner !== null ? { owner: body.owner } : {}),
    ...(body.visibility !== undefined ? { visibility: body.visibility } : {}),
    ...(body.protected !== undefined ? { protected: body.protected } : {}),
    ...(body.os_hidden !== undefined ? { osHidden: body.os_hidden } : {}),
    ...(body.disk_format !== undefined ? { diskFormat: body.disk_format } : {}),
    ...(body.container_format !== undefined ? { containerFormat: body.container_format } : {}),
    ...(minDisk !== undefined ? { minDisk } : {}),
    ...(minRam !== undefined ? { minRam } : {}),
    ...(body.tags !== undefined ? { tags: body.tags } : {}),
    properties,
  };
}

/** Registers GET /v2/schemas/image, images, member and members (any authenticated caller, as in Glance). */
export function registerSchemaRoutes(app: ApiServer): void {
  const documents: Record<string, () => Record<string, unknown>> = { image: imageSchema, images: imagesSchema, member: memberSchema, members: membersSchema };
  for (const [name, build] of Object.entries(documents)) {
    app.get(`/v2/schemas/${name}`, async (request) => {
      requireAuth(request);
      return build();
    });
  }
}
