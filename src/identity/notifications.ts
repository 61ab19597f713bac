// Publishes Keystone's notifications on the message bus (keystone/notifications.py, basic
// format): `identity.<resource>.deleted` with `{"resource_info": <id>}`, so other services
// (Nova, Heat, telemetry) can react to identity changes as they do with Keystone.

import type { Notifier } from '../common/messaging/index.js';
import type { IdentityEvents } from './events.js';

export function publishIdentityNotifications(events: IdentityEvents, notifier: Notifier): void {
  events.on('domain.deleted', ({ domainId }) => notifier.info('identity.domain.deleted', { resource_info: domainId }));
  events.on('project.deleted', ({ projectId }) => notifier.info('identity.project.deleted', { resource_info: projectId }));
  events.on('user.deleted', ({ userId }) => notifier.info('identity.user.deleted', { resource_info: userId }));
  events.on('group.deleted', ({ groupId }) => notifier.info('identity.group.deleted', { resource_info: groupId }));
  events.on('role.deleted', ({ roleId }) => notifier.info('identity.role.deleted', { resource_info: roleId }));
}
