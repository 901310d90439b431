/**
 * Credential request (AnonCreds v1 §Credential Request; anoncreds-rs src/data_types/cred_request.rs).
 * Exactly one of `entropy` (current) or `prover_did` (legacy: only with a legacy cred_def_id; any 1–256 characters,
 * as anoncreds-rs reads it) — the rules of `CredentialRequest::validate`, except its DID pattern.
 */
import { z } from 'zod'
import { isLegacyIdentifier, zCredentialDefinitionId } from './identifiers.js'
import { BIGINT_BITS, LIMITS } from './limits.js'
import { type ParseOptions, parseObject, zDecimal, zMap, zName, zNonce, zPointG1 } from './wire.js'

/** `BlindedCredentialSecrets`: u (mod n), optional ur (G1), hidden attribute names, committed attributes. */
export const zBlindedCredentialSecrets = z.looseObject({
  u: zDecimal(BIGINT_BITS.modulus),
  ur: zPointG1.nullish(),
  hidden_attributes: z.array(zName).max(LIMITS.maxKeyAttributes),
  committed_attributes: zMap(zDecimal(BIGINT_BITS.modulus), LIMITS.maxKeyAttributes),
})

/** `BlindedCredentialSecretsCorrectnessProof`: c, v_dash_cap, m_caps{}, r_caps{}. */
export const zBlindedCredentialSecretsCorrectnessProof = z.looseObject({
  c: zDecimal(BIGINT_BITS.hash),
  v_dash_cap: zDecimal(BIGINT_BITS.response),
  m_caps: zMap(zDecimal(BIGINT_BITS.response), LIMITS.maxKeyAttributes),
  r_caps: zMap(zDecimal(BIGINT_BITS.response), LIMITS.maxKeyAttributes),
})

export const zCredentialRequest = z
  .looseObject({
    entropy: z.string().max(LIMITS.maxStringLength).nullish(),
    prover_did: z.string().max(LIMITS.maxStringLength).nullish(),
    cred_def_id: zCredentialDefinitionId,
    blinded_ms: zBlindedCredentialSecrets,
    blinded_ms_correctness_proof: zBlindedCredentialSecretsCorrectnessProof,
    nonce: zNonce,
  })
  .superRefine((o, ctx) => {
    if (o.entropy != null) {
      if (o.prover_did != null) ctx.addIssue({ code: 'custom', message: 'entropy and prover_did both set', path: ['prover_did'] })
      return
    }
    if (!isLegacyIdentifier('credentialDefinition', o.cred_def_id)) {
      ctx.addIssue({ code: 'custom', message: 'entropy is required', path: ['entropy'] })
    } else if (o.prover_did == null) {
      ctx.addIssue({ code: 'custom', message: 'legacy identifiers need entropy or prover_did', path: ['entropy'] })
    } else if (o.prover_did.length === 0 || o.prover_did.length > 256) {
      // Not the 21–22 character DID pattern: libindy made requests with 32-byte DIDs (43 characters), and anoncreds-rs
      // checks the pattern only when it creates a request, never when it reads or issues on one. The value is hashed
      // into m2, never resolved.
      ctx.addIssue({ code: 'custom', message: 'prover_did must be 1 to 256 characters', path: ['prover_did'] })
    }
  })
export type CredentialRequest = z.output<typeof zCredentialRequest>

/** The value anoncreds-rs uses as entropy: `entropy`, else the legacy `prover_did`. */
export function credentialRequestEntropy(req: CredentialRequest): string {
  return (req.entropy ?? req.prover_did) as string
}

export function parseCredentialRequest(input: unknown, opts?: ParseOptions): CredentialRequest {
  return parseObject(zCredentialRequest, input, 'credential_request', opts)
}
