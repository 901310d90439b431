import { isJsonObject, type JsonObject, OAuthError } from '@bonafide/core'
import { bitstringStatusEntry } from '@bonafide/jwt-vc'
import { createLocalSigner, MemoryKeyStore, type Signer } from '@bonafide/keys'
import type { ClaimsValidationInput, IssuerOptions } from '@bonafide/openid4vci'
import { WalletClient } from '@bonafide/openid4vci'
import { jwtVcJsonFormat, msoMdocFormat, sdJwtVcFormat } from '@bonafide/openid4vci/formats'
import {
  BUILTIN_DOCTYPES,
  createSchemaRecord,
  createTypeMetadata,
  EU_PID_DOCTYPE,
  MDL_DOCTYPE,
  reportOf,
  type SchemaReport,
  SchemaValidator,
  validateMdocElements,
  validateSdJwtVcClaims,
} from '@bonafide/schema'
import { createDevChain } from '@bonafide/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loopbackFetcher, PID_CLAIMS, type Running, startIssuer } from './helpers.js'

// The issuer's schemas, one per format, as an application would build them with @bonafide/schema.
const PID_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'PID',
  type: 'object',
  required: ['given_name', 'family_name', 'birthdate', 'nationalities'],
  properties: {
    given_name: { type: 'string', minLength: 1 },
    family_name: { type: 'string', minLength: 1 },
    birthdate: { type: 'string', format: 'date' },
    nationalities: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[A-Z]{2}$' } },
  },
}
const PID_TYPE_METADATA = createTypeMetadata(
  createSchemaRecord({ name: 'pid', version: '1.0.0', author: 'test', schema: PID_SCHEMA }),
  {
    vct: 'urn:eudi:pid:1',
  },
)
/** A W3C `credentialSchema` of type JsonSchema: it constrains the credential, so subject claims sit under credentialSubject. */
const ID_CREDENTIAL_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://issuer.example/schemas/id-credential.json',
  type: 'object',
  required: ['type', 'credentialSubject'],
  properties: {
    type: { type: 'array', contains: { const: 'IDCredential' } },
    credentialSubject: PID_SCHEMA,
  },
}

const validator = new SchemaValidator()

/** One hook for every format: what the issuer wires as `validateClaims`. */
function validateIssuance({ format, configuration, claims }: ClaimsValidationInput): SchemaReport {
  if (format === 'dc+sd-jwt')
    return validateSdJwtVcClaims(PID_TYPE_METADATA, { vct: configuration.vct, ...claims }, { schema: PID_SCHEMA, validator })
  if (format === 'mso_mdoc') {
    const def = BUILTIN_DOCTYPES[String(configuration.doctype)]
    if (!def) return reportOf([{ path: '', keyword: 'doctype', message: 'no definition for this doctype' }])
    const namespaces: Record<string, Record<string, unknown>> = {}
    for (const [ns, els] of Object.entries(claims)) if (isJsonObject(els)) namespaces[ns] = els
    return validateMdocElements(def, namespaces)
  }
  if (format === 'jwt_vc_json') {
    const def = configuration.credential_definition
    const type = isJsonObject(def) ? def.type : undefined
    return validator.validate(ID_CREDENTIAL_SCHEMA, {
      type: ['VerifiableCredential', ...(Array.isArray(type) ? type : [])],
      credentialSubject: claims,
    })
  }
  return reportOf([{ path: '', keyword: 'format', message: 'no schema for this format' }])
}

const PID_NS = EU_PID_DOCTYPE.docType
const MDL_NS = 'org.iso.18013.5.1'
const PID_MDOC: JsonObject = {
  [PID_NS]: {
    family_name: 'Mustermann',
    given_name: 'Erika',
    birth_date: '1964-08-12',
    place_of_birth: { country: 'DE', locality: 'Berlin' },
    nationality: ['DE'],
    expiry_date: '2031-08-12',
    issuing_authority: 'Bundesdruckerei',
    issuing_country: 'DE',
    age_over_18: true,
  },
}
const SECRET = 'Secret-Value-1964'

/** Claims for each configuration, and a version of them that breaks its schema (with a value that must never be logged). */
const CLAIMS: Record<string, { good: JsonObject; bad: JsonObject; paths: string[] }> = {
  pid_sd_jwt: {
    good: PID_CLAIMS,
    bad: { given_name: 'Erika', birthdate: SECRET, nationalities: ['de'] },
    paths: ['/birthdate', '/family_name', '/nationalities/0'],
  },
  pid_mdoc: {
    good: PID_MDOC,
    bad: {
      [PID_NS]: { ...(PID_MDOC[PID_NS] as JsonObject), birth_date: SECRET, issuing_country: 'Germany', age_over_18: 'yes' },
    },
    paths: [`/${PID_NS}/age_over_18`, `/${PID_NS}/birth_date`, `/${PID_NS}/issuing_country`],
  },
  // JSON claims cannot carry a bstr portrait, so an mDL always fails MDL_DOCTYPE here: only the refusal is testable.
  mdl: {
    good: {},
    bad: {
      [MDL_NS]: {
        family_name: 'Mustermann',
        given_name: 'Erika',
        birth_date: SECRET,
        issue_date: '2026-01-01',
        expiry_date: '2036-01-01',
        issuing_country: 'DE',
        issuing_authority: 'Stadt Köln',
        document_number: 'D1234567',
        portrait: 'not-bytes',
        driving_privileges: [{ vehicle_category_code: 'B' }],
        un_distinguishing_sign: 'D',
      },
    },
    paths: [`/${MDL_NS}/birth_date`, `/${MDL_NS}/portrait`],
  },
  id_jwt_vc: {
    good: PID_CLAIMS,
    bad: { ...PID_CLAIMS, given_name: '', birthdate: SECRET },
    paths: ['/credentialSubject/birthdate', '/credentialSubject/given_name'],
  },
}

function counting(s: Signer): Signer & { count: () => number } {
  let n = 0
  return {
    alg: s.alg,
    keyRef: s.keyRef,
    publicJwk: s.publicJwk,
    sign: (d) => {
      n++
      return s.sign(d)
    },
    count: () => n,
  }
}

describe('OpenID4VCI issuer validateClaims hook (JSON Schema 2020-12, SD-JWT VC type metadata, mdoc doctypes)', () => {
  let r: Running
  let signer: ReturnType<typeof counting>
  let x5chain: Uint8Array[]
  const allocations: number[] = []
  const calls: ClaimsValidationInput[] = []
  const errors: unknown[] = []
  let nextIdx = 0

  beforeAll(async () => {
    const pki = await createDevChain()
    x5chain = [pki.leaf.der]
    signer = counting(createLocalSigner(pki.leaf.key, { store: 't', id: 'issuer' }, 'ES256'))
    const over: Partial<IssuerOptions> = {
      formats: [
        sdJwtVcFormat({ signer, x5c: pki.x5c }),
        msoMdocFormat({ signer, x5chain }),
        jwtVcJsonFormat({
          signer,
          credentialStatus: (s) => {
            const sl = s.status_list as { idx: number; uri: string }
            return bitstringStatusEntry({ statusListCredential: sl.uri, index: sl.idx })
          },
        }),
      ],
      configurations: {
        pid_sd_jwt: { format: 'dc+sd-jwt', vct: 'urn:eudi:pid:1', scope: 'pid' },
        pid_mdoc: { format: 'mso_mdoc', doctype: EU_PID_DOCTYPE.docType, scope: 'pid_mdoc' },
        mdl: { format: 'mso_mdoc', doctype: MDL_DOCTYPE.docType, scope: 'mdl' },
        id_jwt_vc: {
          format: 'jwt_vc_json',
          scope: 'id',
          credential_definition: { type: ['VerifiableCredential', 'IDCredential'] },
        },
      },
      claims: ({ configurationId, sessionData }) => {
        const c = CLAIMS[configurationId]
        if (!c) throw new OAuthError('server_error', 'no claims', { status: 500 })
        return sessionData.broken === true ? c.bad : c.good
      },
      validateClaims: (input) => {
        calls.push(input)
        return validateIssuance(input)
      },
      statusAllocator: {
        allocate: async (n) => {
          allocations.push(n)
          return Array.from({ length: n }, () => ({ uri: 'https://issuer.example/status/1', idx: nextIdx++ }))
        },
      },
      onError: (e) => errors.push(e),
    }
    r = await startIssuer(over)
  })
  afterAll(() => r.close())

  const wallet = (): WalletClient =>
    new WalletClient({
      fetcher: loopbackFetcher(),
      keyStore: new MemoryKeyStore(),
      formats: [
        sdJwtVcFormat({ issuerKeys: { keys: [signer.publicJwk] } }),
        msoMdocFormat({ issuerKeys: [signer.publicJwk] }),
        jwtVcJsonFormat({ issuerKeys: { keys: [signer.publicJwk] } }),
      ],
    })

  async function receive(configurationId: string, broken: boolean, count = 2) {
    const { link } = await r.issuer.createOffer({ configurationIds: [configurationId], sessionData: { broken } })
    return wallet().receiveOffer(link, { count, configurationId })
  }

  for (const id of ['pid_sd_jwt', 'pid_mdoc', 'id_jwt_vc']) {
    it(`${id}: claims that satisfy the schema are issued, checked once per request`, async () => {
      const before = calls.length
      const res = await receive(id, false, 3)
      expect(res.credentials).toHaveLength(3)
      expect(calls.length - before).toBe(1)
      const call = calls.at(-1)
      expect(call?.configurationId).toBe(id)
      expect(call?.format).toBe({ pid_sd_jwt: 'dc+sd-jwt', pid_mdoc: 'mso_mdoc', id_jwt_vc: 'jwt_vc_json' }[id])
      expect(call?.configuration.scope).toBeTypeOf('string')
      expect(call?.claims).toEqual(CLAIMS[id]?.good)
    })
  }

  for (const id of ['pid_sd_jwt', 'pid_mdoc', 'mdl', 'id_jwt_vc']) {
    it(`§8.3.1.2 ${id}: claims that break the schema are refused with credential_request_denied, nothing signed, no status index`, async () => {
      const signed = signer.count()
      const allocated = allocations.length
      const audits = r.audits.length
      const err = await receive(id, true).catch((e: unknown) => e)
      expect(err).toMatchObject({ error: 'credential_request_denied', status: 400 })
      // The wallet learns neither the paths nor the values.
      expect(JSON.stringify(err)).not.toContain(SECRET)
      expect(String((err as { error_description?: string }).error_description)).not.toContain('/')
      expect(signer.count()).toBe(signed)
      expect(allocations.length).toBe(allocated)
      expect(r.audits.length).toBe(audits)
      // The log (onError) carries the failing field paths under a typed code, never the values.
      const logged = errors.at(-1) as OAuthError
      expect(logged).toBeInstanceOf(OAuthError)
      const cause = logged.cause as { code: string; details: { configurationId: string; paths: string[] } }
      expect(cause.code).toBe('openid4vci.claims_invalid')
      expect(cause.details.configurationId).toBe(id)
      expect([...new Set(cause.details.paths)].sort()).toEqual(CLAIMS[id]?.paths)
      expect(JSON.stringify(cause.details)).not.toContain(SECRET)
    })
  }

  it('§9.3 a deferred credential whose claims break the schema is denied at the deferred endpoint, unsigned', async () => {
    let broken = false
    const d = await startIssuer({
      formats: [sdJwtVcFormat({ signer })],
      claims: () => (broken ? (CLAIMS.pid_sd_jwt?.bad ?? {}) : PID_CLAIMS),
      validateClaims: validateIssuance,
      deferred: { defer: () => true, ready: () => true },
    })
    try {
      const w = wallet()
      const first = await w.receiveOffer((await d.issuer.createOffer({ configurationIds: ['pid_sd_jwt'] })).link, { count: 2 })
      expect(first.transactionId).toBeTruthy()
      broken = true
      const signed = signer.count()
      const err = await w
        .deferred(first.session, 'pid_sd_jwt', first.transactionId ?? '', first.pendingKeys ?? [])
        .catch((e: unknown) => e)
      expect(err).toMatchObject({ error: 'credential_request_denied' })
      expect(signer.count()).toBe(signed)
      expect(d.audits).toHaveLength(0)
    } finally {
      await d.close()
    }
  })

  it('without a hook nothing changes: broken claims are issued as before', async () => {
    const d = await startIssuer({ formats: [sdJwtVcFormat({ signer })], claims: () => CLAIMS.pid_sd_jwt?.bad ?? {} })
    try {
      const res = await wallet().receiveOffer((await d.issuer.createOffer({ configurationIds: ['pid_sd_jwt'] })).link, {
        count: 1,
      })
      expect(res.credentials).toHaveLength(1)
    } finally {
      await d.close()
    }
  })
})
