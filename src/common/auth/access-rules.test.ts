// keystonemiddleware's access-rule matching: service type, method and path pattern must all match.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { accessRulesAllow } from './access-rules.js';

const at = (method: string, path: string, serviceType = 'image') => ({ serviceType, method, path });

describe('accessRulesAllow', () => {
  it('allows everything without rules', () => {
    assert.equal(accessRulesAllow(undefined, at('DELETE', '/v2/images/x')), true);
    assert.equal(accessRulesAllow([], at('DELETE', '/v2/images/x')), true);
  });
  it('needs the service type, method and whole path to match', () => {
    const rules = [{ service: 'image', method: 'GET', path: '/v2/images' }];
    assert.equal(accessRulesAllow(rules, at('GET', '/v2/images')), true);
    assert.equal(accessRulesAllow(rules, at('DELETE', '/v2/images')), false);
    assert.equal(accessRulesAllow(rules, at('GET', '/v2/images/x')), false);
    assert.equal(accessRulesAllow(rules, at('GET', '/v2/images', 'identity')), false);
    assert.equal(accessRulesAllow(rules, at('GET', '/v2/imagesX')), false);
  });
  it('reads * and {name} as one segment and ** as any rest', () => {
    assert.equal(accessRulesAllow([{ service: 'image', method: 'GET', path: '/v2/images/*' }], at('GET', '/v2/images/abc')), true);
    assert.equal(accessRulesAllow([{ service: 'image', method: 'GET', path: '/v2/images/{image_id}' }], at('GET', '/v2/images/abc')), true);
    assert.equal(accessRulesAllow([{ service: 'image', method: 'GET', path: '/v2/images/*' }], at('GET', '/v2/images/abc/members')), false);
    assert.equal(accessRulesAllow([{ service: 'image', method: 'GET', path: '/v2/**' }], at('GET', '/v2/images/abc/members')), true);
    // Regex characters in a rule are literal.
    assert.equal(accessRulesAllow([{ service: 'image', method: 'GET', path: '/v2.1/x' }], at('GET', '/v2a1/x')), false);
  });
  it('always lets a restricted token be validated at identity', () => {
    const rules = [{ service: 'image', method: 'GET', path: '/v2/images' }];
    assert.equal(accessRulesAllow(rules, at('GET', '/v3/auth/tokens', 'identity')), true);
    assert.equal(accessRulesAllow(rules, at('DELETE', '/v3/auth/tokens', 'identity')), false);
    assert.equal(accessRulesAllow(rules, at('GET', '/v3/auth/tokens', 'image')), false);
  });
  it('matches nothing with a rule missing a field', () => {
    assert.equal(accessRulesAllow([{ service: 'image', path: '/v2/images' }], at('GET', '/v2/images')), false);
    assert.equal(accessRulesAllow([{ method: 'GET', path: '/v2/images' }], at('GET', '/v2/images')), false);
  });
});
