// Keystone's rules for project tags (keystone/resource/schema.py, after the API-WG tags guideline).

import { ValidationError } from './errors.js';

/** Most tags one project may carry. */
export const MAX_PROJECT_TAGS = 80;
/** Longest tag, in characters. */
export const MAX_TAG_LENGTH = 255;

/**
 * Trims each tag and drops repeats, keeping the first occurrence.
 * @throws ValidationError for an empty or too long tag, a tag containing ',' or '/', or more than 80 tags.
 */
export function normalizeTags(tags: readonly string[]): string[] {
  const result = [...new Set(tags.map((tag) => tag.trim()))];
  for (const tag of result) {
    if (tag.length === 0 || tag.length > MAX_TAG_LENGTH || /[,/]/.test(tag)) {
      throw new ValidationError(`Invalid input for field 'tags': '${tag}' must be 1 to ${MAX_TAG_LENGTH} characters without ',' or '/'.`);
    }
  }
  if (result.length > MAX_PROJECT_TAGS) {
    throw new ValidationError(`Invalid input for field 'tags': a project may have at most ${MAX_PROJECT_TAGS} tags.`);
  }
  return result;
}
