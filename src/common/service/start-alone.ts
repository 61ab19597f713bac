// Starts one service outside `tstack up` / `serve` (tests, tools that build a service from its
// option values): on the bus it is given, or on a private in-process bus that close() ends too.

import { InProcessTransport } from '../messaging/index.js';
import type { Transport } from '../messaging/index.js';
import type { RunningService, ServiceOptionGroup, ServiceSpec, TypedServiceEnvironment } from './service-definition.js';
import { startService } from './start-service.js';

/** The environment of startService, with the transport optional. */
export type AloneEnvironment<G extends ServiceOptionGroup> = Omit<TypedServiceEnvironment<G>, 'transport'> & { readonly transport?: Transport };

/**
 * startService, on a private in-process bus when `environment.transport` is absent. The bus it
 * made is closed by the returned service's close(), and at once when the start fails.
 */
export async function startServiceAlone<G extends ServiceOptionGroup, Tables, Api>(
  spec: ServiceSpec<G, Tables, Api>,
  environment: AloneEnvironment<G>,
): Promise<RunningService<Api>> {
  const ownTransport = environment.transport ? undefined : new InProcessTransport();
  const transport = environment.transport ?? (ownTransport as Transport);
  let running: RunningService<Api>;
  try {
    running = await startService(spec, { ...environment, transport });
  } catch (error) {
    await ownTransport?.close();
    throw error;
  }
  return {
    ...running,
    listen: (host) => running.listen(host),
    close: async () => {
      await running.close();
      await ownTransport?.close();
    },
  };
}
