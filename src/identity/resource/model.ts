// Domains and projects as the resource subsystem hands them out (keystone/resource/).
// As in Keystone, a domain is stored as a project acting as a domain (`isDomain`).

/** Resource options Keystone knows for projects and domains. */
export interface ResourceOptions {
  /** An immutable project or domain refuses updates (other than unsetting this) and deletion. */
  readonly immutable?: boolean;
}

/** A project, or a domain seen as a project (`isDomain`), as GET /v3/projects shows it. */
export interface Project {
  readonly id: string;
  readonly name: string;
  /** The owning domain; null exactly when the project acts as a domain. */
  readonly domainId: string | null;
  /** The parent project, or the domain for a top-level project; null for a domain. */
  readonly parentId: string | null;
  readonly description: string;
  readonly enabled: boolean;
  readonly isDomain: boolean;
  /** Unique, sorted. */
  readonly tags: readonly string[];
  readonly options: ResourceOptions;
  /** Attributes callers added beyond the known ones, returned as given. */
  readonly extra: Readonly<Record<string, unknown>>;
}

/** A domain, as GET /v3/domains shows it. */
export interface Domain {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly enabled: boolean;
  readonly tags: readonly string[];
  readonly options: ResourceOptions;
  readonly extra: Readonly<Record<string, unknown>>;
}

/** Tag conditions of a project listing (Keystone's `tags`, `tags-any`, `not-tags`, `not-tags-any`). */
export interface TagFilters {
  /** Projects carrying every one of these tags. */
  readonly all?: readonly string[];
  /** Projects carrying at least one of these tags. */
  readonly any?: readonly string[];
  /** Projects not carrying all of these tags together. */
  readonly notAll?: readonly string[];
  /** Projects carrying none of these tags. */
  readonly notAny?: readonly string[];
}

/** Conditions of a project listing; all given conditions must hold. */
export interface ProjectFilters {
  readonly name?: string;
  readonly domainId?: string;
  readonly parentId?: string;
  readonly enabled?: boolean;
  /** Projects acting as domains (true) or regular projects (false); both when absent. */
  readonly isDomain?: boolean;
  /** Only these ids. */
  readonly ids?: readonly string[];
  readonly tags?: TagFilters;
}

/** Conditions of a domain listing. */
export interface DomainFilters {
  readonly name?: string;
  readonly enabled?: boolean;
}

/** What a caller gives to create a project (POST /v3/projects, bootstrap). */
export interface ProjectCreate {
  /** Chosen by the manager when absent. */
  readonly id?: string;
  readonly name: string;
  /** Defaults to the parent's domain, else to the default domain. Must be absent when `isDomain`. */
  readonly domainId?: string;
  /** Defaults to the domain (a top-level project). Must be absent when `isDomain`. */
  readonly parentId?: string;
  readonly description?: string;
  readonly enabled?: boolean;
  /** Creates a domain through the project API. */
  readonly isDomain?: boolean;
  readonly tags?: readonly string[];
  readonly options?: ResourceOptions;
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** Changes to a project; absent fields are kept. `extra` keys are merged into the existing ones. */
export interface ProjectUpdate {
  readonly name?: string;
  readonly description?: string;
  readonly enabled?: boolean;
  readonly tags?: readonly string[];
  /** Merged into the existing options; an option set to null is removed. */
  readonly options?: { readonly immutable?: boolean | null };
  readonly extra?: Readonly<Record<string, unknown>>;
  /** Accepted only when equal to the current value (Keystone refuses to move projects). */
  readonly domainId?: string | null;
  readonly parentId?: string | null;
  readonly isDomain?: boolean;
}

/** What a caller gives to create a domain (POST /v3/domains, bootstrap). */
export interface DomainCreate {
  /** Chosen by the manager when absent. */
  readonly id?: string;
  readonly name: string;
  readonly description?: string;
  readonly enabled?: boolean;
  readonly tags?: readonly string[];
  readonly options?: ResourceOptions;
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** Changes to a domain; absent fields are kept. */
export type DomainUpdate = Pick<ProjectUpdate, 'name' | 'description' | 'enabled' | 'tags' | 'options' | 'extra'>;

/** A hierarchy rendered as Keystone's `parents`/`subtree` ids: `{id: {childId: null}}`. */
export interface IdTree {
  readonly [id: string]: IdTree | null;
}
