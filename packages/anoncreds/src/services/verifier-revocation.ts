/**
 * What the verifier checks a sub-proof's non-revocation proof against (anoncreds-rs verifier.rs
 * `build_revocation_registry_map`, `CLProofVerifier::get_revocation_registry`): the registry definition of the
 * identifier's `rev_reg_id` and the accumulator of that registry's status list at the identifier's `timestamp`.
 *
 * Stricter than anoncreds-rs, which hands clsignatures whatever it finds and lets it skip a missing proof: a
 * non-revocation proof the verifier cannot check fails, and a revocable credential for which the request asks a
 * non-revoked interval must carry one (`anoncreds.proof_invalid` when it names a registry; by default
 * `anoncreds.non_revocation_missing` when it names none, which anoncreds-rs accepts) — an honest anoncreds-rs prover
 * adds it then.
 * A revoked credential's proof fails the aggregated challenge like any wrong proof: the verifier does not learn the
 * credential's index, so it cannot tell "revoked" from "invalid" (`anoncreds.proof_invalid`; the holder's
 * `createPresentation` reports `anoncreds.credential_revoked` itself when given the registry definitions).
 */
import type { NonRevocationVerifyInput } from '../cl/verifier-proof.js'
import { AnonCredsError } from '../errors.js'
import type { CredentialDefinition } from '../objects/credential-definition.js'
import {
  parseRevocationRegistryDefinition,
  parseRevocationStatusList,
  type RevocationRegistryDefinition,
  type RevocationStatusList,
} from '../objects/revocation.js'
import { type CheckContext, reject } from './verifier-checks.js'
import { intervalFor, type NonRevokedIntervalOverride } from './verifier-timestamps.js'
import { accumulatorOf, credentialRevocationPublicKeyOf, revocationKeyPublicOf } from './wire-revocation.js'

/** rev_reg_id → timestamp → accumulator string. Each list needs its id, timestamp and accumulator. */
export function revocationRegistryMap(lists: readonly RevocationStatusList[] | undefined): Map<string, Map<number, string>> {
  const map = new Map<string, Map<number, string>>()
  for (const input of lists ?? []) {
    const list = parseRevocationStatusList(input)
    if (list.revRegDefId == null || list.timestamp == null || list.currentAccumulator == null) {
      throw new AnonCredsError(
        'anoncreds.invalid_object',
        'a status list given to the verifier lacks its id, timestamp or accumulator',
      )
    }
    const byTime = map.get(list.revRegDefId) ?? new Map<number, string>()
    byTime.set(list.timestamp, list.currentAccumulator)
    map.set(list.revRegDefId, byTime)
  }
  return map
}

export function parseRevocationRegistryDefinitions(
  defs: Readonly<Record<string, RevocationRegistryDefinition>> | undefined,
): Map<string, RevocationRegistryDefinition> {
  return new Map(Object.entries(defs ?? {}).map(([id, d]) => [id, parseRevocationRegistryDefinition(d)]))
}

/** A non-revoked interval applies to the credential at `index`: one of its referents' own, or the request's global one. */
const nonRevocationAsked = (ctx: CheckContext, index: number): boolean =>
  intervalFor(ctx, index, null) !== undefined || ctx.request.non_revoked != null

/**
 * Per sub-proof: the registry state its non-revocation proof is verified against, or undefined when it has none.
 * With `requireWhenRevocable` (the default), a credential whose definition has revocation keys and to which a
 * non-revoked interval applies must carry a registry and a non-revocation proof (`anoncreds.non_revocation_missing`).
 */
export function resolveRevocation(
  ctx: CheckContext,
  credDefs: readonly CredentialDefinition[],
  defs: Map<string, RevocationRegistryDefinition>,
  registries: Map<string, Map<number, string>>,
  override: NonRevokedIntervalOverride | undefined,
  requireWhenRevocable = true,
): (NonRevocationVerifyInput | undefined)[] {
  return ctx.presentation.identifiers.map((id, index) => {
    const credDef = credDefs[index]!
    const revRegId = id.rev_reg_id ?? null
    const hasProof = ctx.subProofs[index]?.proof.non_revoc_proof != null
    if (!hasProof) {
      const asked = credDef.value.revocation != null && revRegId !== null && intervalFor(ctx, index, revRegId, override)
      if (asked) reject('anoncreds.proof_invalid', 'non-revocation proof missing', { index })
      // anoncreds-rs applies the request's global interval only to a credential that names a registry, so a holder
      // could drop rev_reg_id (and the proof) from a revoked credential's identifier and still be accepted
      if (requireWhenRevocable && credDef.value.revocation != null && nonRevocationAsked(ctx, index)) {
        reject(
          'anoncreds.non_revocation_missing',
          'a non-revoked interval applies to a revocable credential without a non-revocation proof',
          {
            index,
          },
        )
      }
      return undefined
    }
    if (revRegId === null || id.timestamp == null || credDef.value.revocation == null) {
      reject('anoncreds.proof_invalid', 'non-revocation proof for a credential without registry, timestamp or keys', { index })
    }
    const def =
      defs.get(revRegId!) ?? reject('anoncreds.unknown_identifier', 'revocation registry definition not provided', { index })
    if (def.credDefId !== id.cred_def_id) {
      reject('anoncreds.credential_definition_mismatch', 'the revocation registry is for another credential definition', {
        index,
      })
    }
    const accum =
      registries.get(revRegId!)?.get(id.timestamp!) ??
      reject('anoncreds.unknown_identifier', 'Revocation Registry not provided for ID and timestamp', { index })
    return {
      publicKey: credentialRevocationPublicKeyOf(credDef.value.revocation!),
      revKeyPublic: revocationKeyPublicOf(def.value.publicKeys.accumKey),
      registry: { accum: accumulatorOf(accum) },
    }
  })
}
