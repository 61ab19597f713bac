// GET /v2/schemas/{image,images,member,members} (glance/api/v2/schemas.py) and the checks of
// image attributes against that schema: glanceclient and openstacksdk read these documents
// to decide what they may send, so names, types and enums follow Glance's exactly.

import type { FastifyInstance } from 'fastify';
import { InvalidImageInput, ReadOnlyAttribute, ReservedAttribute } from '../images/index.js';
import type { ImageCreate } from '../images/index.js';
import { CONTAINER_FORMATS, DISK_FORMATS, IMAGE_STATUSES, IMAGE_VISIBILITIES, MEMBER_STATUSES } from '../model.js';
import type { ContainerFormat, DiskFormat, ImageVisibility } from '../model.js';
import { requireAuth } from '../../common/auth/index.js';

const UUID_PATTERN = '^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$';

const readOnly = (type: unknown, description: string, extra: Record<string, unknown> = {}) => ({ type, readOnly: true, description, ...extra });

/** glance.api.v2.images.get_base_properties plus the default etc/schema-image.json. */
function imageProperties(): Record<string, unknown> {
  return {
    id: { type: 'string', description: 'An identifier for the image', pattern: UUID_PATTERN },
    name: { type: ['null', 'string'], description: 'Descriptive name for the image', maxLength: 255 },
    status: readOnly('string', 'Status of the image', { enum: [...IMAGE_STATUSES] }),
    visibility: { type: 'string', description: 'Scope of image accessibility', enum: ['community', 'public', 'private', 'shared'] },
    protected: { type: 'boolean', description: 'If true, image will not be deletable.' },
    os_hidden: { type: 'boolean', description: 'If true, image will not appear in default image list response.' },
    checksum: readOnly(['null', 'string'], 'md5 hash of image contents.', { maxLength: 32 }),
    os_hash_algo: readOnly(['null', 'string'], 'Algorithm to calculate the os_hash_value', { maxLength: 64 }),
    os_hash_value: readOnly(['null', 'string'], 'Hexdigest of the image contents using the algorithm specified by the os_hash_algo', { maxLength: 128 }),
    owner: { type: ['null', 'string'], description: 'Owner of the image', maxLength: 255 },
    size: readOnly(['null', 'integer'], 'Size of image file in bytes'),
    virtual_size: readOnly(['null', 'integer'], 'Virtual size of image in bytes'),
    container_format: { type: ['null', 'string'], description: 'Format of the container', enum: [null, ...CONTAINER_FORMATS] },
    disk_format: { type: ['null', 'string'], description: 'Format of the disk', enum: [null, ...DISK_FORMATS] },
    created_at: readOnly('string', 'Date and time of image registration'),
    updated_at: readOnly('string', 'Date and time of the last image modification'),
    tags: { type: 'array', description: 'List of strings related to the image', items: { type: 'string', maxLength: 255 } },
    direct_url: readOnly('string', 'URL to access the image file kept in external store'),
    min_ram: { type: 'integer', description: 'Amount of ram (in MB) required to boot image.' },
    min_disk: { type: 'integer', description: 'Amount of disk space (in GB) required to boot image.' },
    self: readOnly('string', 'An image self url'),
    file: readOnly('string', 'An image file url'),
    stores: readOnly('string', 'Store in which image data resides.  Only present when the operator has enabled multiple stores.  May be a comma-separated list of store identifiers.'),
    schema: readOnly('string', 'An image schema url'),
    locations: {
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
    },
    kernel_id: { type: ['null', 'string'], pattern: UUID_PATTERN, description: 'ID of image stored in Glance that should be used as the kernel when booting an AMI-style image.', is_base: false },
    ramdisk_id: { type: ['null', 'string'], pattern: UUID_PATTERN, description: 'ID of image stored in Glance that should be used as the ramdisk when booting an AMI-style image.', is_base: false },
    instance_uuid: { type: 'string', description: 'Metadata which can be used to record which instance this image is associated with. (Informational only, does not create an instance snapshot.)', is_base: false },
    architecture: { type: 'string', description: 'Operating system architecture as specified in https://docs.openstack.org/glance/latest/user/common-image-properties.html#architecture', is_base: false },
    os_distro: { type: 'string', description: 'Common name of operating system distribution as specified in https://docs.openstack.org/glance/latest/user/common-image-properties.html#os-distro', is_base: false },
    os_version: { type: 'string', description: 'Operating system version as specified by the distributor.', is_base: false },
    description: { type: 'string', description: 'A human-readable string describing this image.', is_base: false },
    cinder_encryption_key_id: { type: 'string', description: 'Identifier in the OpenStack Key Management Service for the encryption key for the Block Storage Service to use when mounting a volume created from this image', is_base: false },
    cinder_encryption_key_deletion_policy: { type: 'string', enum: ['on_image_deletion', 'do_not_delete'], description: 'States the condition under which the Image Service will delete the object associated with the \'cinder_encryption_key_id\' image property.  If this property is missing, the Image Service will take no action', is_base: false },
  };
}

export function imageSchema(): Record<string, unknown> {
  return {
    name: 'image',
    properties: imageProperties(),
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
/** The typed attributes; everything else is an extra property. */
export const CORE_ATTRIBUTES = new Set(['id', 'name', 'visibility', 'protected', 'os_hidden', 'owner', 'disk_format', 'container_format', 'min_disk', 'min_ram', 'tags']);

function schemaError(detail: string): InvalidImageInput {
  return new InvalidImageInput(`Provided object does not match schema 'image': ${detail}`);
}

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

/** 403 for read-only and reserved names (and `id` on update). */
export function checkWritable(name: string, mode: 'create' | 'update'): void {
  if (READ_ONLY.has(name) || (mode === 'update' && name === 'id')) throw new ReadOnlyAttribute(name);
  if (RESERVED.has(name) || name.startsWith('os_glance')) throw new ReservedAttribute(name);
}

function nullableEnum<T extends string>(name: string, value: unknown, allowed: readonly T[]): T | null {
  if (value === null) return null;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw schemaError(`${show(value)} is not one of [None, ${allowed.map((v) => `'${v}'`).join(', ')}]\n\nFailed validating 'enum' in schema['properties']['${name}']`);
  }
  return value as T;
}

function boolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw schemaError(`${show(value)} is not of type 'boolean'\n\nFailed validating 'type' in schema['properties']['${name}']`);
  return value;
}

function nonNegativeInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw schemaError(`${show(value)} is not of type 'integer'\n\nFailed validating 'type' in schema['properties']['${name}']`);
  if (value < 0) throw new InvalidImageInput(`Invalid value '${value}' for parameter '${name}': Cannot be a negative value`);
  return value;
}

function nullableString(name: string, value: unknown, maxLength: number): string | null {
  if (value === null) return null;
  if (typeof value !== 'string') throw schemaError(`${show(value)} is not of type 'null', 'string'\n\nFailed validating 'type' in schema['properties']['${name}']`);
  if (value.length > maxLength) throw schemaError(`${show(value)} is too long\n\nFailed validating 'maxLength' in schema['properties']['${name}']`);
  return value;
}

function tagList(value: unknown): string[] {
  if (!Array.isArray(value) || value.some((tag) => typeof tag !== 'string')) throw schemaError(`${show(value)} is not of type 'array' of strings`);
  const long = (value as string[]).find((tag) => tag.length > 255);
  if (long !== undefined) throw schemaError(`'${long}' is too long`);
  return value as string[];
}

/** One typed attribute as the manager takes it. */
function coreValue(name: string, value: unknown): Partial<ImageCreate> {
  switch (name) {
    case 'id':
      if (typeof value !== 'string' || !new RegExp(UUID_PATTERN).test(value)) throw schemaError(`${show(value)} does not match '${UUID_PATTERN}'`);
      return { id: value };
    case 'name': return { name: nullableString(name, value, 255) };
    case 'owner': {
      const owner = nullableString(name, value, 255);
      return owner === null ? {} : { owner };
    }
    case 'visibility':
      if (typeof value !== 'string' || !IMAGE_VISIBILITIES.includes(value as ImageVisibility)) {
        throw schemaError(`${show(value)} is not one of ['community', 'public', 'private', 'shared']`);
      }
      return { visibility: value as ImageVisibility };
    case 'protected': return { protected: boolean(name, value) };
    case 'os_hidden': return { osHidden: boolean(name, value) };
    case 'disk_format': return { diskFormat: nullableEnum<DiskFormat>(name, value, DISK_FORMATS) };
    case 'container_format': return { containerFormat: nullableEnum<ContainerFormat>(name, value, CONTAINER_FORMATS) };
    case 'min_disk': return { minDisk: nonNegativeInteger(name, value) };
    case 'min_ram': return { minRam: nonNegativeInteger(name, value) };
    case 'tags': return { tags: tagList(value) };
    default: return {};
  }
}

/** An extra property value: a string, as `additionalProperties: {type: string}` says. */
export function extraValue(name: string, value: unknown): string {
  if (name.length > 255) throw new InvalidImageInput('Custom property should not be greater than 255 characters.');
  if (typeof value !== 'string') throw schemaError(`${show(value)} is not of type 'string'\n\nFailed validating 'type' in schema['additionalProperties']`);
  return value;
}

/**
 * Checks a body of image attributes (a create body, or the result of a patch) and returns it
 * in the manager's terms.
 * @throws ReadOnlyAttribute / ReservedAttribute (403), InvalidImageInput (400).
 */
export function parseImageAttributes(body: Readonly<Record<string, unknown>>, mode: 'create' | 'update'): ImageCreate {
  let result: ImageCreate = {};
  const properties: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    checkWritable(name, mode);
    if (name === 'locations') throw new ReservedAttribute(name);
    if (CORE_ATTRIBUTES.has(name)) result = { ...result, ...coreValue(name, value) };
    // An unset kernel or ramdisk id (null in Glance's schema) is simply not stored.
    else if (!((name === 'kernel_id' || name === 'ramdisk_id') && value === null)) properties[name] = extraValue(name, value);
  }
  return { ...result, properties };
}

/** Registers GET /v2/schemas/image, images, member and members (any authenticated caller, as in Glance). */
export function registerSchemaRoutes(app: FastifyInstance): void {
  const documents: Record<string, () => Record<string, unknown>> = { image: imageSchema, images: imagesSchema, member: memberSchema, members: membersSchema };
  for (const [name, build] of Object.entries(documents)) {
    app.get(`/v2/schemas/${name}`, async (request) => {
      requireAuth(request);
      return build();
    });
  }
}
