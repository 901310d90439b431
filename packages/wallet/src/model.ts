import type { JsonObject } from '@bonafide/core'
import type { KeyRef } from '@bonafide/keys'

/** How often one copy may be presented: 1 = one-time use (the default), N = limited reuse. */
export interface PoolPolicy {
  readonly maxUses: number
  /** Refill (or report that a new offer is needed) when fewer unused copies than this remain. */
  readonly minUnused: number
}

export const DEFAULT_POLICY: PoolPolicy = { maxUses: 1, minUnused: 3 }

/** Where new copies come from: the issuer and configuration, and a refresh token when the issuer gave one. */
export interface PoolSource {
  readonly credentialIssuer: string
  readonly configurationId: string
  readonly refreshToken?: string
  /** The DPoP key the grant's tokens are bound to (RFC 9449): a refill must prove possession of it again. */
  readonly dpopKey?: KeyRef
  /** How many copies a refill asks for. */
  readonly batchSize: number
}

/** The copies of one batch: one credential dataset, many unlinkable copies. */
export interface PoolRecord {
  readonly id: string
  readonly format: string
  /** vct, docType, or the W3C `type` list joined by spaces. */
  readonly type: string
  readonly issuer: string
  readonly name?: string
  /** The dataset's claims (identical across copies). mso_mdoc: `{ namespace: { element: value } }`. */
  readonly claims: JsonObject
  readonly validFrom?: number
  readonly validUntil?: number
  readonly policy: PoolPolicy
  readonly source?: PoolSource
  readonly createdAt: number
}

export type CopyState = 'unused' | 'used' | 'revoked' | 'suspended' | 'expired'

/** One copy: a credential bound to its own holder key. */
export interface CopyRecord {
  readonly id: string
  readonly poolId: string
  readonly credential: string
  readonly keyRef: KeyRef
  readonly uses: number
  readonly state: CopyState
  readonly validUntil?: number
  /** The status reference (`status` claim / MSO status), for revocation checks. */
  readonly status?: JsonObject
}

/** What the wallet remembers of a presentation: never the credentials themselves. */
export interface PresentationLogEntry {
  readonly id: string
  readonly at: number
  readonly verifier: { readonly clientId: string; readonly subject?: string }
  readonly outcome: 'sent' | 'accepted' | 'rejected' | 'failed'
  readonly credentials: readonly {
    readonly queryId: string
    readonly poolId: string
    readonly format: string
    readonly type: string
    readonly issuer: string
    /** Claim paths disclosed (as JSON arrays). */
    readonly claims: readonly (readonly (string | number | null)[])[]
  }[]
  readonly redirectUri?: string
}
