// Generated secrets of an all-in-one cloud (the admin password, service users' passwords):
// from the config when set, else generated once and kept (mode 0600) in the data dir so a
// restart finds the same credentials.

import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function secretFor(dataDir: string, fileName: string, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  const file = join(dataDir, fileName);
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const generated = randomBytes(18).toString('base64url');
  await writeFile(file, `${generated}\n`, { mode: 0o600, flag: 'wx' });
  return generated;
}

export function adminPasswordFor(dataDir: string, configured: string | undefined): Promise<string> {
  return secretFor(dataDir, 'admin-password', configured);
}
