import {
  type Clock,
  epochSeconds,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  type RandomSource,
  systemClock,
  type VcError,
} from '@bonafide/core'
import { checkAudience, checkJwtTimes, type JwsHeader, type ParsedJws, signCompactJws } from '@bonafide/jose'
import { jwkThumbprint, type PublicJwk, type Signer } from '@bonafide/keys'
import { mediaType } from './decode.js'
import { JwtVcError } from './errors.js'
import { randomUrnUuid } from './issue.js'
import { type DidDocumentResolver, resolveDidPublicKey } from './issuer-keys.js'
import { parseJwt, verifyWithAny } from './jws.js'
import {
  idOf,
  JWT_TYP,
  JWT_VC_LIMITS,
  parsePresentation,
  VCDM1_CONTEXT,
  VCDM2_CONTEXT,
  type VcVersion,
  VP_JWT_TYP,
  zEnvelopedCredential,
} from './model.js'
import { type VerifiedJwtVc, type VerifyJwtVcOptions, verifyJwtVc } from './verify.js'

const ENVELOPE_PREFIX = 'data:application/vc+jwt,'

export interface CreateJwtVpOptions {
  /** The holder's key: the one the credentials are bound to (cnf.jwk, or a method of the subject DID). */
  signer: Signer
  /** `1.1`: `vp` claim, typ JWT. `2.0`: `vp+jwt` with enveloped credentials. Default `1.1`. */
  version?: VcVersion
  credentials: readonly string[]
  /** The holder DID: `iss` (1.1) / `holder` (2.0); `kid` defaults to its method for did:jwk and did:key. */
  holder?: string
  kid?: string
  /** The verifier: OpenID4VP client_id (or `origin:` over the DC API). */
  audience: string
  nonce: string
  /** Lifetime in seconds (default 300). */
  validForSeconds?: number
  /** Presentation `id` / `jti`: a URL, or `true` for a fresh `urn:uuid:`. */
  id?: string | true
  clock?: Clock
  random?: RandomSource
}

function defaultKid(holder: string | undefined): string | undefined {
  if (holder?.startsWith('did:jwk:')) return `${holder}#0`
  if (holder?.startsWith('did:key:')) return `${holder}#${holder.slice('did:key:'.length)}`
  return undefined
}

/**
 * Create a Verifiable Presentation as a JWT: VCDM 1.1 (`vp` claim with the JWT credentials) or VCDM 2.0
 * `vp+jwt` (VC-JOSE-COSE §3.1.2) with `EnvelopedVerifiableCredential` entries; `aud` and `nonce` bind it
 * to one request (OpenID4VP B.1.3.1.5).
 * @example const vp = await createJwtVp({ signer: holder, credentials: [vc], audience: clientId, nonce })
 */
export async function createJwtVp(o: CreateJwtVpOptions): Promise<string> {
  if (!Array.isArray(o.credentials) || o.credentials.length === 0 || !o.credentials.every((c) => typeof c === 'string'))
    throw new JwtVcError('jwt_vc.options_invalid', 'a presentation needs at least one JWT credential')
  if (!o.audience || !o.nonce) throw new JwtVcError('jwt_vc.options_invalid', 'audience and nonce are required')
  const now = epochSeconds(o.clock ?? systemClock)
  const id = o.id === true ? randomUrnUuid(o.random) : o.id
  const kid = o.kid ?? defaultKid(o.holder)
  const claims: JsonObject = {
    ...(o.holder ? { iss: o.holder } : {}),
    aud: o.audience,
    nonce: o.nonce,
    iat: now,
    exp: now + (o.validForSeconds ?? 300),
  }
  if (o.version === '2.0') {
    const payload: JsonObject = {
      '@context': [VCDM2_CONTEXT],
      ...(id ? { id } : {}),
      type: ['VerifiablePresentation'],
      ...(o.holder ? { holder: o.holder } : {}),
      verifiableCredential: o.credentials.map((c) => ({
        '@context': VCDM2_CONTEXT,
        id: `${ENVELOPE_PREFIX}${c}`,
        type: 'EnvelopedVerifiableCredential',
      })),
      ...claims,
    }
    return signCompactJws({ typ: VP_JWT_TYP, cty: 'vp', ...(kid ? { kid } : {}) }, payload, o.signer)
  }
  const vp: JsonObject = {
    '@context': [VCDM1_CONTEXT],
    type: ['VerifiablePresentation'],
    verifiableCredential: [...o.credentials],
  }
  return signCompactJws({ typ: JWT_TYP, ...(kid ? { kid } : {}) }, { ...claims, ...(id ? { jti: id } : {}), vp }, o.signer)
}

export interface VerifyJwtVpOptions extends Omit<VerifyJwtVcOptions, 'maxLength'> {
  /** The expected `aud` (OpenID4VP: the client_id). */
  audience: string
  /** The expected `nonce`. */
  nonce: string
  /** Reject a presentation whose `iat` is older (seconds). */
  maxAgeSeconds?: number
  /** Every credential must be bound to the presentation's signer (default true). */
  requireHolderBinding?: boolean
  /** Resolves holder DIDs (default: did:jwk and did:key). */
  didResolve?: DidDocumentResolver
  maxLength?: number
  maxCredentials?: number
}

export interface VerifiedJwtVp {
  readonly version: VcVersion
  readonly header: JwsHeader
  readonly payload: JsonObject
  readonly presentation: JsonObject
  readonly holder?: string
  /** The key that signed the presentation. */
  readonly holderKey: PublicJwk
  readonly credentials: readonly VerifiedJwtVc[]
}

interface DecodedVp {
  version: VcVersion
  presentation: JsonObject
  holder?: string
  jwts: string[]
}

function mismatch(message: string): never {
  throw new JwtVcError('jwt_vc.claim_mismatch', message)
}

function decodeVp(jws: ParsedJws, maxCredentials: number): DecodedVp {
  const { header, payload } = jws
  const typ = mediaType(header.typ)
  const iss = payload.iss
  if (iss !== undefined && typeof iss !== 'string') throw new JwtVcError('jwt_vc.presentation_invalid', 'iss must be a string')
  let version: VcVersion
  let presentation: JsonObject
  if (typ === VP_JWT_TYP) {
    if (header.cty !== undefined && mediaType(header.cty) !== 'vp') throw new JwtVcError('jwt_vc.typ_invalid', 'cty must be vp')
    if (payload.vc !== undefined || payload.vp !== undefined)
      throw new JwtVcError('jwt_vc.presentation_invalid', 'the vc and vp claims must not be present in a vp+jwt')
    version = '2.0'
    presentation = parsePresentation(payload, VCDM2_CONTEXT)
  } else if (isJsonObject(payload.vp) && (typ === JWT_TYP.toLowerCase() || typ === undefined)) {
    version = '1.1'
    presentation = { ...parsePresentation(payload.vp, VCDM1_CONTEXT) }
  } else throw new JwtVcError('jwt_vc.typ_invalid', 'typ must be vp+jwt, or JWT with a vp claim')
  const jti = payload.jti
  if (jti !== undefined && (typeof jti !== 'string' || (presentation.id !== undefined && presentation.id !== jti)))
    mismatch('jti and the presentation id disagree')
  const declared = idOf(presentation.holder)
  if (iss !== undefined && declared !== undefined && iss !== declared) mismatch('iss and holder disagree')
  const holder = (iss as string | undefined) ?? declared
  const raw = presentation.verifiableCredential
  const list: JsonValue[] = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw as JsonValue]
  if (list.length === 0 || list.length > maxCredentials)
    throw new JwtVcError('jwt_vc.presentation_invalid', `a presentation carries 1 to ${maxCredentials} credentials`)
  const jwts = list.map((c) => {
    if (version === '1.1') {
      if (typeof c !== 'string') throw new JwtVcError('jwt_vc.presentation_invalid', 'verifiableCredential entries must be JWTs')
      return c
    }
    const r = zEnvelopedCredential.safeParse(c)
    if (!r.success) throw new JwtVcError('jwt_vc.presentation_invalid', 'entries must be EnvelopedVerifiableCredential vc+jwt')
    return r.data.id.slice(ENVELOPE_PREFIX.length)
  })
  return { version, presentation, ...(holder ? { holder } : {}), jwts }
}

/** The key the presentation must be signed with: a holder DID method (authentication) or a credential's cnf.jwk. */
async function presentationKey(
  header: JwsHeader,
  vp: DecodedVp,
  creds: readonly VerifiedJwtVc[],
  resolve?: DidDocumentResolver,
): Promise<{ key: PublicJwk; did?: string }> {
  const kid = header.kid
  if (typeof kid === 'string' && kid.startsWith('did:')) {
    const did = kid.split('#')[0] as string
    if (vp.holder !== undefined && vp.holder !== did)
      mismatch('the presentation is signed by a key of another DID than its holder')
    return { key: await resolveDidPublicKey(kid, 'authentication', resolve), did }
  }
  if (vp.holder?.startsWith('did:')) {
    const url = typeof kid === 'string' && kid.startsWith('#') ? `${vp.holder}${kid}` : vp.holder
    return { key: await resolveDidPublicKey(url, 'authentication', resolve), did: vp.holder }
  }
  const bound = creds.find((c) => c.holderKey)?.holderKey
  if (bound) return { key: bound }
  throw new JwtVcError('jwt_vc.holder_binding_missing', 'no holder key to verify the presentation with')
}

async function checkBinding(
  c: VerifiedJwtVc,
  signer: { key: PublicJwk; did?: string },
  required: boolean,
  resolve?: DidDocumentResolver,
): Promise<void> {
  const bad = () => new JwtVcError('jwt_vc.holder_binding_mismatch', 'a credential is not bound to the presentation signer')
  if (c.holderKey) {
    if (jwkThumbprint(c.holderKey) !== jwkThumbprint(signer.key)) throw bad()
  } else if (c.subjectId?.startsWith('did:')) {
    if (signer.did !== undefined) {
      if (c.subjectId !== signer.did) throw bad()
    } else if (jwkThumbprint(await resolveDidPublicKey(c.subjectId, 'authentication', resolve)) !== jwkThumbprint(signer.key)) {
      throw bad()
    }
  } else if (required) {
    throw new JwtVcError('jwt_vc.holder_binding_missing', 'a credential carries no holder binding (cnf or subject DID)')
  }
}

/**
 * Verify a JWT VP: structure, every credential (as `verifyJwtVc`), the signature with the holder's key,
 * `aud` and `nonce` (OpenID4VP B.1.3.1.5), freshness, and holder binding: each credential's `cnf.jwk` or
 * subject DID must be the signer's.
 */
export async function verifyJwtVp(token: string, o: VerifyJwtVpOptions): Promise<VerifiedJwtVp> {
  const clock = o.clock ?? systemClock
  const jws = parseJwt(token, o.maxLength ?? JWT_VC_LIMITS.maxPresentationLength)
  const vp = decodeVp(jws, o.maxCredentials ?? JWT_VC_LIMITS.maxCredentialsPerVp)
  if (o.versions && !o.versions.includes(vp.version))
    throw new JwtVcError('jwt_vc.typ_invalid', `VC Data Model ${vp.version} is not accepted here`)
  // Cheap request binding first (OpenID4VP B.1.3.1.5): a presentation for another request costs no crypto.
  try {
    checkAudience(jws.payload, o.audience)
  } catch (cause) {
    throw new JwtVcError('jwt_vc.aud_mismatch', 'aud is not this verifier', { cause })
  }
  if (jws.payload.nonce !== o.nonce) throw new JwtVcError('jwt_vc.nonce_mismatch', 'nonce is not the one of this request')
  const { audience: _a, nonce: _n, maxLength: _m, ...vcOptions } = o
  const credentials: VerifiedJwtVc[] = []
  for (const jwt of vp.jwts) credentials.push(await verifyJwtVc(jwt, { ...vcOptions, versions: [vp.version] }))
  const signer = await presentationKey(jws.header, vp, credentials, o.didResolve)
  verifyWithAny(jws, [signer.key], o.algorithms)
  for (const c of credentials) await checkBinding(c, signer, o.requireHolderBinding !== false, o.didResolve)
  try {
    checkJwtTimes(jws.payload, {
      now: epochSeconds(clock),
      skew: o.skewSeconds ?? 60,
      ...(o.maxAgeSeconds !== undefined ? { maxAge: o.maxAgeSeconds, requireIat: true } : {}),
    })
  } catch (e) {
    const code = (e as VcError).code
    throw new JwtVcError(
      code === 'jose.expired' ? 'jwt_vc.expired' : code === 'jose.not_yet_valid' ? 'jwt_vc.not_yet_valid' : 'jwt_vc.iat_invalid',
      'the presentation is outside its validity',
      { cause: e },
    )
  }
  return {
    version: vp.version,
    header: jws.header,
    payload: jws.payload,
    presentation: vp.presentation,
    ...(vp.holder ? { holder: vp.holder } : {}),
    holderKey: signer.key,
    credentials,
  }
}
