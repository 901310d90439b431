import type { Clock, JsonObject } from '@bonafide/core'
import type { Selectable } from 'kysely'
import { z } from 'zod'
import type { Db } from '../db/database.js'
import type { CredentialConfigurationTable } from '../db/schema.js'
import { ApiProblem, notFound } from './problem.js'

const zId = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - (1..64)')
const zDisplay = z
  .array(
    z.strictObject({
      name: z.string().min(1).max(200),
      locale: z
        .string()
        .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/)
        .optional(),
      description: z.string().max(1000).optional(),
    }),
  )
  .max(20)

/** A credential configuration as the API takes it (OpenID4VCI §12.2.4 entry plus the agent's policy). */
export const zConfigurationInput = z
  .strictObject({
    id: zId,
    format: z.enum(['dc+sd-jwt', 'mso_mdoc', 'jwt_vc_json']),
    vct: z.string().min(1).max(512).optional(),
    doctype: z.string().min(1).max(256).optional(),
    type: z.array(z.string().min(1).max(256)).min(1).max(16).optional(),
    schemaId: z.string().min(1).max(512).optional(),
    display: zDisplay.optional(),
    scope: z
      .string()
      .regex(/^[\x21\x23-\x5b\x5d-\x7e]{1,128}$/)
      .optional(),
    batchSize: z.int().min(1).max(100).default(10),
    keyAttestationRequired: z.boolean().default(false),
    validitySeconds: z
      .int()
      .min(60)
      .max(5 * 365 * 86400)
      .default(30 * 86400),
    statusList: z.enum(['token', 'bitstring', 'none']).optional(),
    requiresApproval: z.boolean().default(false),
    storeClaims: z.boolean().default(false),
  })
  .superRefine((c, ctx) => {
    const need = c.format === 'dc+sd-jwt' ? 'vct' : c.format === 'mso_mdoc' ? 'doctype' : 'type'
    if (c[need] === undefined) ctx.addIssue({ code: 'custom', path: [need], message: `${c.format} needs ${need}` })
    if (c.statusList === 'bitstring' && c.format !== 'jwt_vc_json')
      ctx.addIssue({ code: 'custom', path: ['statusList'], message: 'bitstring status lists are for jwt_vc_json' })
    if (c.statusList === 'token' && c.format === 'jwt_vc_json')
      ctx.addIssue({ code: 'custom', path: ['statusList'], message: 'jwt_vc_json credentials use bitstring status lists' })
  })
export type ConfigurationInput = z.input<typeof zConfigurationInput>

export interface CredentialConfiguration {
  readonly id: string
  readonly format: 'dc+sd-jwt' | 'mso_mdoc' | 'jwt_vc_json'
  /** The `credential_configurations_supported` entry. */
  readonly metadata: JsonObject
  readonly schemaId: string | null
  readonly batchSize: number
  readonly keyAttestationRequired: boolean
  readonly validitySeconds: number
  readonly statusList: 'token' | 'bitstring' | 'none'
  readonly requiresApproval: boolean
  readonly storeClaims: boolean
  readonly createdAt: number
  readonly retiredAt: number | null
}

/** Zod issues as API error entries (JSON Pointer paths, messages of our own). */
export function issuesOf(e: z.ZodError): { path: string; message: string }[] {
  return e.issues.map((i) => ({ path: `/${i.path.map(String).join('/')}`, message: i.message }))
}

function metadataOf(c: z.output<typeof zConfigurationInput>): JsonObject {
  const m: JsonObject = { format: c.format }
  if (c.vct) m.vct = c.vct
  if (c.doctype) m.doctype = c.doctype
  if (c.type) m.credential_definition = { type: c.type }
  if (c.scope) m.scope = c.scope
  if (c.format === 'mso_mdoc') m.credential_signing_alg_values_supported = [-7]
  if (c.display) m.credential_metadata = { display: c.display.map((d) => ({ ...d })) }
  return m
}

function fromRow(r: Selectable<CredentialConfigurationTable>): CredentialConfiguration {
  return {
    id: r.id,
    format: r.format as CredentialConfiguration['format'],
    metadata: r.metadata as unknown as JsonObject,
    schemaId: r.schema_id,
    batchSize: r.batch_size,
    keyAttestationRequired: r.key_attestation_required,
    validitySeconds: r.validity_seconds,
    statusList: r.status_kind as CredentialConfiguration['statusList'],
    requiresApproval: r.requires_approval,
    storeClaims: r.store_claims,
    createdAt: r.created_at,
    retiredAt: r.retired_at,
  }
}

/** Credential configurations: created, listed, retired (never deleted: issued records name them). */
export class ConfigurationService {
  readonly #db: Db
  readonly #clock: Clock
  /** Bumped on every change in this process, so the issuer is rebuilt. */
  version = 0

  readonly #publish: () => Promise<void>

  /** `publish` tells other instances (their cached issuer is rebuilt); `invalidate` is what they run. */
  constructor(o: { db: Db; clock: Clock; publish?: () => Promise<void> }) {
    this.#db = o.db
    this.#clock = o.clock
    this.#publish = o.publish ?? (async () => undefined)
  }

  invalidate(): void {
    this.version++
  }

  async create(input: unknown, o: { ifAbsent?: boolean } = {}): Promise<CredentialConfiguration> {
    const r = zConfigurationInput.safeParse(input)
    if (!r.success) throw new ApiProblem(400, 'agent.configuration_invalid', 'the configuration is invalid', issuesOf(r.error))
    const c = r.data
    const inserted = await this.#db
      .insertInto('credential_configurations')
      .values({
        id: c.id,
        format: c.format,
        metadata: JSON.stringify(metadataOf(c)),
        schema_id: c.schemaId ?? null,
        batch_size: c.batchSize,
        key_attestation_required: c.keyAttestationRequired,
        validity_seconds: c.validitySeconds,
        status_kind: c.statusList ?? (c.format === 'jwt_vc_json' ? 'bitstring' : 'token'),
        requires_approval: c.requiresApproval,
        store_claims: c.storeClaims,
        created_at: this.#clock.now(),
        retired_at: null,
      })
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .executeTakeFirst()
    if (!inserted) {
      if (o.ifAbsent) return (await this.get(c.id)) as CredentialConfiguration
      throw new ApiProblem(409, 'agent.configuration_exists', 'a configuration with this id exists')
    }
    this.version++
    await this.#publish()
    return fromRow(inserted)
  }

  async get(id: string): Promise<CredentialConfiguration | undefined> {
    const r = await this.#db.selectFrom('credential_configurations').selectAll().where('id', '=', id).executeTakeFirst()
    return r ? fromRow(r) : undefined
  }

  async list(o: { includeRetired?: boolean } = {}): Promise<CredentialConfiguration[]> {
    let q = this.#db.selectFrom('credential_configurations').selectAll()
    if (!o.includeRetired) q = q.where('retired_at', 'is', null)
    return (await q.orderBy('id').execute()).map(fromRow)
  }

  async retire(id: string): Promise<CredentialConfiguration> {
    const r = await this.#db
      .updateTable('credential_configurations')
      .set({ retired_at: this.#clock.now() })
      .where('id', '=', id)
      .where('retired_at', 'is', null)
      .returningAll()
      .executeTakeFirst()
    if (!r)
      throw (await this.get(id))
        ? new ApiProblem(409, 'agent.configuration_retired', 'already retired')
        : notFound('configuration')
    this.version++
    await this.#publish()
    return fromRow(r)
  }
}
