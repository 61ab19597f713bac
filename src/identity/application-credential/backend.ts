// The application credential driver contract. Mirrors
// keystone/application_credential/backends/base.py.

import type { ApplicationCredentialFilter, StoredApplicationCredential } from './model.js';

export interface ApplicationCredentialBackend {
  /**
   * Stores a credential with its roles and access rules in one transaction.
   * Throws DuplicateEntity (409) when its user already has a credential of that name.
   */
  create(credential: StoredApplicationCredential): Promise<StoredApplicationCredential>;
  /** Throws EntityNotFound('Application Credential') (404) when absent. */
  get(id: string): Promise<StoredApplicationCredential>;
  /** The user's credential of that name, or undefined. */
  findByName(userId: string, name: string): Promise<StoredApplicationCredential | undefined>;
  /** The user's credentials, ordered by name, filtered exactly by name when given. */
  listForUser(userId: string, filter: ApplicationCredentialFilter): Promise<StoredApplicationCredential[]>;
  /** Throws EntityNotFound('Application Credential') (404) when absent. */
  delete(id: string): Promise<void>;
  /** Deletes every credential of the user; none is fine. */
  deleteForUser(userId: string): Promise<void>;
  /** Deletes every credential bound to the project; none is fine. */
  deleteForProject(projectId: string): Promise<void>;
}
