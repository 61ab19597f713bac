// The right-hand side of a check (`%(project_id)s`, `admin`, `%(target.user.id)s`):
// Python %-formatting against the target, as oslo.policy does with `match % target`.

/** A parsed right-hand side: literal text and `%(key)s` references, in order. */
export type Template = readonly TemplatePart[];

export type TemplatePart = { readonly text: string } | { readonly key: string };

const REFERENCE = /%(?:\(([^)]*)\)s|%)/y;

/**
 * Parses `%(key)s` references and `%%` escapes.
 * @throws Error on any other use of `%`, which Python would reject when formatting.
 */
export function parseTemplate(source: string): Template {
  const parts: TemplatePart[] = [];
  let text = '';
  let index = 0;
  while (index < source.length) {
    const percent = source.indexOf('%', index);
    if (percent === -1) {
      text += source.slice(index);
      break;
    }
    text += source.slice(index, percent);
    REFERENCE.lastIndex = percent;
    const match = REFERENCE.exec(source);
    if (match === null) {
      throw new Error(`unsupported '%' in '${source}' (use %(name)s to refer to the target, %% for a literal %)`);
    }
    if (match[1] === undefined) {
      text += '%';
    } else {
      if (text !== '') parts.push({ text });
      text = '';
      parts.push({ key: match[1] });
    }
    index = REFERENCE.lastIndex;
  }
  if (text !== '' || parts.length === 0) parts.push({ text });
  return parts;
}

/**
 * Substitutes target values into a template.
 * @returns the string, or undefined when a referenced key is missing from the target
 * (oslo.policy's KeyError, which makes the check fail).
 */
export function renderTemplate(template: Template, target: object): string | undefined {
  let out = '';
  for (const part of template) {
    if ('text' in part) {
      out += part.text;
      continue;
    }
    const value = lookupTarget(target, part.key);
    if (value === undefined) return undefined;
    out += pythonStr(value);
  }
  return out;
}

/**
 * Finds `a.b.c` in a target: first as a flat key (Keystone flattens its targets to
 * `target.user.id`), then by walking nested objects.
 */
function lookupTarget(target: object, key: string): unknown {
  const flat = ownValue(target, key);
  if (flat !== undefined) return flat;
  let value: unknown = target;
  for (const segment of key.split('.')) {
    value = ownValue(value, segment);
    if (value === undefined) return undefined;
  }
  return value;
}

/** An own property of an object, or undefined (never walks the prototype chain). */
export function ownValue(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
  return (value as Record<string, unknown>)[key];
}

/** Python's `str()` of a value, so `True`, `None` and numbers compare as oslo.policy compares them. */
export function pythonStr(value: unknown): string {
  if (typeof value === 'string') return value;
  return pythonRepr(value);
}

function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (typeof value === 'object') {
    const items = Object.entries(value).map(([k, v]) => `'${k}': ${pythonRepr(v)}`);
    return `{${items.join(', ')}}`;
  }
  return String(value);
}
