// Default policy rules of the image service. Mirrors glance/policies/ (image.py, base.py,
// tasks.py) with the legacy owner-based defaults: the target is the image, with its owner
// as `project_id` (glance.api.policy.ImageTarget).

import type { Operation, RuleDefault } from '../../common/policy/index.js';

const ADMIN = 'rule:context_is_admin';
const ADMIN_OR_OWNER = 'rule:context_is_admin or project_id:%(project_id)s';
const ANYONE = '';

const IMAGES = '/v2/images';
const IMAGE = '/v2/images/{image_id}';
const MEMBERS = `${IMAGE}/members`;
const MEMBER = `${IMAGE}/members/{member_id}`;

function rule(name: string, checkStr: string, description: string, operations: readonly Operation[]): RuleDefault {
  return { name, checkStr, description, operations, scopeTypes: ['project'] };
}

export const imagePolicies: readonly RuleDefault[] = [
  { name: 'context_is_admin', checkStr: 'role:admin', description: 'Defines the rule for the is_admin:True check.' },
  { name: 'default', checkStr: ANYONE, description: 'Defines the default rule used for policies that historically had an empty policy.' },
  rule('add_image', ADMIN_OR_OWNER, 'Create new image', [{ path: IMAGES, method: 'POST' }]),
  rule('delete_image', ADMIN_OR_OWNER, 'Deletes the image', [{ path: IMAGE, method: 'DELETE' }]),
  rule('get_image', ANYONE, 'Get specified image', [{ path: IMAGE, method: 'GET' }]),
  rule('get_images', ANYONE, 'Get all available images', [{ path: IMAGES, method: 'GET' }]),
  rule('modify_image', ADMIN_OR_OWNER, 'Updates given image, its tags', [
    { path: IMAGE, method: 'PATCH' }, { path: `${IMAGE}/tags/{tag}`, method: 'PUT' }, { path: `${IMAGE}/tags/{tag}`, method: 'DELETE' },
  ]),
  rule('publicize_image', ADMIN, 'Publicize given image', [{ path: IMAGE, method: 'PATCH' }, { path: IMAGES, method: 'POST' }]),
  rule('communitize_image', ADMIN_OR_OWNER, 'Communitize given image', [{ path: IMAGE, method: 'PATCH' }, { path: IMAGES, method: 'POST' }]),
  rule('download_image', ANYONE, 'Downloads given image', [{ path: `${IMAGE}/file`, method: 'GET' }]),
  rule('upload_image', ADMIN_OR_OWNER, 'Uploads data to specified image', [{ path: `${IMAGE}/file`, method: 'PUT' }, { path: `${IMAGE}/stage`, method: 'PUT' }]),
  rule('copy_image', ADMIN, 'Copy existing image to other stores', [{ path: `${IMAGE}/import`, method: 'POST' }]),
  rule('get_image_location', ADMIN_OR_OWNER, 'Get specified image location', [{ path: IMAGE, method: 'GET' }]),
  rule('set_image_location', ADMIN_OR_OWNER, 'Set specified image location', [{ path: IMAGE, method: 'PATCH' }]),
  rule('delete_image_location', ADMIN, 'Deletes the location of given image', [{ path: IMAGE, method: 'PATCH' }]),
  rule('deactivate', ADMIN, 'Deactivate image', [{ path: `${IMAGE}/actions/deactivate`, method: 'POST' }]),
  rule('reactivate', ADMIN, 'Reactivate image', [{ path: `${IMAGE}/actions/reactivate`, method: 'POST' }]),
  rule('add_member', ADMIN_OR_OWNER, 'Create image member', [{ path: MEMBERS, method: 'POST' }]),
  rule('delete_member', ADMIN_OR_OWNER, 'Delete image member', [{ path: MEMBER, method: 'DELETE' }]),
  rule('get_member', ANYONE, 'Show image member details', [{ path: MEMBER, method: 'GET' }]),
  rule('get_members', ANYONE, 'List image members', [{ path: MEMBERS, method: 'GET' }]),
  rule('modify_member', ANYONE, 'Update image member', [{ path: MEMBER, method: 'PUT' }]),
  rule('get_task', ADMIN, 'Get an image task.', [{ path: '/v2/tasks/{task_id}', method: 'GET' }]),
  rule('get_tasks', ADMIN, 'List tasks for all images.', [{ path: '/v2/tasks', method: 'GET' }]),
  rule('add_task', ADMIN, 'Create an image task.', [{ path: '/v2/tasks', method: 'POST' }]),
  rule('modify_task', ADMIN, 'This policy is not used.', [{ path: '/v2/tasks/{task_id}', method: 'DELETE' }]),
  rule('tasks_api_access', ADMIN, 'Lets a caller see the tasks of an image.', [{ path: `${IMAGE}/tasks`, method: 'GET' }]),
];
