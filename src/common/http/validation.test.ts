// Route validation: a TypeBox schema checked by Ajv without coercion, typed handlers, the
// violation and its wordings (Keystone's default, a node's own errorMessage, jsonschema's).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Type from 'typebox';
import { createLogger } from '../log/index.js';
import { keystoneErrorBody } from './error-bodies.js';
import { createHttpServer } from './server.js';
import { Enum, Nullable, SchemaViolation, createSchemaCompiler, jsonschemaWording } from './validation.js';

const THING = Type.Object({
  thing: Type.Object({
    name: Type.String({ maxLength: 5, errorMessage: { maxLength: 'Name {value} is too long ({text}).' } }),
    size: Type.Optional(Type.Integer()),
    colour: Type.Optional(Nullable(Enum(['red', 'blue'], { type: 'string' }))),
  }, { errorMessage: { required: { name: "Thing '{missing}' is missing" } } }),
}, { title: 'thing', additionalProperties: false });

function violation(value: unknown): SchemaViolation {
  const result = createSchemaCompiler().compile(THING)(value);
  assert.equal(result.ok, false);
  return (result as { violation: SchemaViolation }).violation;
}

describe('route validation', () => {
  it('hands the handler the value typed by its schema, and never coerces', async () => {
    const app = createHttpServer({ logger: createLogger({ service: 'test', level: 'silent' }), renderError: (e) => keystoneErrorBody(e) });
    // `request.body.thing.size` is `number | undefined` here, from the schema alone.
    app.post('/things', { schema: { body: THING } }, async (request) => ({ doubled: (request.body.thing.size ?? 0) * 2, name: request.body.thing.name }));
    assert.deepEqual((await app.inject({ method: 'POST', url: '/things', payload: { thing: { name: 'a', size: 21 } } })).json(), { doubled: 42, name: 'a' });
    const coerced = await app.inject({ method: 'POST', url: '/things', payload: { thing: { name: 'a', size: '21' } } });
    assert.equal(coerced.statusCode, 400);
    assert.equal(coerced.json().error.message, "Invalid input for field 'thing.size' must be integer.");
    const custom = await app.inject({ method: 'POST', url: '/things', payload: { thing: { name: 'toolong' } } });
    assert.equal(custom.json().error.message, 'Name "toolong" is too long (toolong).');
    assert.equal((await app.inject({ method: 'POST', url: '/things', payload: { thing: {} } })).json().error.message, "Thing 'name' is missing");
  });

  it('describes the violation: keyword, field, value, and the schema title', () => {
    const found = violation({ thing: { name: 'a', size: 1.5 } });
    assert.equal(found.status, 400);
    assert.equal(found.keyword, 'type');
    assert.equal(found.field, 'thing.size');
    assert.equal(found.value, 1.5);
    assert.equal(found.schemaTitle, 'thing');
    assert.equal(found.customMessage, undefined);
  });

  it('words a violation as Python jsonschema does, for services that show its text', () => {
    assert.equal(jsonschemaWording(violation({ thing: { name: 'a', size: 1.5 } })),
      "1.5 is not of type 'integer'\n\nFailed validating 'type' in schema['properties']['thing']['properties']['size']");
    assert.match(jsonschemaWording(violation({ thing: { name: 'a', colour: 'green' } })), /^'green' is not one of \['red', 'blue', None\]/);
    assert.match(jsonschemaWording(violation({ thing: { name: 'a' }, other: true })), /^Additional properties are not allowed \('other' was unexpected\)/);
    assert.match(jsonschemaWording(violation({ thing: { name: 'a', colour: 7 } })), /^7 is not of type 'string', 'null'/);
  });
});
