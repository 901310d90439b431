import { b64uDecode, b64uEncode } from '@bonafide/core'
import type { Signer } from '@bonafide/keys'
import { openid4vpSessionTranscript, presentMdoc } from '@bonafide/mdoc'
import { presentSdJwt } from '@bonafide/sd-jwt'
import type { ClaimsPathPointer } from '../dcql/query.js'
import { Openid4vpError } from '../errors.js'
import { decodeTransactionData } from './plan.js'
import type { AuthorizationRequest } from './request.js'

/** What a presenter gets for one credential of the answer. */
export interface PresentationTarget {
  readonly queryId: string
  readonly format: string
  readonly credentialId: string
  readonly claims: readonly ClaimsPathPointer[]
  /** Encoded transaction data entries bound to this query (§8.4). */
  readonly transactionData: readonly string[]
}

/** Per-format presentation: the holder's credential, the claims to disclose, bound to this request. */
export type Presenter = (target: PresentationTarget, request: AuthorizationRequest) => Promise<string>

/** `dc+sd-jwt` (Appendix B.3.6): selected disclosures and a KB-JWT with aud = client_id, nonce and transaction data hashes. */
export async function presentSdJwtVcFor(
  credential: string,
  target: PresentationTarget,
  request: AuthorizationRequest,
  holder: Signer,
): Promise<string> {
  return presentSdJwt(credential, {
    disclose: target.claims,
    kb: {
      signer: holder,
      aud: request.clientId,
      nonce: request.nonce,
      ...(target.transactionData.length ? { transactionData: [...target.transactionData] } : {}),
    },
  })
}

/** `mso_mdoc` (Appendix B.2.6.1): a DeviceResponse over the OpenID4VP SessionTranscript, base64url. */
export async function presentMdocFor(
  credential: string,
  target: PresentationTarget,
  request: AuthorizationRequest,
  device: Signer,
): Promise<string> {
  const disclose: Record<string, string[]> = {}
  for (const p of target.claims) {
    const [ns, el] = p
    if (typeof ns !== 'string' || typeof el !== 'string')
      throw new Openid4vpError('openid4vp.claims_path_invalid', 'mso_mdoc paths are [namespace, element]')
    ;(disclose[ns] ??= []).push(el)
  }
  const bytes = await presentMdoc({
    issuerSigned: b64uDecode(credential),
    disclose,
    deviceSigner: device,
    sessionTranscript: openid4vpSessionTranscript({
      clientId: request.clientId,
      nonce: request.nonce,
      responseUri: request.responseUri,
      jwkThumbprint: request.encryption?.thumbprint ?? null,
    }),
  })
  return b64uEncode(bytes)
}

/**
 * Build the `vp_token` (§8.1) for a selection: one presentation per chosen credential, keyed by
 * query id, with the transaction data bound to each query.
 */
export async function buildVpToken(
  request: AuthorizationRequest,
  targets: readonly Omit<PresentationTarget, 'transactionData'>[],
  present: Presenter,
): Promise<Record<string, string[]>> {
  // §8.4: an entry naming several credential queries is bound to one of them only (the first answered).
  const answered = new Set(targets.map((t) => t.queryId))
  const bound = new Map<string, string[]>()
  for (const t of request.transactionData ?? []) {
    const id = decodeTransactionData(t).credentialIds.find((c) => answered.has(c))
    if (id === undefined)
      throw new Openid4vpError('openid4vp.credential_missing', 'transaction data is bound to no answered query')
    let list = bound.get(id)
    if (!list) bound.set(id, (list = []))
    list.push(t)
  }
  for (const t of targets)
    if (bound.has(t.queryId) && t.format !== 'dc+sd-jwt')
      throw new Openid4vpError('openid4vp.request_invalid', `transaction data cannot be bound to a ${t.format} presentation`)
  const out: Record<string, string[]> = {}
  for (const t of targets) {
    const p = await present({ ...t, transactionData: bound.get(t.queryId) ?? [] }, request)
    ;(out[t.queryId] ??= []).push(p)
  }
  return out
}
