// Endpoint URL templates: what Keystone accepts at creation and how tokens see them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkEndpointUrl, formatEndpointUrl } from './url-template.js';
import { InvalidEndpointUrl } from './errors.js';

describe('checkEndpointUrl', () => {
  it('accepts plain URLs and the allowed substitutions in both spellings', () => {
    for (const url of ['http://h:8774/v2.1', 'http://h/v1/AUTH_$(tenant_id)s', 'http://h/%(project_id)s/x', 'http://h/$(user_id)s?a=100%%']) {
      assert.doesNotThrow(() => checkEndpointUrl(url), url);
    }
  });
  it('refuses unknown keys and malformed templates as Keystone does', () => {
    for (const url of ['http://h/v1.1/$(nonexistent)s', 'http://h/v1.1/$(project_id)', 'http://h/v1.1/$(project_id)t', 'http://h/v1.1/$(project_id', 'http://h/$(admin_url)d', 'http://h/a%20b']) {
      assert.throws(() => checkEndpointUrl(url), (e: unknown) => e instanceof InvalidEndpointUrl && e.status === 400 && e.message === `Cannot create an endpoint with an invalid URL: ${url}.`, url);
    }
  });
});

describe('formatEndpointUrl', () => {
  it('fills in the project and user', () => {
    assert.equal(formatEndpointUrl('http://h/v1/AUTH_$(tenant_id)s/$(user_id)s', { tenant_id: 'p1', user_id: 'u1' }), 'http://h/v1/AUTH_p1/u1');
    assert.equal(formatEndpointUrl('http://h/%(project_id)s%%', { project_id: 'p1' }), 'http://h/p1%');
  });
  it('gives nothing when a value is missing or the URL is broken', () => {
    assert.equal(formatEndpointUrl('http://h/$(project_id)s', { user_id: 'u' }), undefined);
    assert.equal(formatEndpointUrl('http://h/$(nope)s', { nope: 'x' }), undefined);
    assert.equal(formatEndpointUrl('http://h/$(project_id', { project_id: 'p' }), undefined);
    assert.equal(formatEndpointUrl('', {}), undefined);
  });
});
