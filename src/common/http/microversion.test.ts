// Microversion negotiation: header forms, latest, defaults and out-of-range requests.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { atLeast, formatVersion, microversionResponseHeaders, negotiateMicroversion } from './microversion.js';

const compute = { serviceType: 'compute', min: { major: 2, minor: 1 }, max: { major: 2, minor: 96 }, legacyHeaders: ['X-OpenStack-Nova-API-Version'] };

describe('negotiateMicroversion', () => {
  it('defaults to the minimum and honours "latest"', () => {
    assert.equal(formatVersion(negotiateMicroversion({}, compute)), '2.1');
    assert.equal(formatVersion(negotiateMicroversion({ 'openstack-api-version': 'compute latest' }, compute)), '2.96');
  });
  it('reads the service-typed header among others, and the legacy header', () => {
    const v = negotiateMicroversion({ 'openstack-api-version': 'volume 3.10, compute 2.53' }, compute);
    assert.ok(atLeast(v, 2, 53) && !atLeast(v, 2, 54));
    assert.equal(formatVersion(negotiateMicroversion({ 'x-openstack-nova-api-version': '2.10' }, compute)), '2.10');
    assert.equal(formatVersion(negotiateMicroversion({ 'openstack-api-version': 'volume 3.10' }, compute)), '2.1');
  });
  it('answers 406 outside the range and 400 for a malformed version', () => {
    assert.throws(() => negotiateMicroversion({ 'openstack-api-version': 'compute 2.97' }, compute), { status: 406 });
    assert.throws(() => negotiateMicroversion({ 'openstack-api-version': 'compute 1.0' }, compute), { status: 406 });
    assert.throws(() => negotiateMicroversion({ 'openstack-api-version': 'compute 2.x' }, compute), { status: 400 });
  });
  it('announces the version served', () => {
    assert.deepEqual(microversionResponseHeaders({ major: 2, minor: 5 }, compute), { 'openstack-api-version': 'compute 2.5', vary: 'OpenStack-API-Version' });
  });
});
