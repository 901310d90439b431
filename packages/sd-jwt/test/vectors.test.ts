import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { JsonObject } from '@bonafide/core'
import { importPrivateJwk, signerFromPrivateJwk } from '@bonafide/keys'
import { vectorsPath } from '@bonafide/testing'
import { describe, expect, it } from 'vitest'
import YAML from 'yaml'
import { type ClaimPath, issueSdJwt, issueSdJwtJson, presentSdJwt, verifySdJwt } from '../src/index.js'

type Node = unknown

/** Turn the `!sd`-tagged YAML of sd-jwt-python's test cases into JSON claims plus disclosable paths. */
function claimsAndFrame(node: Node, path: (string | number)[], paths: ClaimPath[]): unknown {
  if (YAML.isMap(node)) {
    const out: Record<string, unknown> = {}
    for (const pair of node.items) {
      const key = YAML.isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
      if (YAML.isScalar(pair.key) && pair.key.tag === '!sd') paths.push([...path, key])
      out[key] = claimsAndFrame(pair.value, [...path, key], paths)
    }
    return out
  }
  if (YAML.isSeq(node)) {
    return node.items.map((it, i) => {
      if ((it as { tag?: string }).tag === '!sd') paths.push([...path, i])
      return claimsAndFrame(it, [...path, i], paths)
    })
  }
  if (YAML.isScalar(node)) {
    // A `!sd`-tagged plain scalar resolves as a string; resolve it as the untagged YAML would.
    if (node.tag === '!sd' && node.type === 'PLAIN') return YAML.parse(String(node.source ?? node.value))
    return node.value
  }
  return node
}

/** `holder_disclosed_claims` (true / false / nested) to claim paths. */
function selection(h: unknown, path: (string | number)[], out: ClaimPath[]): ClaimPath[] {
  if (h === true) out.push(path)
  else if (Array.isArray(h)) for (const [i, x] of h.entries()) selection(x, [...path, i], out)
  else if (h && typeof h === 'object') for (const [k, v] of Object.entries(h)) selection(v, [...path, k], out)
  return out
}

const dir = vectorsPath('sd-jwt/testcases')
const settings = dir ? (YAML.parse(readFileSync(join(dir, 'settings.yml'), 'utf8')) as Record<string, any>) : {}
const cases = dir
  ? readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
  : []

describe.skipIf(!dir)('sd-jwt-python test cases (issue → present → verify)', () => {
  it('has all 17 cases', () => expect(cases).toHaveLength(17))

  it.each(cases)('%s', async (name) => {
    const doc = YAML.parseDocument(readFileSync(join(dir as string, name, 'specification.yml'), 'utf8'))
    const spec = doc.toJS() as Record<string, any>
    const s = { ...settings, ...(spec.settings_override ?? {}) }
    const frame: ClaimPath[] = []
    const userClaims = claimsAndFrame(doc.get('user_claims', true), [], frame) as JsonObject
    const issuerKeys = s.key_settings.issuer_keys as Record<string, string>[]
    const signers = issuerKeys.map((k) => signerFromPrivateJwk(k))
    const holderJwk = s.key_settings.holder_key
    const holder = signerFromPrivateJwk(holderJwk)
    const kb = spec.key_binding === true
    const payload: JsonObject = { iss: s.identifiers.issuer, iat: s.iat, exp: s.exp, ...userClaims }
    if (kb) payload.cnf = { jwk: holder.publicJwk as never }
    const header = { ...(spec.extra_header_parameters ?? {}), ...(issuerKeys[0]?.kid ? { kid: issuerKeys[0].kid } : {}) }
    const json = spec.serialization_format === 'json'
    const base = { payload, disclosable: frame, signer: signers[0]!, header }
    const issued = json
      ? await issueSdJwtJson({
          ...base,
          form: signers.length > 1 ? 'general' : 'flattened',
          additionalSigners: signers.slice(1).map((signer, i) => ({ signer, header: { kid: issuerKeys[i + 1]?.kid ?? '' } })),
        })
      : await issueSdJwt(base)
    const disclose = selection(spec.holder_disclosed_claims ?? {}, [], [])
    const nonce = s.key_binding_nonce as string
    const aud = s.identifiers.verifier as string
    const now = (s.iat as number) + 10
    const vp = await presentSdJwt(issued, { disclose, ...(kb ? { kb: { signer: holder, aud, nonce, iat: now } } : {}) })
    const issuerPublic = importPrivateJwk(issuerKeys[0]).publicJwk
    const r = await verifySdJwt(vp, {
      issuerKey: () => issuerPublic,
      kb: { required: kb, aud, nonce },
      clock: { now: () => now * 1000 },
    })
    const { iss, iat, exp, cnf, ...claims } = r.claims
    expect(iss).toBe(s.identifiers.issuer)
    expect(claims).toEqual(spec.expect_verified_user_claims)
    if (kb) expect(r.kb?.payload.nonce).toBe(nonce)
  })
})
