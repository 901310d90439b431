import { type Clock, systemClock } from '@bonafide/core'
import { classifySchemaChange, type SchemaChange } from './classify.js'
import { SchemaError } from './errors.js'
import { type CredentialSchema, compareSemver, createSchemaRecord, parseSemver, sameSchemaContent } from './model.js'

export interface SchemaListFilter {
  name?: string
  tag?: string
  author?: string
}

/**
 * Where credential schemas live. Versions are immutable: re-adding the same content is a no-op,
 * different content under an existing name+version fails (`schema.version_exists`), and a new
 * version must bump as its change demands (`schema.version_bump_required`).
 * Every implementation passes `runSchemaRegistryContract` (`@bonafide/schema/testing`).
 */
export interface SchemaRegistry {
  add(input: unknown): Promise<CredentialSchema>
  get(id: string): Promise<CredentialSchema | undefined>
  getVersion(name: string, version: string): Promise<CredentialSchema | undefined>
  /** Highest version of a name. */
  latest(name: string): Promise<CredentialSchema | undefined>
  /** Matching versions, by name then version ascending. */
  list(filter?: SchemaListFilter): Promise<CredentialSchema[]>
}

/** The bump a change needs, compared with the version it follows. */
export function requiredBump(change: SchemaChange): 'major' | 'minor' | 'patch' {
  return change.kind === 'breaking' ? 'major' : change.kind === 'additive' ? 'minor' : 'patch'
}

/**
 * Decide whether a record may be stored next to the existing versions of its name: returns the
 * existing record when the same content is re-added, undefined when the new one should be stored.
 * Shared by every registry implementation so they enforce identical rules.
 */
export function admitSchemaVersion(
  record: CredentialSchema,
  versions: readonly CredentialSchema[],
): CredentialSchema | undefined {
  const existing = versions.find((v) => v.version === record.version)
  if (existing) {
    if (sameSchemaContent(existing, record)) return existing
    throw new SchemaError('schema.version_exists', 'this name and version exist with different content', {
      details: { id: existing.id },
    })
  }
  const prev = versions
    .filter((v) => compareSemver(v.version, record.version) < 0)
    .sort((a, b) => compareSemver(b.version, a.version))[0]
  if (!prev) return undefined
  const change = classifySchemaChange(prev.schema, record.schema)
  const need = requiredBump(change)
  const [pM, pm] = parseSemver(prev.version)
  const [M, m] = parseSemver(record.version)
  const ok = need === 'major' ? M > pM : need === 'minor' ? M > pM || m > pm : true
  if (!ok)
    throw new SchemaError('schema.version_bump_required', `a ${change.kind} change needs a ${need} version bump`, {
      details: { previous: prev.version, kind: change.kind, reasons: change.reasons },
    })
  return undefined
}

/** In-memory registry (tests, single process). Records are frozen copies; nothing handed out can change them. */
export class MemorySchemaRegistry implements SchemaRegistry {
  readonly #byId = new Map<string, CredentialSchema>()
  readonly #byName = new Map<string, CredentialSchema[]>()
  readonly #clock: Clock

  constructor(o: { clock?: Clock } = {}) {
    this.#clock = o.clock ?? systemClock
  }

  async add(input: unknown): Promise<CredentialSchema> {
    const record = createSchemaRecord(input, this.#clock)
    const versions = this.#byName.get(record.name) ?? []
    const same = admitSchemaVersion(record, versions)
    if (same) return same
    if (this.#byId.has(record.id)) throw new SchemaError('schema.version_exists', 'a schema with this id exists')
    this.#byId.set(record.id, record)
    this.#byName.set(
      record.name,
      [...versions, record].sort((a, b) => compareSemver(a.version, b.version)),
    )
    return record
  }

  async get(id: string): Promise<CredentialSchema | undefined> {
    return this.#byId.get(id)
  }

  async getVersion(name: string, version: string): Promise<CredentialSchema | undefined> {
    return this.#byName.get(name)?.find((v) => v.version === version)
  }

  async latest(name: string): Promise<CredentialSchema | undefined> {
    return this.#byName.get(name)?.at(-1)
  }

  async list(filter: SchemaListFilter = {}): Promise<CredentialSchema[]> {
    const names = filter.name !== undefined ? [filter.name] : [...this.#byName.keys()].sort()
    return names
      .flatMap((n) => this.#byName.get(n) ?? [])
      .filter(
        (r) =>
          (filter.tag === undefined || r.tags.includes(filter.tag)) &&
          (filter.author === undefined || r.author === filter.author),
      )
  }
}
