// The credential files `tstack up` leaves in the data dir: an openrc for the shell and a
// clouds.yaml (cloud `tstack`) for openstacksdk and the CLI's --os-cloud.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dump as dumpYaml } from 'js-yaml';

export interface AdminCredentials {
  readonly authUrl: string;
  readonly username: string;
  readonly password: string;
  readonly projectName: string;
  readonly regionName: string;
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

export async function writeClientFiles(dataDir: string, creds: AdminCredentials): Promise<void> {
  const openrc = [
    '# Admin credentials of this tstack cloud: source this file, then run `openstack ...`.',
    `export OS_AUTH_URL=${shellQuote(creds.authUrl)}`,
    'export OS_IDENTITY_API_VERSION=3',
    'export OS_AUTH_TYPE=password',
    `export OS_USERNAME=${shellQuote(creds.username)}`,
    `export OS_PASSWORD=${shellQuote(creds.password)}`,
    `export OS_PROJECT_NAME=${shellQuote(creds.projectName)}`,
    'export OS_USER_DOMAIN_NAME=Default',
    'export OS_PROJECT_DOMAIN_NAME=Default',
    `export OS_REGION_NAME=${shellQuote(creds.regionName)}`,
    'export OS_INTERFACE=public',
    '',
  ].join('\n');
  const clouds = {
    clouds: {
      tstack: {
        auth: {
          auth_url: creds.authUrl, username: creds.username, password: creds.password, project_name: creds.projectName,
          user_domain_name: 'Default', project_domain_name: 'Default',
        },
        region_name: creds.regionName,
        identity_api_version: 3,
        interface: 'public',
      },
    },
  };
  await writeFile(join(dataDir, 'openrc'), openrc, { mode: 0o600 });
  await writeFile(join(dataDir, 'clouds.yaml'), dumpYaml(clouds), { mode: 0o600 });
}
