import { type JsonObject, OAuthError, parseWire, VcError } from '@bonafide/core'
import { jwkThumbprint, type PublicJwk } from '@bonafide/keys'
import { jsonResponse, readBodyText, readJsonBody } from '@bonafide/oauth2'
import { checkDpop, type IssuerContext, str } from './context.js'
import { credentialResponse, decryptRequest, parseResponseEncryption, type ResponseEncryption } from './encryption.js'
import { Openid4vciError } from './errors.js'
import { DEFAULT_ALGS } from './issuer-options.js'
import { hashSecret } from './offer.js'
import { type VerifiedProof, verifyAttestationProof, verifyJwtProof } from './proof.js'
import { type CredentialRequest, zCredentialRequest } from './wire.js'

export interface AuthorizedToken {
  readonly record: JsonObject
  readonly sessionId: string
}

/** RFC 6750 §2.1 / RFC 9449 §7: the access token, DPoP-bound when the token says so. */
export async function authorize(ctx: IssuerContext, req: Request): Promise<AuthorizedToken> {
  const auth = req.headers.get('authorization') ?? ''
  const m = /^(Bearer|DPoP) ([A-Za-z0-9\-._~+/]+=*)$/i.exec(auth)
  const challenge = { 'www-authenticate': 'Bearer error="invalid_token"' }
  if (!m)
    throw new OAuthError('invalid_token', 'access token is missing', { status: 401, headers: { 'www-authenticate': 'Bearer' } })
  const scheme = (m[1] ?? '').toLowerCase()
  const token = m[2] ?? ''
  const ext = ctx.o.externalAuthorizationServer
  const info = ext ? await ext.verifyAccessToken(token, req) : undefined
  const record: JsonObject | undefined = ext
    ? info && {
        sessionId: info.sessionId,
        configurationIds: [...info.configurationIds],
        ...(info.credentialIdentifiers ? { credentialIdentifiers: { ...info.credentialIdentifiers } } : {}),
        ...(info.jkt ? { jkt: info.jkt } : {}),
        ...(info.clientId ? { clientId: info.clientId } : {}),
      }
    : await ctx.o.store.get('access_token', hashSecret(token))
  if (!record) throw new OAuthError('invalid_token', 'access token is invalid or expired', { status: 401, headers: challenge })
  if (typeof record.jkt === 'string') {
    if (scheme !== 'dpop')
      throw new OAuthError('invalid_token', 'this access token is DPoP-bound', { status: 401, headers: challenge })
    await checkDpop(ctx, req, { accessToken: token, expectedJkt: record.jkt, resourceServer: true })
  } else if (scheme !== 'bearer')
    throw new OAuthError('invalid_token', 'token type mismatch', { status: 401, headers: challenge })
  return { record, sessionId: String(record.sessionId) }
}

function resolveConfiguration(ctx: IssuerContext, r: CredentialRequest, tok: JsonObject): string {
  const ids = tok.credentialIdentifiers
  const hasIds = ids !== undefined && ids !== null && typeof ids === 'object' && !Array.isArray(ids)
  if ((r.credential_configuration_id === undefined) === (r.credential_identifier === undefined))
    throw new OAuthError('invalid_credential_request', 'exactly one of credential_configuration_id and credential_identifier')
  if (r.credential_identifier !== undefined) {
    const cid = hasIds ? str(ids[r.credential_identifier]) : undefined
    if (!cid) throw new OAuthError('unknown_credential_identifier', 'unknown credential identifier')
    return cid
  }
  if (hasIds) throw new OAuthError('invalid_credential_request', 'use credential_identifier from the token response')
  const id = r.credential_configuration_id ?? ''
  if (!ctx.configurations[id]) throw new OAuthError('unknown_credential_configuration', 'unknown credential configuration')
  if (!(Array.isArray(tok.configurationIds) && tok.configurationIds.includes(id)))
    throw new OAuthError('invalid_credential_request', 'the access token does not cover this configuration')
  return id
}

/** The configuration's own batch cap (§12.2.4 `batch_size` is issuer-wide; a configuration may allow fewer). */
function batchCap(ctx: IssuerContext, configurationId: string): number {
  const own = ctx.o.batchSizeFor?.(configurationId)
  if (own === undefined) return ctx.o.batchSize
  if (!Number.isInteger(own) || own < 1)
    throw new OAuthError('server_error', 'batchSizeFor must give an integer ≥ 1', { status: 500 })
  return Math.min(own, ctx.o.batchSize)
}

async function verifyProofs(
  ctx: IssuerContext,
  r: CredentialRequest,
  tok: JsonObject,
  configurationId: string,
): Promise<{ keys: PublicJwk[]; attested: boolean }> {
  const proofs = r.proofs
  if (!proofs) throw new OAuthError('invalid_proof', 'proofs are required')
  const kinds = ['jwt', 'attestation'].filter((k) => proofs[k] !== undefined)
  if (kinds.length !== 1 || Object.keys(proofs).length !== 1)
    throw new OAuthError('invalid_proof', 'proofs must hold exactly one supported proof type')
  const list = proofs.jwt ?? proofs.attestation ?? []
  if (list.length > ctx.o.batchSize) throw new OAuthError('invalid_credential_request', 'more proofs than batch_size')
  const cap = batchCap(ctx, configurationId)
  if (list.length > cap) throw new OAuthError('invalid_credential_request', "more proofs than this configuration's batch_size")
  const ka = ctx.o.keyAttestation
  // §12.2.4 key_attestations_required, issuer-wide (`mandatory`) or for this configuration only.
  const mandatory = ka?.mandatory === true || ctx.o.keyAttestationRequiredFor?.(configurationId) === true
  if (mandatory && !ka) throw new OAuthError('invalid_proof', 'a key attestation is required')
  const opts = {
    issuer: ctx.o.issuer,
    clock: ctx.clock,
    algorithms: ctx.o.proofAlgorithms ?? DEFAULT_ALGS,
    ...(ctx.o.resolveProofKid ? { resolveKid: ctx.o.resolveProofKid } : {}),
    ...(typeof tok.clientId === 'string' ? { clientId: tok.clientId } : { anonymous: tok.preAuthorized === true }),
    ...(ka ? { keyAttestation: { ...ka, mandatory, profile: ctx.o.profile ?? 'openid4vci' } } : {}),
  }
  const verified: VerifiedProof[] = []
  for (const p of list) verified.push(proofs.jwt ? await verifyJwtProof(p, opts) : await verifyAttestationProof(p, opts))
  // §8.2: the issuer has a nonce endpoint, so every proof carries a c_nonce; each is consumed atomically.
  if (verified.some((v) => v.nonce === undefined)) throw new OAuthError('invalid_proof', 'proof has no c_nonce')
  for (const n of new Set(verified.map((v) => String(v.nonce)))) {
    if (!(await ctx.o.store.take('c_nonce', n))) throw new OAuthError('invalid_nonce', 'c_nonce is invalid, expired or used')
  }
  const attested = verified.some((v) => v.attested)
  const keys: PublicJwk[] = []
  const seen = new Set<string>()
  for (const v of verified)
    for (const k of v.keys) {
      // Identity by key material (cheaper than a thumbprint; thumbprints come from the format's audit).
      const t = k.kty === 'EC' ? `${k.crv}.${k.x}.${k.y}` : `${k.crv}.${k.x}`
      if (seen.has(t)) throw new OAuthError('invalid_proof', 'the same key appears twice')
      seen.add(t)
      keys.push(k)
    }
  // Key attestations may attest more keys than we issue: only min(N, batch_size, the configuration's cap) are bound.
  return { keys: keys.slice(0, cap), attested }
}

const MAX_REPORTED = 100

/**
 * The issuer's schema check, before any status index or signature. Claims that break the issuer's
 * own schema are the issuer's data problem, not a malformed request (§8.3.1.2 `invalid_credential_request`
 * blames the wallet), and retrying cannot help: `credential_request_denied`, which the wallet treats
 * as unrecoverable (and §9.3 uses when a deferred credential can no longer be issued). The failing
 * paths go to `onError` in the cause, never to the wallet; values go nowhere.
 */
async function checkClaims(ctx: IssuerContext, configurationId: string, configuration: JsonObject, claims: JsonObject) {
  const validate = ctx.o.validateClaims
  if (!validate) return
  const format = String(configuration.format)
  const r = await validate({ configurationId, format, configuration, claims })
  if (r.valid === true) return
  const errors = (Array.isArray(r.errors) ? r.errors : [])
    .slice(0, MAX_REPORTED)
    .map((e) => ({ path: String(e.path).slice(0, 512), message: String(e.message).slice(0, 512) }))
  const cause = new Openid4vciError('openid4vci.claims_invalid', 'the claims do not satisfy the credential schema', {
    details: { configurationId, format, errors, paths: errors.map((e) => e.path) },
  })
  throw new OAuthError(
    'credential_request_denied',
    'the issuer cannot issue this credential: its data does not satisfy the credential schema',
    {
      cause,
    },
  )
}

/** Issue one credential per key via the configuration's format, with own status references. */
export async function issueFor(
  ctx: IssuerContext,
  sessionId: string,
  configurationId: string,
  keys: readonly PublicJwk[],
  attested: boolean,
): Promise<JsonObject> {
  const configuration = ctx.configurations[configurationId] ?? {}
  const format = ctx.registry.get(String(configuration.format))
  if (!format.issueBatch) throw new OAuthError('server_error', 'format cannot issue', { status: 500 })
  const session = await ctx.o.store.get('session', sessionId)
  const claimsCtx = { sessionId, configurationId, sessionData: sessionData(session) }
  const claims = await ctx.o.claims(claimsCtx)
  await checkClaims(ctx, configurationId, configuration, claims)
  const statuses = ctx.o.statusAllocator ? await ctx.o.statusAllocator.allocate(keys.length) : []
  const entries = keys.map((holderKey, i) => {
    const s = statuses[i]
    return s ? { holderKey, status: { status_list: { idx: s.idx, uri: s.uri } } } : { holderKey }
  })
  const out = await format.issueBatch({ issuer: ctx.o.issuer, configurationId, configuration, claims, entries, clock: ctx.clock })
  const notificationId = ctx.newId(16)
  await ctx.o.store.put('notification', notificationId, { sessionId, configurationId }, ctx.expiresIn(86400))
  await ctx.o.audit?.({
    // a prefix: a base64url id may begin with '-', which command lines read as an option
    batchId: `batch_${ctx.newId(12)}`,
    sessionId,
    configurationId,
    count: out.credentials.length,
    holderKeyThumbprints: out.holderKeyThumbprints ? [...out.holderKeyThumbprints] : keys.map(jwkThumbprint),
    statusReferences: entries.map((e) => e.status),
    attested,
    issuedAt: Math.floor(ctx.clock.now() / 1000),
    ...(out.audit ? { format: out.audit } : {}),
  })
  return { credentials: out.credentials.map((credential) => ({ credential })), notification_id: notificationId }
}

function sessionData(session: JsonObject | undefined): JsonObject {
  const d = session?.data
  return d !== null && typeof d === 'object' && !Array.isArray(d) ? d : {}
}

/**
 * A credential or deferred request body: JSON, or a JWE (`application/jwt`, §10). A request that
 * asks for an encrypted response must itself be encrypted (§8.2), and so must every request when
 * the issuer requires encryption.
 */
export async function readRequestBody(ctx: IssuerContext, req: Request): Promise<JsonObject> {
  const type = (req.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase()
  const max = ctx.o.maxBodyBytes ?? 256 * 1024
  if (type === 'application/jwt') {
    if (!ctx.requestKey) throw new OAuthError('invalid_encryption_parameters', 'request encryption is not supported')
    const text = (await readBodyText(req, max)).trim()
    return decryptRequest(text, ctx.requestKey, ctx.o.encryption?.enc ?? ['A128GCM', 'A256GCM'])
  }
  const body = await readJsonBody(req, max)
  if (ctx.o.encryption?.required) throw new OAuthError('invalid_encryption_parameters', 'the request must be encrypted')
  if (body.credential_response_encryption !== undefined)
    throw new OAuthError('invalid_encryption_parameters', 'a request asking for response encryption must be encrypted')
  return body
}

/** POST /credential (OpenID4VCI §8). */
export async function handleCredential(ctx: IssuerContext, req: Request): Promise<Response> {
  const tok = await authorize(ctx, req)
  const body = await readRequestBody(ctx, req)
  let r: CredentialRequest
  try {
    r = parseWire(zCredentialRequest, body, 'openid4vci.credential_failed')
  } catch (e) {
    throw new OAuthError('invalid_credential_request', e instanceof VcError ? e.message : 'invalid request')
  }
  const configurationId = resolveConfiguration(ctx, r, tok.record)
  let enc: ResponseEncryption | undefined
  if (r.credential_response_encryption !== undefined) {
    if (!ctx.o.encryption) throw new OAuthError('invalid_encryption_parameters', 'response encryption is not supported')
    enc = parseResponseEncryption(r.credential_response_encryption, ctx.o.encryption.enc ?? ['A128GCM', 'A256GCM'])
  } else if (ctx.o.encryption?.required) throw new OAuthError('invalid_encryption_parameters', 'response encryption is required')
  const { keys, attested } = await verifyProofs(ctx, r, tok.record, configurationId)
  if (ctx.o.deferred) {
    const session = await ctx.o.store.get('session', tok.sessionId)
    if (await ctx.o.deferred.defer({ sessionId: tok.sessionId, configurationId, sessionData: sessionData(session) })) {
      const transactionId = ctx.newId()
      await ctx.o.store.put(
        'deferred',
        transactionId,
        { sessionId: tok.sessionId, configurationId, keys: keys.map((k) => ({ ...k })), attested },
        ctx.expiresIn(86400),
      )
      return credentialResponse({ transaction_id: transactionId, interval: ctx.o.deferred.intervalSeconds ?? 5 }, 202, enc)
    }
  }
  return credentialResponse(await issueFor(ctx, tok.sessionId, configurationId, keys, attested), 200, enc)
}

/** POST /nonce (OpenID4VCI §7): a fresh, unpredictable, single-use c_nonce; never cached. */
export async function handleNonce(ctx: IssuerContext): Promise<Response> {
  const n = ctx.newId()
  await ctx.o.store.put('c_nonce', n, {}, ctx.expiresIn(ctx.o.nonceTtlSeconds ?? 300))
  // HAIP §4: wallets take a DPoP-Nonce from the nonce endpoint too.
  return jsonResponse({ c_nonce: n }, 200, ctx.dpopNonces ? { 'dpop-nonce': await ctx.dpopNonces.current() } : {})
}
