// The lookup adapters pass failures through: only "not found" has a meaning of its own.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createAssignmentTestStack } from './assignment/testing.js';
import { roleLookup } from './lookups-adapter.js';

describe('roleLookup', () => {
  it('reads a missing role as implying nothing, and lets any other failure through', async () => {
    const stack = await createAssignmentTestStack();
    const admin = await stack.roles.createRole({ name: 'admin2' });
    const member = await stack.roles.createRole({ name: 'member2' });
    await stack.roles.createImpliedRole(admin.id, member.id);
    const lookup = roleLookup(stack.roles);
    assert.deepEqual((await lookup.listImpliedRoles(admin.id)).map((r) => r.id), [member.id]);
    assert.deepEqual(await lookup.listImpliedRoles('no-such-role'), []);
    await stack.database.close();
    // The database is gone: implied roles must not silently disappear from an application credential.
    await assert.rejects(lookup.listImpliedRoles(admin.id));
  });
});
