/**
 * Verifying a presentation (AnonCreds v1 §Verify Presentation), as anoncreds-rs `verify_presentation` with the
 * checks it leaves out (see verifier-checks.ts and `resolveSubProofs`). Malformed input (objects that do not parse,
 * a request mixing `issuer_id` and `issuer_did` restrictions) throws `AnonCredsError`; a well-formed presentation
 * that does not verify returns `{ valid: false, code, reason }` with the code of the first failed check.
 *
 * Revocation as anoncreds-rs: for a credential definition without revocation keys every `non_revoked` interval is
 * ignored; with revocation keys, a timestamp is required and must lie in the interval that applies (the
 * attribute/predicate interval, else — only for a credential with a revocation registry — the request's global one,
 * `from` lowered by `nonRevokedIntervalOverride`). A non-revocation proof is verified against the accumulator of the
 * registry's status list at the identifier's timestamp, inside the aggregated challenge (verifier-revocation.ts).
 */
import { attrCommonView } from '../attribute-names.js'
import { subProofRequest } from '../cl/sub-proof-request.js'
import { MASTER_SECRET, nonCredentialSchema } from '../cl/types.js'
import { type NonRevocationVerifyInput, ProofVerifier } from '../cl/verifier-proof.js'
import { AnonCredsError, type AnonCredsErrorCode } from '../errors.js'
import { type CredentialDefinition, parseCredentialDefinition } from '../objects/credential-definition.js'
import { LEGACY_DID_IDENTIFIER, tryParseIdentifier } from '../objects/identifiers.js'
import { type Presentation, parsePresentation } from '../objects/presentation.js'
import { type PresentationRequest, parsePresentationRequest, restrictionQueryOf } from '../objects/presentation-request.js'
import { restrictionTagValues } from '../objects/restrictions.js'
import type { RevocationRegistryDefinition, RevocationStatusList } from '../objects/revocation.js'
import { parseSchema, type Schema } from '../objects/schema.js'
import {
  type CheckContext,
  checkPredicates,
  checkReferents,
  checkRestrictions,
  checkRevealedValues,
  checkSelfAttested,
  checkSubProofShapes,
  checkUnrevealed,
  type ResolvedSubProof,
  reject,
} from './verifier-checks.js'
import { parseRevocationRegistryDefinitions, resolveRevocation, revocationRegistryMap } from './verifier-revocation.js'
import { checkTimestamps, type NonRevokedIntervalOverride } from './verifier-timestamps.js'
import { bigOf, clCredentialSchemaOf, clProofOf, primaryPublicKeyOf } from './wire.js'

export interface VerifyPresentationOptions {
  /** rev_reg_id → { requested `from` → earliest accepted `from` } (anoncreds-rs `nonrevoke_interval_override`). */
  readonly nonRevokedIntervalOverride?: NonRevokedIntervalOverride
  /** Seconds since the epoch; when given, an identifier timestamp after it fails with `anoncreds.timestamp_invalid`. */
  readonly now?: number
  /**
   * Check that revealed raw values encode (`encodeAttribute`) to their encoded values (default true). Turn off only
   * for credentials from issuers that used their own encodings; the encoded values are still checked against the proof.
   */
  readonly checkRawEncoding?: boolean
  /**
   * Require a non-revocation proof (and a `rev_reg_id`) for every credential whose definition has revocation keys
   * and to which a non-revoked interval applies — the referents' own or the request's global one (default true).
   * anoncreds-rs applies the global interval only to credentials that name a registry, so a holder of a revoked
   * credential could drop `rev_reg_id` and the proof. Turn off only to accept credentials issued without
   * revocation under a revocable credential definition.
   */
  readonly requireNonRevocationWhenRevocable?: boolean
}

export type VerifyPresentationResult =
  | { readonly valid: true }
  | {
      readonly valid: false
      readonly code: AnonCredsErrorCode
      readonly reason: string
      readonly details?: Readonly<Record<string, unknown>> | undefined
    }

/** Codes that mean "this presentation does not verify" rather than "the input is unusable". */
const REJECTIONS: ReadonlySet<AnonCredsErrorCode> = new Set<AnonCredsErrorCode>([
  'anoncreds.proof_invalid',
  'anoncreds.request_unsatisfied',
  'anoncreds.self_attested_restricted',
  'anoncreds.unknown_identifier',
  'anoncreds.credential_definition_mismatch',
  'anoncreds.schema_mismatch',
  'anoncreds.encoding_mismatch',
  'anoncreds.restriction_unsatisfied',
  'anoncreds.predicate_mismatch',
  'anoncreds.timestamp_invalid',
  'anoncreds.non_revocation_missing',
])

function parseMap<T>(map: Readonly<Record<string, unknown>>, parse: (v: unknown) => T): Map<string, T> {
  return new Map(Object.entries(map).map(([id, v]) => [id, parse(v)]))
}

/** anoncreds-rs refuses requests that mix the new and the legacy issuer tags. */
function checkRequestTags(req: PresentationRequest): void {
  const infos = [...Object.values(req.requested_attributes ?? {}), ...Object.values(req.requested_predicates ?? {})]
  const tags = new Set(
    infos.flatMap((i) => restrictionTagValues(restrictionQueryOf(i) ?? { op: 'and', queries: [] })).map(([t]) => t),
  )
  if ((tags.has('issuer_id') && tags.has('issuer_did')) || (tags.has('schema_issuer_id') && tags.has('schema_issuer_did'))) {
    throw new AnonCredsError('anoncreds.request_invalid', 'restrictions mix issuer_id and issuer_did (or their schema_ forms)')
  }
}

/** The identifiers' legacy parts agree with the schema and credential definition given for them. */
function checkLegacyIdentifiers(schemaId: string, credDefId: string, schema: Schema, credDef: CredentialDefinition): void {
  const s = tryParseIdentifier('schema', schemaId)
  if (s?.kind === 'schema' && s.format === 'legacy' && (s.name !== schema.name || s.version !== schema.version)) {
    reject('anoncreds.schema_mismatch', 'the schema does not match its legacy identifier', { schema_id: schemaId })
  }
  const c = tryParseIdentifier('credentialDefinition', credDefId)
  if (c?.kind !== 'credentialDefinition' || c.format !== 'legacy') return
  const ref = c.schemaRef
  const refOk = 'schemaId' in ref ? ref.schemaId === schemaId : schema.seqNo === undefined || schema.seqNo === ref.seqNo
  // a legacy (unqualified) issuer DID must be the one in the identifier; qualified ones (did:indy:…) are not compared
  const issuerOk = !LEGACY_DID_IDENTIFIER.test(credDef.issuerId) || credDef.issuerId === c.did
  if (!refOk || c.tag !== credDef.tag || !issuerOk) {
    reject('anoncreds.credential_definition_mismatch', 'the credential definition does not match its legacy identifier', {
      cred_def_id: credDefId,
    })
  }
}

/**
 * Looks up each identifier's schema and credential definition (`anoncreds.unknown_identifier`) and checks that
 * they belong together: the credential definition is for the identifier's schema
 * (`anoncreds.credential_definition_mismatch`) and signs exactly the schema's attributes plus the link secret
 * (`anoncreds.schema_mismatch`). anoncreds-rs checks neither, so a prover could name another schema to satisfy a
 * schema restriction.
 */
function resolveSubProofs(p: Presentation, schemas: Map<string, Schema>, credDefs: Map<string, CredentialDefinition>) {
  if (p.proof.proofs.length !== p.identifiers.length) reject('anoncreds.proof_invalid', 'Invalid proof length')
  return p.identifiers.map((id, i): ResolvedSubProof & { schema: Schema; credDef: CredentialDefinition } => {
    const schema = schemas.get(id.schema_id) ?? reject('anoncreds.unknown_identifier', 'schema not provided', { index: i })
    const credDef =
      credDefs.get(id.cred_def_id) ?? reject('anoncreds.unknown_identifier', 'credential definition not provided', { index: i })
    if (credDef.schemaId !== id.schema_id) {
      reject('anoncreds.credential_definition_mismatch', 'the credential definition is for another schema', { index: i })
    }
    const attributes = new Set(clCredentialSchemaOf(schema).attrs)
    const signed = new Set(primaryPublicKeyOf(credDef.value.primary).r.keys())
    if (signed.size !== attributes.size + 1 || !signed.has(MASTER_SECRET) || [...attributes].some((a) => !signed.has(a))) {
      reject('anoncreds.schema_mismatch', "the credential definition does not sign the schema's attributes", { index: i })
    }
    checkLegacyIdentifiers(id.schema_id, id.cred_def_id, schema, credDef)
    const filter = {
      schema_id: id.schema_id,
      schema_issuer_id: schema.issuerId,
      schema_name: schema.name,
      schema_version: schema.version,
      issuer_id: credDef.issuerId,
      cred_def_id: id.cred_def_id,
      // the registry counts for a rev_reg_id restriction only when a non-revocation proof is there: that proof is
      // then verified against this registry (or the presentation refused); a bare claim proves nothing
      rev_reg_id: p.proof.proofs[i]!.non_revoc_proof ? (id.rev_reg_id ?? null) : null,
      attributes,
    }
    return { filter, proof: p.proof.proofs[i]!, schema, credDef }
  })
}

/** The CL check of the aggregated proof, sub-proof requests built from the proof itself as anoncreds-rs does. */
function verifyProof(
  p: Presentation,
  req: PresentationRequest,
  subs: ReturnType<typeof resolveSubProofs>,
  revocation: readonly (NonRevocationVerifyInput | undefined)[],
): void {
  try {
    const verifier = new ProofVerifier({ commonAttributes: [MASTER_SECRET] })
    for (const [i, sub] of subs.entries()) {
      const eq = sub.proof.primary_proof.eq_proof
      const revealedAttrs = Object.keys(eq.revealed_attrs).map(attrCommonView)
      const predicates = sub.proof.primary_proof.ge_proofs.map((ge) => ({
        ...ge.predicate,
        attr_name: attrCommonView(ge.predicate.attr_name),
      }))
      const pk = primaryPublicKeyOf(sub.credDef.value.primary)
      verifier.addSubProofRequest(
        subProofRequest({ revealedAttrs, predicates }),
        clCredentialSchemaOf(sub.schema),
        nonCredentialSchema(),
        pk,
        undefined,
        revocation[i],
      )
    }
    if (!verifier.verify(clProofOf(p.proof), bigOf(req.nonce)))
      reject('anoncreds.proof_invalid', 'the aggregated proof does not verify')
  } catch (e) {
    if (e instanceof AnonCredsError && e.code !== 'anoncreds.proof_invalid') {
      throw new AnonCredsError('anoncreds.proof_invalid', e.message, { cause: e, details: e.details as Record<string, unknown> })
    }
    throw e
  }
}

/**
 * Verifies `presentation` against `presentationRequest` with the schemas and credential definitions the verifier
 * resolved for the presentation's identifiers (maps keyed by id), and — for revocable credentials — the revocation
 * registry definitions (keyed by id) and the status lists at the identifiers' timestamps.
 * @example const r = verifyPresentation(presentation, request, { [schemaId]: schema }, { [credDefId]: credDef })
 * if (!r.valid) console.log(r.code) // e.g. 'anoncreds.restriction_unsatisfied'
 */
export function verifyPresentation(
  presentation: Presentation,
  presentationRequest: PresentationRequest,
  schemas: Readonly<Record<string, Schema>>,
  credentialDefinitions: Readonly<Record<string, CredentialDefinition>>,
  revocationRegistryDefinitions?: Readonly<Record<string, RevocationRegistryDefinition>>,
  revocationStatusLists?: readonly RevocationStatusList[],
  options: VerifyPresentationOptions = {},
): VerifyPresentationResult {
  const p = parsePresentation(presentation)
  const req = parsePresentationRequest(presentationRequest)
  const schemaMap = parseMap(schemas, (v) => parseSchema(v))
  const credDefMap = parseMap(credentialDefinitions, (v) => parseCredentialDefinition(v))
  checkRequestTags(req)
  const revRegDefs = parseRevocationRegistryDefinitions(revocationRegistryDefinitions)
  const registries = revocationRegistryMap(revocationStatusLists)
  try {
    const subProofs = resolveSubProofs(p, schemaMap, credDefMap)
    const ctx: CheckContext = { presentation: p, request: req, subProofs }
    checkReferents(ctx)
    checkSelfAttested(ctx)
    checkRevealedValues(ctx, options.checkRawEncoding ?? true)
    checkUnrevealed(ctx)
    checkRestrictions(ctx)
    checkPredicates(ctx)
    checkSubProofShapes(ctx)
    const credDefs = subProofs.map((s) => s.credDef)
    checkTimestamps(ctx, credDefs, options)
    const revocation = resolveRevocation(
      ctx,
      credDefs,
      revRegDefs,
      registries,
      options.nonRevokedIntervalOverride,
      options.requireNonRevocationWhenRevocable ?? true,
    )
    verifyProof(p, req, subProofs, revocation)
    return { valid: true }
  } catch (e) {
    if (e instanceof AnonCredsError && REJECTIONS.has(e.code)) {
      return { valid: false, code: e.code, reason: e.message, details: e.details }
    }
    throw e
  }
}
