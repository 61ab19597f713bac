// Request validation: one way to declare what a route accepts. A route's body (and params or
// querystring where useful) is a TypeBox schema; the same object is the JSON schema Ajv checks
// the request against and, through Fastify's TypeBox type provider, the TypeScript type of
// `request.body` in the handler. No hand-synced interface, no `request.body as` cast.
//
//   const CreateThing = Type.Object({ thing: Type.Object({ name: Type.String({ maxLength: 255 }) }) });
//   app.post('/things', { schema: { body: CreateThing } }, async (request) => request.body.thing.name);
//
// Ajv never coerces (a "3" is not an integer), never removes or defaults anything, and stops
// at the first violation. A violation becomes a SchemaViolation (400), which each service's
// error renderer words its own way; a schema node may carry `errorMessage` (a message, or one
// per keyword) when the service words that failure specifically.

import { Ajv } from 'ajv';
import type { AnySchema } from 'ajv';
import ajvFormats from 'ajv-formats';
import Type from 'typebox';
import type { Static, TSchema, TUnsafe } from 'typebox';
import { BadRequest } from '../errors/index.js';

/** Where in the request a violation was found. */
export type RequestPart = 'body' | 'querystring' | 'params' | 'headers';

/**
 * A node's own wording for its failures: one message, or one per JSON-schema keyword
 * (`{ required: 'Member to be added not specified' }`), and for `required` one per missing
 * property if they differ. In a message `{value}` stands for the offending value as JSON,
 * `{text}` for it as text, `{missing}` for the missing property's name.
 */
export type ErrorMessage = string | Readonly<Record<string, string | Readonly<Record<string, string>>>>;

/** One failure as Ajv reports it (with `verbose`, also the failing value and schema node). */
export interface AjvViolation {
  readonly keyword: string;
  readonly instancePath: string;
  readonly schemaPath: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message?: string | undefined;
  readonly data?: unknown;
  readonly parentSchema?: unknown;
}

/** 400: the request does not match its route's schema; the message is the service's default wording. */
export class SchemaViolation extends BadRequest {
  /** The JSON-schema keyword that failed (`type`, `maxLength`, `required`...). */
  readonly keyword: string;
  /** Where the failing value is, as a dotted path (`user.password`); '' for the whole part. */
  readonly field: string;
  /** The failing value. */
  readonly value: unknown;
  /** Ajv's parameters of the failure (`{limit}`, `{missingProperty}`, `{allowedValues}`...). */
  readonly params: Readonly<Record<string, unknown>>;
  /** The failing keyword's path in the schema (`#/properties/min_ram/type`). */
  readonly schemaPath: string;
  /** The schema node's own `errorMessage` for this failure, when it has one. */
  readonly customMessage: string | undefined;
  /** The title of the whole schema (`image`), when it has one. */
  readonly schemaTitle: string | undefined;
  readonly part: RequestPart;

  constructor(violation: AjvViolation, part: RequestPart, schemaTitle?: string) {
    const field = violation.instancePath.replace(/^\//, '').split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~')).join('.');
    const custom = customMessage(violation);
    super(custom ?? keystoneWording(field, violation.message));
    this.keyword = violation.keyword;
    this.field = field;
    this.value = violation.data;
    this.params = violation.params;
    this.schemaPath = violation.schemaPath;
    this.customMessage = custom;
    this.schemaTitle = schemaTitle;
    this.part = part;
  }
}

/** "Invalid input for field 'user.name' must be string." — the default, Keystone-like wording. */
function keystoneWording(field: string, message: string | undefined): string {
  const where = field ? `'${field}' ` : '';
  return `Invalid input for field ${where}${message ?? 'is invalid'}.`.replace(/\s+/g, ' ');
}

function customMessage(violation: AjvViolation): string | undefined {
  const parent = violation.parentSchema as { errorMessage?: ErrorMessage } | undefined;
  const spec = parent?.errorMessage;
  const byKeyword = typeof spec === 'string' ? spec : spec?.[violation.keyword];
  const missing = String(violation.params.missingProperty ?? '');
  const message = typeof byKeyword === 'object' ? byKeyword[missing] : byKeyword;
  return message
    ?.replaceAll('{value}', () => JSON.stringify(violation.data) ?? 'null')
    .replaceAll('{text}', () => String(violation.data))
    .replaceAll('{missing}', () => missing);
}

/** Python's repr of a JSON value, as jsonschema prints it in its messages. */
function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`).join(', ')}}`;
}

/**
 * The violation worded as Python's jsonschema words it (`1.5 is not of type 'integer'` and
 * `Failed validating 'type' in schema['properties']['min_ram']`), for services whose real
 * counterpart shows jsonschema's text (Glance).
 */
export function jsonschemaWording(violation: SchemaViolation): string {
  const value = pythonRepr(violation.value);
  const p = violation.params as Record<string, unknown>;
  const list = (items: unknown): string => (Array.isArray(items) ? items : [items]).map(pythonRepr).join(', ');
  const detail = ((): string => {
    switch (violation.keyword) {
      case 'type': return `${value} is not of type ${(Array.isArray(p.type) ? p.type : String(p.type).split(',')).map((t) => `'${t}'`).join(', ')}`;
      case 'enum': return `${value} is not one of [${list(p.allowedValues)}]`;
      case 'const': return `${pythonRepr(p.allowedValue)} was expected`;
      case 'required': return `'${String(p.missingProperty)}' is a required property`;
      case 'additionalProperties': return `Additional properties are not allowed ('${String(p.additionalProperty)}' was unexpected)`;
      case 'maxLength': case 'maxItems': return `${value} is too long`;
      case 'minLength': case 'minItems': return `${value} is too short`;
      case 'pattern': return `${value} does not match '${String(p.pattern)}'`;
      case 'format': return `${value} is not a '${String(p.format)}'`;
      case 'minimum': return `${value} is less than the minimum of ${String(p.limit)}`;
      case 'maximum': return `${value} is greater than the maximum of ${String(p.limit)}`;
      case 'uniqueItems': return `${value} has non-unique elements`;
      case 'minProperties': return `${value} does not have enough properties`;
      case 'maxProperties': return `${value} has too many properties`;
      default: return `${value} is not valid under the given schema`;
    }
  })();
  const path = violation.schemaPath.replace(/^#\/?/, '').split('/').filter(Boolean);
  const keyword = path.pop() ?? violation.keyword;
  const where = path.map((segment) => `[${/^\d+$/.test(segment) ? segment : `'${segment}'`}]`).join('');
  return `${detail}\n\nFailed validating '${keyword}' in schema${where}`;
}

/** A compiled schema: the value, typed, or the first violation. */
export type SchemaCheck<T extends TSchema> = (value: unknown) => { readonly ok: true; readonly value: Static<T> } | { readonly ok: false; readonly violation: SchemaViolation };

/** Ajv configured as every tstack route validates: no coercion, no defaults, formats, `errorMessage`. */
export interface SchemaCompiler {
  /** Fastify's validator compiler (`app.setValidatorCompiler`). */
  compileRoute(schema: AnySchema): (value: unknown) => boolean;
  /** A schema checked outside a route (a JSON-patched document, a stored value). */
  compile<T extends TSchema>(schema: T, part?: RequestPart): SchemaCheck<T>;
}

// ajv-formats is CommonJS: its default import is `module.exports`, whose `default` is the plugin.
const addFormats = ajvFormats.default;

/** A new Ajv with tstack's options; one per HTTP server (Ajv caches what it compiles). */
export function createSchemaCompiler(): SchemaCompiler {
  const ajv = new Ajv({
    coerceTypes: false, removeAdditional: false, useDefaults: false,
    // OpenStack's schemas say `{"type": ["null", "integer"]}` freely.
    allowUnionTypes: true,
    // One violation is enough to answer, and allErrors lets a crafted body cost more.
    allErrors: false,
    // Keeps the failing value and schema node on each error, for messages that show them.
    verbose: true,
  });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'errorMessage', schemaType: ['string', 'object'] });
  return {
    compileRoute: (schema) => ajv.compile(schema),
    compile: <T extends TSchema>(schema: T, part: RequestPart = 'body') => {
      const check = ajv.compile(schema);
      const title = (schema as { title?: unknown }).title;
      return (value: unknown) => {
        if (check(value)) return { ok: true, value: value as Static<T> };
        const first = check.errors?.[0];
        if (!first) throw new Error('Ajv reported a failure without an error');
        return { ok: false, violation: new SchemaViolation(first, part, typeof title === 'string' ? title : undefined) };
      };
    },
  };
}

// Schema builders for what TypeBox spells differently from OpenStack's schemas, so Ajv's
// failures (and the services' messages) stay those of `{"type": ["string", "null"]}`.

/**
 * `schema` or null, as `type: [<type>, 'null']` (not anyOf), keeping its other keywords.
 * @throws Error when `schema` does not name exactly one type (a programming error).
 */
export function Nullable<T extends TSchema>(schema: T): TUnsafe<Static<T> | null> {
  const { type, ...rest } = schema as TSchema & { type?: unknown; enum?: unknown[] };
  if (typeof type !== 'string') throw new Error('Nullable() needs a schema of one type');
  return Type.Unsafe<Static<T> | null>({ ...rest, type: [type, 'null'], ...(rest.enum ? { enum: [...rest.enum, null] } : {}) });
}

/** One of `values` (a JSON-schema `enum`), typed as their union. */
export function Enum<const V extends readonly (string | number | boolean | null)[]>(values: V, options: Record<string, unknown> = {}): TUnsafe<V[number]> {
  return Type.Unsafe<V[number]>({ ...options, enum: [...values] });
}
