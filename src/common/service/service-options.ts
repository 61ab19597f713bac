// The options every API service declares, written once: spread `serviceOptions(...)` (and
// `serviceUserOptions(...)` for services that call the identity service) into `defineGroup`.

import { intOpt, portOpt, stringOpt } from '../config/index.js';
import type { ConfigValues, GroupDefinition } from '../config/index.js';
import type { ServiceUserOptionMap, ServiceUserSettings } from './service-definition.js';

export interface ServiceOptionDefaults {
  /** Default TCP port, OpenStack's (5000, 9292, 8774...). */
  readonly port: number;
  /** Shown in help texts: `identity`, `image`. */
  readonly label: string;
  /** Default of token_cache_seconds. */
  readonly tokenCacheSeconds: number;
  /** Help text of token_cache_seconds, when the service's own wording says more. */
  readonly tokenCacheHelp?: string;
}

/** port, connection, policy_file and token_cache_seconds, with defaults and help text. */
export function serviceOptions(defaults: ServiceOptionDefaults) {
  return {
    port: portOpt({ default: defaults.port, help: `TCP port of the ${defaults.label} API.` }),
    connection: stringOpt({ secret: true, help: `Database URL (sqlite:///path, postgresql://..., mysql://...). Default: SQLite file ${defaults.label}.db in data_dir.` }),
    policy_file: stringOpt({ help: 'YAML or JSON file overriding default policy rules (`tstack policy sample` prints them all).' }),
    token_cache_seconds: intOpt({
      default: defaults.tokenCacheSeconds, min: 0,
      help: defaults.tokenCacheHelp ?? 'How long a validated X-Auth-Token is trusted before it is checked again.',
    }),
  } as const;
}

/** auth_url and the service user's name, password and project (keystonemiddleware's [keystone_authtoken]). */
export function serviceUserOptions(defaults: { readonly username: string; readonly label: string }) {
  return {
    auth_url: stringOpt({ help: `Identity URL (…/v3) the ${defaults.label} service validates tokens with; tstack up sets it.` }),
    service_username: stringOpt({ default: defaults.username, help: `Service user the ${defaults.label} service authenticates to the identity service as.` }),
    service_password: stringOpt({ secret: true, help: 'Password of service_username. Default with tstack up: generated once and kept in data_dir.' }),
    service_project_name: stringOpt({ default: 'service', help: 'Project of the service user (Default domain).' }),
  } as const;
}

/** Reads the service user from the options `serviceUserOptions` declares. */
export function serviceUserFromOptions<G extends GroupDefinition<ServiceUserOptionMap>>(config: ConfigValues<G>): ServiceUserSettings {
  return { authUrl: config.auth_url, username: config.service_username, password: config.service_password, projectName: config.service_project_name };
}
