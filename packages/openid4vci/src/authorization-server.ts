import { constantTimeEqual, isJsonObject, type JsonObject, OAuthError } from '@bonafide/core'
import { authorizationResponseUrl, checkCodeChallenge, jsonResponse, readFormBody, verifyPkce } from '@bonafide/oauth2'
import { checkClientAttestation, checkDpop, type IssuerContext, str, strArray } from './context.js'
import { PRE_AUTH_GRANT } from './issuer-options.js'
import { hashSecret } from './offer.js'

const grantError = (d: string) => new OAuthError('invalid_grant', d)

/** `authorization_details` (RFC 9396) of type `openid_credential` or `scope` → configuration ids (OpenID4VCI §5.1). */
function requestedConfigurations(ctx: IssuerContext, form: Record<string, string>): { ids: string[]; viaDetails: boolean } {
  const ids: string[] = []
  let viaDetails = false
  if (form.authorization_details) {
    let ad: unknown
    try {
      ad = JSON.parse(form.authorization_details)
    } catch {
      throw new OAuthError('invalid_authorization_details', 'authorization_details is not JSON')
    }
    if (!Array.isArray(ad) || ad.length === 0 || ad.length > 16)
      throw new OAuthError('invalid_authorization_details', 'authorization_details must be a non-empty array')
    for (const d of ad) {
      if (!isJsonObject(d) || d.type !== 'openid_credential' || typeof d.credential_configuration_id !== 'string')
        throw new OAuthError('invalid_authorization_details', 'unsupported authorization detail')
      if (!ctx.configurations[d.credential_configuration_id])
        throw new OAuthError('invalid_authorization_details', 'unknown credential configuration')
      ids.push(d.credential_configuration_id)
    }
    viaDetails = true
  }
  if (form.scope) {
    for (const s of form.scope.split(' ')) {
      const hit = Object.entries(ctx.configurations).find(([, c]) => c.scope === s)
      if (hit) ids.push(hit[0])
    }
  }
  if (ids.length === 0) throw new OAuthError('invalid_scope', 'no credential configuration requested')
  return { ids: [...new Set(ids)], viaDetails }
}

/** POST /par (RFC 9126 §2): store the authorization request and return a `request_uri`. */
export async function handlePar(ctx: IssuerContext, req: Request): Promise<Response> {
  const attestedClient = await checkClientAttestation(ctx, req)
  const form = await readFormBody(req)
  const clientId = form.client_id
  if (!clientId) throw new OAuthError('invalid_request', 'client_id is required')
  if (attestedClient !== undefined && attestedClient !== clientId)
    throw new OAuthError('invalid_client', 'client_id mismatch', { status: 401 })
  if (form.request_uri) throw new OAuthError('invalid_request', 'request_uri is not allowed at the PAR endpoint')
  if (form.response_type !== 'code') throw new OAuthError('unsupported_response_type', 'response_type must be code')
  const redirectUri = form.redirect_uri
  if (!redirectUri || !URL.canParse(redirectUri)) throw new OAuthError('invalid_request', 'redirect_uri is required')
  const challenge = checkCodeChallenge(form.code_challenge, form.code_challenge_method)
  const { ids, viaDetails } = requestedConfigurations(ctx, form)
  const id = ctx.newId()
  const rec: JsonObject = { clientId, redirectUri, challenge, configurationIds: ids, viaDetails }
  if (form.state) rec.state = form.state
  if (form.issuer_state) rec.issuerState = form.issuer_state
  if (form.scope) rec.scope = form.scope
  if (attestedClient) rec.attested = true
  await ctx.o.store.put('par', id, rec, ctx.expiresIn(60))
  return jsonResponse({ request_uri: `urn:ietf:params:oauth:request_uri:${id}`, expires_in: 60 }, 201)
}

/** GET /authorize?client_id&request_uri: approve via the application callback, then redirect with code, state and `iss` (RFC 9207). */
export async function handleAuthorize(ctx: IssuerContext, req: Request): Promise<Response> {
  const q = new URL(req.url).searchParams
  const requestUri = q.get('request_uri') ?? ''
  const prefix = 'urn:ietf:params:oauth:request_uri:'
  if (!requestUri.startsWith(prefix)) throw new OAuthError('invalid_request', 'request_uri is required (PAR only)')
  const par = await ctx.o.store.take('par', requestUri.slice(prefix.length))
  if (!par || par.clientId !== q.get('client_id'))
    throw new OAuthError('invalid_request_uri', 'request_uri is unknown or expired')
  const redirectUri = String(par.redirectUri)
  const state = str(par.state)
  const issuerState = str(par.issuerState)
  let sessionId: string | undefined
  if (issuerState) {
    const offer = await ctx.o.store.take('offer', `state:${issuerState}`)
    sessionId = str(offer?.sessionId)
    if (!sessionId) throw new OAuthError('invalid_request', 'issuer_state is unknown or used')
  }
  const approved = await ctx.o.authorize?.({
    clientId: String(par.clientId),
    configurationIds: strArray(par.configurationIds),
    ...(issuerState ? { issuerState } : {}),
    ...(str(par.scope) ? { scope: String(par.scope) } : {}),
  })
  if (!approved) {
    return Response.redirect(authorizationResponseUrl(redirectUri, { error: 'access_denied', state, iss: ctx.o.issuer }), 302)
  }
  if (!sessionId) {
    sessionId = ctx.newId(16)
    await ctx.o.store.put(
      'session',
      sessionId,
      { data: approved, configurationIds: par.configurationIds ?? [] },
      ctx.expiresIn(3600),
    )
  }
  const code = ctx.newId()
  await ctx.o.store.put('authorization_code', hashSecret(code), { ...par, sessionId }, ctx.expiresIn(60))
  return Response.redirect(authorizationResponseUrl(redirectUri, { code, state, iss: ctx.o.issuer }), 302)
}

async function redeemPreAuthorized(ctx: IssuerContext, form: Record<string, string>): Promise<JsonObject> {
  const code = form['pre-authorized_code']
  if (!code) throw new OAuthError('invalid_request', 'pre-authorized_code is required')
  const key = hashSecret(code)
  const rec = await ctx.o.store.get('pre_authorized_code', key)
  if (!rec) throw grantError('pre-authorized code is invalid, expired or used')
  if (typeof rec.txCodeHash === 'string') {
    if (!form.tx_code) throw new OAuthError('invalid_request', 'tx_code is required')
    if (!constantTimeEqual(hashSecret(form.tx_code), rec.txCodeHash)) {
      // §6.3: wrong transaction codes are counted; the code dies at the limit.
      const n = await ctx.o.store.increment('tx_code_attempts', key, ctx.expiresIn(3600))
      if (n >= (ctx.o.txCodeMaxAttempts ?? 3)) await ctx.o.store.delete('pre_authorized_code', key)
      throw grantError('tx_code is wrong')
    }
  } else if (form.tx_code) throw new OAuthError('invalid_request', 'tx_code was not expected')
  const taken = await ctx.o.store.take('pre_authorized_code', key)
  if (!taken) throw grantError('pre-authorized code is invalid, expired or used')
  return { sessionId: taken.sessionId ?? null, configurationIds: taken.configurationIds ?? [], preAuthorized: true }
}

async function redeemAuthorizationCode(
  ctx: IssuerContext,
  form: Record<string, string>,
  client: string | undefined,
): Promise<JsonObject> {
  if (!form.code) throw new OAuthError('invalid_request', 'code is required')
  const rec = await ctx.o.store.take('authorization_code', hashSecret(form.code))
  if (!rec) throw grantError('authorization code is invalid, expired or used')
  if (rec.clientId !== form.client_id || (client !== undefined && client !== rec.clientId)) throw grantError('client mismatch')
  if (rec.redirectUri !== form.redirect_uri) throw grantError('redirect_uri mismatch')
  if (rec.attested && client === undefined)
    throw new OAuthError('invalid_client', 'client attestation is required', { status: 401 })
  verifyPkce(form.code_verifier, String(rec.challenge))
  return {
    sessionId: rec.sessionId ?? null,
    configurationIds: rec.configurationIds ?? [],
    viaDetails: rec.viaDetails ?? false,
    clientId: rec.clientId ?? null,
  }
}

/** RFC 6749 §6: a refresh token is single use (rotated) and bound to the same DPoP key and client. */
async function redeemRefreshToken(
  ctx: IssuerContext,
  form: Record<string, string>,
  client: string | undefined,
  jkt: string | undefined,
): Promise<JsonObject> {
  if (!form.refresh_token) throw new OAuthError('invalid_request', 'refresh_token is required')
  const key = hashSecret(form.refresh_token)
  const seen = await ctx.o.store.get('refresh_token', key)
  if (!seen) throw grantError('refresh token is invalid, expired or used')
  // Binding first, so that a stolen token presented with another key does not burn the holder's token.
  if (typeof seen.jkt === 'string' && seen.jkt !== jkt) throw grantError('refresh token is bound to another DPoP key')
  if (typeof seen.clientId === 'string' && seen.clientId !== client) throw grantError('refresh token belongs to another client')
  const rec = await ctx.o.store.take('refresh_token', key)
  if (!rec) throw grantError('refresh token is invalid, expired or used')
  return rec
}

/** POST /token (RFC 6749 §3.2, OpenID4VCI §6): both grants, DPoP binding, wallet attestation. */
export async function handleToken(ctx: IssuerContext, req: Request): Promise<Response> {
  const client = await checkClientAttestation(ctx, req)
  const jkt = await checkDpop(ctx, req)
  const form = await readFormBody(req)
  let grant: JsonObject
  if (form.grant_type === PRE_AUTH_GRANT) grant = await redeemPreAuthorized(ctx, form)
  else if (form.grant_type === 'authorization_code') grant = await redeemAuthorizationCode(ctx, form, client)
  else if (form.grant_type === 'refresh_token' && ctx.o.refreshTokenTtlSeconds)
    grant = await redeemRefreshToken(ctx, form, client, jkt)
  else throw new OAuthError('unsupported_grant_type', 'grant type not supported')
  const accessToken = ctx.newId()
  const ttl = ctx.o.accessTokenTtlSeconds ?? 600
  const configurationIds = strArray(grant.configurationIds)
  const rec: JsonObject = { ...grant, ...(jkt ? { jkt } : {}), ...(client ? { clientId: client } : {}) }
  const body: JsonObject = { access_token: accessToken, token_type: jkt ? 'DPoP' : 'Bearer', expires_in: ttl }
  if (grant.viaDetails) {
    // OpenID4VCI §6.2: one credential identifier per authorized configuration (kept across refreshes).
    const previous = grant.credentialIdentifiers
    const identifiers: Record<string, string> = {}
    if (previous !== null && typeof previous === 'object' && !Array.isArray(previous)) {
      for (const [k, v] of Object.entries(previous)) if (typeof v === 'string') identifiers[k] = v
    } else for (const id of configurationIds) identifiers[`${id}:${ctx.newId(6)}`] = id
    rec.credentialIdentifiers = identifiers
    body.authorization_details = configurationIds.map((id) => ({
      type: 'openid_credential',
      credential_configuration_id: id,
      credential_identifiers: Object.entries(identifiers)
        .filter(([, c]) => c === id)
        .map(([k]) => k),
    }))
  }
  await ctx.o.store.put('access_token', hashSecret(accessToken), rec, ctx.expiresIn(ttl))
  const refreshTtl = ctx.o.refreshTokenTtlSeconds
  if (refreshTtl) {
    // HAIP §4.4 recommends refresh tokens; they rotate on every use and keep the DPoP/client binding.
    const refreshToken = ctx.newId()
    await ctx.o.store.put('refresh_token', hashSecret(refreshToken), rec, ctx.expiresIn(refreshTtl))
    body.refresh_token = refreshToken
  }
  const headers: Record<string, string> = {}
  if (ctx.dpopNonces) headers['dpop-nonce'] = await ctx.dpopNonces.current()
  return jsonResponse(body, 200, headers)
}
