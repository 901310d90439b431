/**
 * AnonCreds in the agent: schemas beside the registry's JSON Schemas, credential definitions whose private part is
 * sealed under the KEK, offers, and issuance from a holder's request. Identifiers are URLs on the agent's public
 * origin, and the public objects are served there (`/anoncreds/...`), so anoncreds-rs and Credo resolve them.
 * The DIDComm transport between agents is a later issue: here the operator carries offers and requests.
 */
import { randomUUID } from 'node:crypto'
import {
  type CredentialDefinition,
  type CredentialDefinitionPrivate,
  createCredential,
  createCredentialDefinition,
  createCredentialOffer,
  createSchema,
  type KeyCorrectnessProof,
  parseCredentialOffer,
  parseCredentialRequest,
  type Schema,
} from '@bonafide/anoncreds'
import { type Clock, isVcError } from '@bonafide/core'
import { z } from 'zod'
import type { Db } from '../db/database.js'
import type { Kek } from '../db/kek.js'
import { appendEvent } from '../db/repositories/events.js'
import { issuesOf } from './configurations.js'
import { ApiProblem, notFound } from './problem.js'

export const zAnonCredsSchemaInput = z.strictObject({
  name: z.string().min(1).max(200),
  version: z.string().regex(/^\d{1,9}(\.\d{1,9}){0,2}$/, 'a version like 1.0 or 1.0.0'),
  attrNames: z.array(z.string().min(1).max(200)).min(1).max(125),
})
export const zCredDefInput = z.strictObject({
  schemaId: z.string().min(1).max(2000),
  tag: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/)
    .default('default'),
})
export const zIssueInput = z.strictObject({
  offer: z.record(z.string(), z.unknown()),
  request: z.record(z.string(), z.unknown()),
  values: z.record(z.string().max(200), z.string().max(10_000)),
})

export interface CredDefView {
  readonly id: string
  readonly schemaId: string
  readonly tag: string
  readonly credentialDefinition: CredentialDefinition
  readonly keyCorrectnessProof: KeyCorrectnessProof
  readonly createdAt: number
}

/** A library refusal (a malformed object, a proof that does not hold) as a 400 problem with its code. */
function asProblem(e: unknown): unknown {
  return isVcError(e) ? new ApiProblem(400, e.code, e.message) : e
}

export class AnonCredsService {
  readonly #d: { db: Db; clock: Clock; kek: Kek; publicUrl: string; did: string }

  constructor(d: { db: Db; clock: Clock; kek: Kek; publicUrl: string; did: string }) {
    this.#d = d
  }

  async createSchema(input: unknown): Promise<{ id: string; schema: Schema }> {
    const p = zAnonCredsSchemaInput.safeParse(input)
    if (!p.success) throw new ApiProblem(400, 'agent.body_invalid', 'the schema is invalid', issuesOf(p.error))
    const schema = createSchema(p.data.name, p.data.version, this.#d.did, p.data.attrNames)
    const id = `${this.#d.publicUrl}/anoncreds/schemas/${randomUUID()}`
    const now = this.#d.clock.now()
    await this.#d.db.transaction().execute(async (trx) => {
      const r = await trx
        .insertInto('anoncreds_schemas')
        .values({
          id,
          issuer_id: schema.issuerId,
          name: schema.name,
          version: schema.version,
          record: JSON.stringify(schema),
          created_at: now,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst()
      if (!r)
        throw new ApiProblem(409, 'agent.schema_exists', 'this issuer already has an AnonCreds schema of this name and version')
      await appendEvent(trx, {
        type: 'anoncreds.schema_created',
        subject: id,
        data: { name: schema.name, version: schema.version },
        at: now,
      })
    })
    return { id, schema }
  }

  async schemas(): Promise<{ items: { id: string; schema: Schema; createdAt: number }[] }> {
    const rows = await this.#d.db.selectFrom('anoncreds_schemas').selectAll().orderBy('created_at', 'desc').limit(1000).execute()
    return { items: rows.map((r) => ({ id: r.id, schema: r.record as Schema, createdAt: Number(r.created_at) })) }
  }

  async schema(id: string): Promise<Schema> {
    const r = await this.#d.db.selectFrom('anoncreds_schemas').select('record').where('id', '=', id).executeTakeFirst()
    if (!r) throw notFound('AnonCreds schema')
    return r.record as Schema
  }

  /** Generates the CL keys (seconds: two safe primes, off the event loop) and stores the private part sealed. */
  async createCredentialDefinition(input: unknown): Promise<CredDefView> {
    const p = zCredDefInput.safeParse(input)
    if (!p.success)
      throw new ApiProblem(400, 'agent.body_invalid', 'the credential definition request is invalid', issuesOf(p.error))
    const schema = await this.schema(p.data.schemaId)
    const made = await createCredentialDefinition(p.data.schemaId, schema, this.#d.did, p.data.tag)
    const id = `${this.#d.publicUrl}/anoncreds/credential-definitions/${randomUUID()}`
    const now = this.#d.clock.now()
    const sealed = this.#d.kek.seal(Buffer.from(JSON.stringify(made.credentialDefinitionPrivate)), `anoncreds-cred-def:${id}`)
    await this.#d.db.transaction().execute(async (trx) => {
      const r = await trx
        .insertInto('anoncreds_credential_definitions')
        .values({
          id,
          schema_id: p.data.schemaId,
          issuer_id: this.#d.did,
          tag: p.data.tag,
          record: JSON.stringify(made.credentialDefinition),
          key_correctness_proof: JSON.stringify(made.keyCorrectnessProof),
          private_enc: sealed,
          created_at: now,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst()
      if (!r)
        throw new ApiProblem(
          409,
          'agent.credential_definition_exists',
          'this schema already has a credential definition with this tag',
        )
      await appendEvent(trx, {
        type: 'anoncreds.credential_definition_created',
        subject: id,
        data: { schemaId: p.data.schemaId, tag: p.data.tag },
        at: now,
      })
    })
    return {
      id,
      schemaId: p.data.schemaId,
      tag: p.data.tag,
      credentialDefinition: made.credentialDefinition,
      keyCorrectnessProof: made.keyCorrectnessProof,
      createdAt: now,
    }
  }

  async credentialDefinitions(): Promise<{ items: CredDefView[] }> {
    const rows = await this.#d.db
      .selectFrom('anoncreds_credential_definitions')
      .selectAll()
      .orderBy('created_at', 'desc')
      .limit(1000)
      .execute()
    return { items: rows.map(viewOf) }
  }

  async credentialDefinition(id: string): Promise<CredDefView> {
    const r = await this.#d.db.selectFrom('anoncreds_credential_definitions').selectAll().where('id', '=', id).executeTakeFirst()
    if (!r) throw notFound('credential definition')
    return viewOf(r)
  }

  async offer(credDefId: string) {
    const c = await this.credentialDefinition(credDefId)
    return createCredentialOffer(c.schemaId, c.id, c.keyCorrectnessProof)
  }

  /** Issue for a holder's request to one of this agent's offers (its blinded link secret proof is checked). */
  async issue(input: unknown) {
    const p = zIssueInput.safeParse(input)
    if (!p.success) throw new ApiProblem(400, 'agent.body_invalid', 'the issuance request is invalid', issuesOf(p.error))
    let offer: ReturnType<typeof parseCredentialOffer>
    let request: ReturnType<typeof parseCredentialRequest>
    try {
      offer = parseCredentialOffer(p.data.offer)
      request = parseCredentialRequest(p.data.request)
    } catch (e) {
      throw asProblem(e)
    }
    const row = await this.#d.db
      .selectFrom('anoncreds_credential_definitions')
      .selectAll()
      .where('id', '=', offer.cred_def_id)
      .executeTakeFirst()
    if (!row) throw notFound('credential definition')
    const priv = JSON.parse(
      Buffer.from(this.#d.kek.open(row.private_enc, `anoncreds-cred-def:${row.id}`)).toString('utf8'),
    ) as CredentialDefinitionPrivate
    let credential: ReturnType<typeof createCredential>
    try {
      credential = createCredential(row.record as CredentialDefinition, priv, offer, request, p.data.values)
    } catch (e) {
      throw asProblem(e)
    }
    const now = this.#d.clock.now()
    await appendEvent(this.#d.db, {
      type: 'anoncreds.credential_issued',
      subject: row.id,
      data: { schemaId: row.schema_id },
      at: now,
    })
    return { credential }
  }
}

function viewOf(r: {
  id: string
  schema_id: string
  tag: string
  record: unknown
  key_correctness_proof: unknown
  created_at: number
}): CredDefView {
  return {
    id: r.id,
    schemaId: r.schema_id,
    tag: r.tag,
    credentialDefinition: r.record as CredentialDefinition,
    keyCorrectnessProof: r.key_correctness_proof as KeyCorrectnessProof,
    createdAt: Number(r.created_at),
  }
}
