// Options of the identity service, the [identity] section of tstack.conf; they gather what
// keystone.conf spreads over [token], [fernet_tokens], [identity], [oslo_policy] and [database].

import { boolOpt, defineGroup, intOpt, stringOpt } from '../common/config/index.js';
import { serviceOptions } from '../common/service/index.js';

export const identityOptions = defineGroup('identity', {
  ...serviceOptions({
    port: 5000, label: 'identity', tokenCacheSeconds: 5,
    tokenCacheHelp: 'How long the API trusts a validated X-Auth-Token before checking it again; revocations always clear it.',
  }),
  key_repository: stringOpt({ help: 'Directory of Fernet keys (keystone [fernet_tokens] key_repository). Default: fernet-keys in data_dir.' }),
  max_active_keys: intOpt({ default: 3, min: 1, help: 'Keys kept by fernet-rotate: one staged, one primary, the rest secondary. Tokens older than the oldest kept key stop validating.' }),
  token_expiration: intOpt({ default: 3600, min: 60, help: 'Lifetime of a new token, in seconds.' }),
  allow_expired_window: intOpt({ default: 172800, min: 0, help: 'Seconds after expiry during which ?allow_expired=1 still validates a token (for services finishing long operations).' }),
  password_hash_cost: intOpt({ default: 16, min: 10, max: 20, help: 'log2 of the scrypt work factor N for password and application credential secret hashes; each step doubles the cost of a check. 16 takes about as long as the default bcrypt of Keystone (cost 12).' }),
  enforce_scope: boolOpt({ default: false, help: 'Refuse tokens whose scope (system, domain, project) a rule does not list, as oslo.policy enforce_scope.' }),
  admin_project_name: stringOpt({ default: 'admin', help: 'Project whose tokens are admin-project tokens (is_admin_project).' }),
  admin_project_domain_name: stringOpt({ default: 'Default', help: 'Domain of admin_project_name.' }),
  bootstrap_username: stringOpt({ default: 'admin', help: 'Administrator created on first start.' }),
  bootstrap_password: stringOpt({ secret: true, help: 'Password of the bootstrap administrator. Default: generated on first start and kept in data_dir/admin-password.' }),
  revocation_prune_interval: intOpt({ default: 3600, min: 0, help: 'Seconds between two removals of revocation events no token can match any more (older than twice token_expiration plus allow_expired_window); the first run comes at a random point of the first interval. 0 never removes them.' }),
});
