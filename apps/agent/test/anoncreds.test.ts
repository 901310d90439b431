/**
 * AnonCreds in the agent over real loopback HTTP (PGlite and PostgreSQL): a schema beside the registry's JSON Schemas,
 * a CL credential definition whose private part is sealed, offers and issuance to a holder (the library's holder side),
 * identifiers that resolve on the agent's public origin, and a presentation a verifier checks against them
 * (AnonCreds v1 spec: "Issuer Setup", "Credential Issuance", "Present Proof"; the transport is the operator's here).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createCredentialRequest,
  createLinkSecret,
  createPresentation,
  parseCredentialDefinition,
  parsePresentationRequest,
  parseSchema,
  processCredential,
  verifyPresentation,
} from '@bonafide/anoncreds'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/env.js'
import { type RunningAgent, startAgent } from '../src/server.js'
import { createPgDatabase } from './databases.js'

for (const kind of ['pglite', 'postgres'] as const) {
  describe(`AnonCreds in the agent (${kind})`, () => {
    let agent: RunningAgent
    let dir: string
    const call = async (path: string, body?: unknown) => {
      const r = await fetch(`${agent.url}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${agent.ctx.firstAdminKey}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      return { status: r.status, json: (await r.json()) as any }
    }
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'bonafide-anoncreds-'))
      const env: Record<string, string> = { PORT: '0', BONAFIDE_DATA: dir, BONAFIDE_KEK: 'a'.repeat(64), BONAFIDE_LOG: 'silent' }
      if (kind === 'postgres') env.DATABASE_URL = await createPgDatabase()
      agent = await startAgent(loadConfig(env))
    })
    afterAll(async () => {
      await agent?.close()
      await rm(dir, { recursive: true, force: true })
    })

    it('schema → credential definition (private part sealed) → offer → request → credential → presentation that verifies against the resolved objects', async () => {
      const schema = await call('/v1/anoncreds/schemas', {
        name: 'membership',
        version: '1.0',
        attrNames: ['name', 'level', 'age'],
      })
      expect(schema.status, JSON.stringify(schema.json)).toBe(201)
      expect(schema.json.id).toMatch(new RegExp(`^${agent.url}/anoncreds/schemas/`))
      expect((await call('/v1/anoncreds/schemas', { name: 'membership', version: '1.0', attrNames: ['x'] })).json.code).toBe(
        'agent.schema_exists',
      )

      const made = await call('/v1/anoncreds/credential-definitions', { schemaId: schema.json.id, tag: 'default' })
      expect(made.status, JSON.stringify(made.json)).toBe(201)
      const credDefId = made.json.id as string
      // the private primes never leave the agent, and are stored sealed
      expect(JSON.stringify(made.json)).not.toMatch(/p_key/)
      const row = await agent.ctx.database.db.selectFrom('anoncreds_credential_definitions').selectAll().executeTakeFirstOrThrow()
      expect(row.private_enc).not.toMatch(/p_key|"p"/)

      // the identifiers resolve publicly, without a key
      const resolvedSchema = parseSchema(await (await fetch(schema.json.id)).text())
      const resolvedCredDef = parseCredentialDefinition(await (await fetch(credDefId)).text())
      expect(resolvedSchema).toMatchObject({ name: 'membership', attrNames: ['name', 'level', 'age'] })
      expect(resolvedCredDef.value.primary.n).toMatch(/^\d{600,}$/)

      const offer = (await call('/v1/anoncreds/offers', { credentialDefinitionId: credDefId })).json
      const linkSecret = createLinkSecret()
      const { credentialRequest, credentialRequestMetadata } = createCredentialRequest(
        { entropy: 'holder-1' },
        resolvedCredDef,
        linkSecret,
        'default',
        offer,
      )
      const issued = await call('/v1/anoncreds/credentials', {
        offer,
        request: credentialRequest,
        values: { name: 'Alice', level: 'gold', age: '28' },
      })
      expect(issued.status, JSON.stringify(issued.json)).toBe(201)
      const credential = processCredential(issued.json.credential, credentialRequestMetadata, linkSecret, resolvedCredDef)

      const request = parsePresentationRequest({
        name: 'proof',
        version: '1.0',
        nonce: '123456789012345678',
        requested_attributes: { name: { name: 'name', restrictions: [{ cred_def_id: credDefId }] } },
        requested_predicates: { adult: { name: 'age', p_type: '>=', p_value: 18 } },
      })
      const presentation = createPresentation(
        request,
        [{ credential }],
        {},
        { requested_attributes: { name: { cred_id: 0, revealed: true } }, requested_predicates: { adult: { cred_id: 0 } } },
        linkSecret,
        { [schema.json.id]: resolvedSchema },
        { [credDefId]: resolvedCredDef },
      )
      const result = verifyPresentation(
        presentation,
        request,
        { [schema.json.id]: resolvedSchema },
        { [credDefId]: resolvedCredDef },
      )
      expect(result.valid, JSON.stringify(result)).toBe(true)
      expect(presentation.requested_proof.revealed_attrs.name?.raw).toBe('Alice')
    }, 180_000)

    it('refusals are problems with stable codes and write nothing', async () => {
      const before = await agent.ctx.database.db
        .selectFrom('anoncreds_schemas')
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
      expect((await call('/v1/anoncreds/schemas', { name: 'x', version: 'one', attrNames: ['a'] })).json.code).toBe(
        'agent.body_invalid',
      )
      expect((await call('/v1/anoncreds/schemas', { name: 'x', version: '1.0', attrNames: [] })).json.code).toBe(
        'agent.body_invalid',
      )
      expect(
        (await call('/v1/anoncreds/credential-definitions', { schemaId: `${agent.url}/anoncreds/schemas/nope` })).json.code,
      ).toBe('agent.not_found')
      expect((await call('/v1/anoncreds/offers', { credentialDefinitionId: 'nope' })).status).toBe(404)
      const bad = await call('/v1/anoncreds/credentials', { offer: { nonce: 'x' }, request: {}, values: {} })
      expect([bad.status, bad.json.code]).toEqual([400, 'anoncreds.invalid_object'])
      const after = await agent.ctx.database.db
        .selectFrom('anoncreds_schemas')
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
      expect(Number(after.n)).toBe(Number(before.n))
    })
  })
}
