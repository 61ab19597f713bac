// Every service tstack runs, in start order. `tstack up`, `serve NAME`, `manage db-sync`,
// `config sample` and `policy sample NAME` all read this list: adding a service is its folder
// (with a `defineService` declaration in its service.ts) plus one line below.

import type { IdentityAdmin, ServiceDescriptor } from './common/service/index.js';
import { identityService } from './identity/index.js';
import { imageService } from './image/index.js';

/** The services a tstack command knows; the identity service holds the catalog they register in. */
export interface ServiceList {
  /** Holds the catalog and the service users; started first. */
  readonly identity: ServiceDescriptor<IdentityAdmin>;
  /** Every service, identity first, in start order. */
  readonly all: readonly ServiceDescriptor[];
}

export const SERVICES: ServiceList = {
  identity: identityService,
  all: [
    identityService,
    imageService,
  ],
};
