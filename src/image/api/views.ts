// Wire forms of images and members (glance/api/v2/images.py ResponseSerializer._format_image
// and image_members.py): snake_case, timestamps without fractions, extra properties at top level.

import type { Image, Member } from '../model.js';

/** "2026-11-22T16:00:00Z", as Glance prints timestamps. */
export function isoTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function imageView(image: Image): Record<string, unknown> {
  return {
    ...image.properties,
    id: image.id,
    name: image.name,
    status: image.status,
    visibility: image.visibility,
    protected: image.protected,
    os_hidden: image.osHidden,
    owner: image.owner,
    disk_format: image.diskFormat,
    container_format: image.containerFormat,
    min_disk: image.minDisk,
    min_ram: image.minRam,
    size: image.size,
    virtual_size: image.virtualSize,
    checksum: image.checksum,
    os_hash_algo: image.osHashAlgo,
    os_hash_value: image.osHashValue,
    tags: [...image.tags],
    created_at: isoTime(image.createdAt),
    updated_at: isoTime(image.updatedAt),
    self: `/v2/images/${image.id}`,
    file: `/v2/images/${image.id}/file`,
    schema: '/v2/schemas/image',
  };
}

export function memberView(member: Member): Record<string, unknown> {
  return {
    image_id: member.imageId,
    member_id: member.memberId,
    status: member.status,
    created_at: isoTime(member.createdAt),
    updated_at: isoTime(member.updatedAt),
    schema: '/v2/schemas/member',
  };
}
