// Identity's notifications on the message bus (keystone/notifications.py, basic format):
// `identity.<resource>.deleted` with `{"resource_info": <id>}`, so other services (Nova, Heat,
// telemetry) can react to identity changes as they do with Keystone; plus the revocations and
// removed grants every service's token cache listens for (common/auth REVOCATION_EVENT_TYPES).

import { REVOCATION_EVENT_TYPES } from '../common/auth/index.js';
import type { IdentityEvents } from './events.js';

/** Where a notification goes: the bus's Notifier, or this service's own token cache. */
export type NotificationSink = (eventType: string, payload: Record<string, unknown>) => Promise<void> | void;

/** Sends every identity event that has a notification to `sink`, as that notification. */
export function forwardIdentityNotifications(events: IdentityEvents, sink: NotificationSink): void {
  const types = REVOCATION_EVENT_TYPES;
  events.on('domain.deleted', async ({ domainId }) => sink(types.domainDeleted, { resource_info: domainId }));
  events.on('project.deleted', async ({ projectId }) => sink(types.projectDeleted, { resource_info: projectId }));
  events.on('project.disabled', async ({ projectId }) => sink(types.projectDisabled, { resource_info: projectId }));
  events.on('domain.disabled', async ({ domainId }) => sink(types.domainDisabled, { resource_info: domainId }));
  events.on('user.deleted', async ({ userId }) => sink(types.userDeleted, { resource_info: userId }));
  events.on('group.deleted', async ({ groupId }) => sink(types.groupDeleted, { resource_info: groupId }));
  events.on('role.deleted', async ({ roleId }) => sink(types.roleDeleted, { resource_info: roleId }));
  events.on('revocation.recorded', async ({ userId, projectId, auditId }) => sink(types.revokeEvent, {
    ...(userId ? { user_id: userId } : {}), ...(projectId ? { project_id: projectId } : {}), ...(auditId ? { audit_id: auditId } : {}),
  }));
  // Keystone's role_assignment notification payload.
  events.on('assignment.deleted', async (grant) => sink(types.roleAssignmentDeleted, {
    role: grant.roleId,
    [grant.actorType]: grant.actorId,
    ...(grant.targetType === 'system' ? { system: 'all' } : { [grant.targetType]: grant.targetId }),
    inherited_to_projects: grant.inherited,
  }));
}
