// `tstack up`: the all-in-one cloud. Checks every port first, then starts every service of the
// list in this process on SQLite and the in-process bus, bootstraps on first start (admin,
// service users, catalog, a default image), writes openrc and clouds.yaml, prints one line per
// step and "tstack ready" once every service answers, and stops cleanly on Ctrl-C.

import type { Config } from '../common/config/index.js';
import { cloudOptions } from '../common/cloud-options.js';
import { createTransport } from '../common/messaging/index.js';
import { checkPortsFree } from '../common/service/index.js';
import type { RunningService, ServiceDescriptor } from '../common/service/index.js';
import { identityOptions } from '../identity/index.js';
import { say } from './cli-io.js';
import type { CliIo } from './cli-io.js';
import { adminPasswordFor, secretFor } from './secrets.js';
import { writeClientFiles } from './client-files.js';
import { cloudContext, hostUrl, publicHostOf } from './cloud-context.js';
import { DEFAULT_IMAGE_NAME, ensureDefaultImage } from './default-image.js';

async function waitUntilAnswering(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${url} did not answer: ${(error as Error).message}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every service's port, checked free before anything starts. */
export async function checkServicePorts(config: Config, services: readonly ServiceDescriptor[]): Promise<void> {
  const cloud = config.group(cloudOptions);
  await checkPortsFree(cloud.bind_host, services.map((service) => ({
    service: service.name, group: service.options.name, port: service.settings(config, cloud.data_dir).port,
  })));
}

export async function runUp(config: Config, io: CliIo): Promise<number> {
  const { services } = io;
  await checkServicePorts(config, services.all);
  const ctx = cloudContext(config, io);
  const { dataDir, logger } = ctx;
  const bind = ctx.cloud.bind_host;
  const regionId = ctx.cloud.region_name;
  const publicUrl = (service: ServiceDescriptor): string => `${hostUrl(publicHostOf(ctx.cloud), service.settings(config, dataDir).port)}${service.catalog.pathSuffix}`;
  const progress = (name: string) => (message: string): void => say(io, `${name}: ${message}`);
  say(io, `tstack: data dir ${dataDir}`);

  const identityConfig = config.group(identityOptions);
  const adminPassword = await adminPasswordFor(dataDir, identityConfig.bootstrap_password);
  const identityUrl = publicUrl(services.identity);
  const others = services.all.filter((service) => service !== services.identity);

  const transport = createTransport(ctx.cloud.transport_url, { logger });
  const running: RunningService<unknown>[] = [];
  try {
    const identity = await services.identity.start(config, { dataDir, logger, transport, progress: progress('identity') });
    running.push(identity);
    await identity.api.bootstrap({ adminUsername: identityConfig.bootstrap_username, adminPassword, publicUrl: identityUrl, regionId });
    const where = identityConfig.bootstrap_password ? '' : ` (password in ${dataDir}/admin-password)`;
    say(io, `identity: admin user ${identityConfig.bootstrap_username} bootstrapped in project ${identityConfig.admin_project_name}${where}`);
    const passwords = new Map<string, string>();
    for (const service of others) {
      const user = service.settings(config, dataDir).serviceUser;
      if (user) {
        const password = await secretFor(dataDir, `${service.catalog.name}-password`, user.password);
        passwords.set(service.name, password);
        await identity.api.ensureServiceUser(user.username, password);
        say(io, `identity: service user ${user.username} ready`);
      }
      await identity.api.registerEndpoints({ type: service.catalog.type, name: service.catalog.name, url: publicUrl(service), regionId });
    }
    await listenAndCheck(identity, services.identity, bind, identityUrl, io);

    for (const service of others) {
      const authUrl = service.settings(config, dataDir).serviceUser?.authUrl ?? identityUrl;
      const servicePassword = passwords.get(service.name);
      const started = await service.start(config, {
        dataDir, logger, transport, progress: progress(service.name),
        identity: { authUrl, ...(servicePassword ? { servicePassword } : {}) },
      });
      running.push(started);
      await listenAndCheck(started, service, bind, publicUrl(service), io);
    }

    const projectName = identityConfig.admin_project_name;
    await writeClientFiles(dataDir, { authUrl: identityUrl, username: identityConfig.bootstrap_username, password: adminPassword, projectName, regionName: regionId });
    say(io, `tstack: credentials in ${dataDir}/openrc and ${dataDir}/clouds.yaml (cloud "tstack")`);
    const image = services.all.find((service) => service.catalog.type === 'image');
    if (image) {
      const uploaded = await ensureDefaultImage({ identityUrl, imageUrl: publicUrl(image), username: identityConfig.bootstrap_username, password: adminPassword, projectName });
      say(io, `${image.name}: default image ${DEFAULT_IMAGE_NAME} ${uploaded ? 'uploaded' : 'already present'}`);
    }
    const urls = services.all.map((service) => `${service.name} ${publicUrl(service)}`).join(', ');
    say(io, `tstack ready: ${urls} — credentials in ${dataDir}/openrc`);
    await io.waitForStop();
    say(io, 'tstack: stopping');
  } finally {
    for (const service of running.reverse()) await service.close();
    await transport.close();
  }
  return 0;
}

async function listenAndCheck(running: RunningService<unknown>, service: ServiceDescriptor, bind: string, url: string, io: CliIo): Promise<void> {
  const address = await running.listen(bind);
  await waitUntilAnswering(`${address}${service.healthPath}`, 30_000);
  say(io, `${service.name}: listening on ${url}`);
}
