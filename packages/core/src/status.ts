/**
 * The status-check contract between credential verifiers (SD-JWT VC, mdoc, JWT-VC) and status
 * mechanisms (Token Status List, Bitstring Status List). Lives in core so that neither side
 * depends on the other.
 */
export type CredentialStatusState = 'valid' | 'invalid' | 'suspended' | 'undetermined' | 'other'

export interface CredentialStatusResult {
  /** `undetermined`: the list could not be fetched or verified; the verifier's policy decides. */
  readonly state: CredentialStatusState
  /** The raw status value when determined (0x00 VALID, 0x01 INVALID, 0x02 SUSPENDED, …). */
  readonly value?: number
  /** For `undetermined`: the error code that made it so. */
  readonly reason?: string
  readonly uri?: string
  readonly index?: number
}

export interface StatusCheckContext {
  /** Current time in ms (the verifier's injected clock). */
  readonly now: number
}

/** Given a credential's status reference (the `status` claim, or `credentialStatus`), say its status. */
export interface StatusChecker {
  check(reference: unknown, ctx: StatusCheckContext): Promise<CredentialStatusResult>
}
