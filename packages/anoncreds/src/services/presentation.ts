/**
 * Creating a presentation (AnonCreds v1 §Generate Presentation), as anoncreds-rs `create_presentation` with its
 * `PresentCredentials` builder: `credentials` are the builder's `add_credential(cred, timestamp, rev_state)` calls
 * in order, `requested` says which credential (by index) answers each referent and whether a requested attribute
 * is revealed (`add_requested_attribute(referent, revealed)` / `add_requested_predicate(referent)`). One sub-proof
 * per credential that answers something, in `credentials` order; the link secret is the common attribute that ties
 * them to one holder. A credential given with a `revState` (and its `timestamp`) gets a non-revocation proof when
 * the request asks for one for it (a `non_revoked` interval on one of its revealed attributes or predicates, else the
 * request's global one), as anoncreds-rs decides; its commitments enter the challenge ahead of the primary proof's.
 */
import { attrCommonView } from '../attribute-names.js'
import { type NonRevocationProofInput, ProofBuilder } from '../cl/prover-proof.js'
import { subProofRequest } from '../cl/sub-proof-request.js'
import { MASTER_SECRET, nonCredentialSchema } from '../cl/types.js'
import { AnonCredsError } from '../errors.js'
import { type AttributeValues, type Credential, parseCredential } from '../objects/credential.js'
import { type CredentialDefinition, parseCredentialDefinition } from '../objects/credential-definition.js'
import { type LinkSecret, parseLinkSecret } from '../objects/link-secret.js'
import { type Presentation, parsePresentation, type RequestedProof } from '../objects/presentation.js'
import { type PresentationRequest, parsePresentationRequest } from '../objects/presentation-request.js'
import { parseRevocationRegistryDefinition, type RevocationRegistryDefinition } from '../objects/revocation.js'
import { parseSchema, type Schema } from '../objects/schema.js'
import { isWitnessValid } from '../revocation/witness.js'
import { type CredentialRevocationState, parseCredentialRevocationState } from './revocation-objects.js'
import {
  bigOf,
  clCredentialSchemaOf,
  clCredentialValuesOf,
  clPredicateOf,
  primaryPublicKeyOf,
  primarySignatureOf,
  proofJson,
} from './wire.js'
import {
  credentialRevocationPublicKeyOf,
  nonRevocationCredentialSignatureOf,
  revocationKeyPublicOf,
  revocationRegistryOf,
  witnessOf,
} from './wire-revocation.js'

/** One `add_credential` call. `timestamp` and `revState` go together (anoncreds-rs `PresentCredentials::validate`). */
export interface PresentCredential {
  readonly credential: Credential
  readonly timestamp?: number | undefined
  /** `CredentialRevocationState` (see `createOrUpdateRevocationState`), for a non-revocation proof at `timestamp`. */
  readonly revState?: CredentialRevocationState | undefined
}

export interface CreatePresentationOptions {
  /**
   * Registry definitions by id: when given for a credential's `rev_reg_id`, its witness is checked against the
   * revocation state's accumulator first, and a credential not in it fails with `anoncreds.credential_revoked`
   * instead of producing a presentation no verifier accepts.
   */
  readonly revocationRegistryDefinitions?: Readonly<Record<string, RevocationRegistryDefinition>>
}

/** Which credential (index into `credentials`) answers each referent of the request. */
export interface RequestedCredentials {
  readonly requested_attributes?: Readonly<Record<string, { readonly cred_id: number; readonly revealed: boolean }>>
  readonly requested_predicates?: Readonly<Record<string, { readonly cred_id: number }>>
}

interface Present {
  readonly credential: Credential
  readonly timestamp: number | undefined
  readonly revState: CredentialRevocationState | undefined
  readonly attributes: Array<[string, boolean]>
  readonly predicates: string[]
}

const misuse = (message: string, details?: Record<string, unknown>): never => {
  throw new AnonCredsError('anoncreds.options_invalid', message, details ? { details } : undefined)
}

function collect(
  credentials: readonly PresentCredential[],
  requested: RequestedCredentials,
  req: PresentationRequest,
): Present[] {
  const presents: Present[] = credentials.map((c) => {
    if ((c.revState === undefined) !== (c.timestamp === undefined)) {
      misuse('Either timestamp and revocation state must be presented, or neither')
    }
    const revState = c.revState === undefined ? undefined : parseCredentialRevocationState(c.revState)
    return { credential: parseCredential(c.credential), timestamp: c.timestamp, revState, attributes: [], predicates: [] }
  })
  const at = (i: number, referent: string): Present =>
    presents[i] ?? misuse('cred_id is not an index into credentials', { referent })
  for (const [referent, { cred_id, revealed }] of Object.entries(requested.requested_attributes ?? {})) {
    if (!Object.hasOwn(req.requested_attributes ?? {}, referent)) misuse('Requested Attribute not found in request', { referent })
    at(cred_id, referent).attributes.push([referent, revealed])
  }
  for (const [referent, { cred_id }] of Object.entries(requested.requested_predicates ?? {})) {
    if (!Object.hasOwn(req.requested_predicates ?? {}, referent)) misuse('Requested Predicate not found in request', { referent })
    at(cred_id, referent).predicates.push(referent)
  }
  return presents
}

/** `get_credential_values_for_attribute`: the credential value whose name matches in `attrCommonView` form. */
function valueFor(values: Readonly<Record<string, AttributeValues>>, name: string): { raw: string; encoded: string } {
  const key = attrCommonView(name)
  const found = Object.entries(values).find(([k]) => attrCommonView(k) === key)
  if (!found) {
    throw new AnonCredsError('anoncreds.attribute_missing', 'Credential value not found for attribute', {
      details: { attr_name: name },
    })
  }
  return { raw: found[1].raw, encoded: found[1].encoded }
}

/** Defines an own member (a referent such as "__proto__" must stay a plain key). */
function put<T>(o: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true })
}

type MutableRequestedProof = Required<{ -readonly [K in keyof RequestedProof]: NonNullable<RequestedProof[K]> }>

/** `update_requested_proof`: record which sub-proof answers each referent, with the revealed values. */
function updateRequestedProof(p: Present, req: PresentationRequest, index: number, out: MutableRequestedProof): void {
  for (const [referent, revealed] of p.attributes) {
    const info = req.requested_attributes![referent]!
    if (!revealed) put(out.unrevealed_attrs, referent, { sub_proof_index: index })
    else if (info.name != null)
      put(out.revealed_attrs, referent, { sub_proof_index: index, ...valueFor(p.credential.values, info.name) })
    else {
      const values = Object.fromEntries((info.names ?? []).map((n) => [n, valueFor(p.credential.values, n)]))
      put(out.revealed_attr_groups, referent, { sub_proof_index: index, values })
    }
  }
  for (const referent of p.predicates) put(out.predicates, referent, { sub_proof_index: index })
}

function lookup<T>(map: Readonly<Record<string, T>>, id: string, what: string): T {
  if (!Object.hasOwn(map, id)) misuse(`${what} not provided for ID`, { id })
  return map[id]!
}

/** The sub-proof request of one credential (`get_requested_attributes` / `get_requested_predicates`). */
function subProofRequestOf(p: Present, req: PresentationRequest) {
  const revealed = p.attributes
    .filter(([, r]) => r)
    .flatMap(([referent]) => {
      const info = req.requested_attributes![referent]!
      return info.name != null ? [info.name] : [...(info.names ?? [])]
    })
  const predicates = p.predicates.map((referent) => clPredicateOf(req.requested_predicates![referent]!))
  return subProofRequest({ revealedAttrs: revealed.map(attrCommonView), predicates })
}

/** `get_non_revoked_interval` is Some: a revocable credential with a local (revealed/predicate) or global interval. */
function nonRevokedRequested(p: Present, req: PresentationRequest): boolean {
  if (p.credential.rev_reg_id == null) return false
  const local = [
    ...p.attributes.filter(([, revealed]) => revealed).map(([r]) => req.requested_attributes![r]!.non_revoked),
    ...p.predicates.map((r) => req.requested_predicates![r]!.non_revoked),
  ]
  return local.some((i) => i != null) || req.non_revoked != null
}

/** The non-revocation sub-proof input of a credential, or undefined when none is asked for or no state is given. */
function nonRevocationOf(
  p: Present,
  req: PresentationRequest,
  credDef: CredentialDefinition,
  defs: Readonly<Record<string, RevocationRegistryDefinition>> | undefined,
): NonRevocationProofInput | undefined {
  const { credential: cred, revState } = p
  if (revState === undefined || !nonRevokedRequested(p, req)) return undefined
  if (cred.signature.r_credential == null || credDef.value.revocation == null) {
    misuse('revocation state for a credential that is not revocable', { rev_reg_id: cred.rev_reg_id })
  }
  const input: NonRevocationProofInput = {
    credential: nonRevocationCredentialSignatureOf(cred.signature.r_credential!),
    publicKey: credentialRevocationPublicKeyOf(credDef.value.revocation!),
    registry: revocationRegistryOf(revState.rev_reg),
    witness: witnessOf(revState.witness),
  }
  const id = cred.rev_reg_id!
  if (defs && Object.hasOwn(defs, id)) {
    const z = revocationKeyPublicOf(parseRevocationRegistryDefinition(defs[id]).value.publicKeys.accumKey)
    if (!isWitnessValid(input.credential, input.publicKey, z, input.registry, input.witness)) {
      throw new AnonCredsError(
        'anoncreds.credential_revoked',
        'the credential is not in the accumulator of its revocation state',
        {
          details: { rev_reg_id: id, timestamp: revState.timestamp },
        },
      )
    }
  }
  return input
}

/**
 * Builds the presentation (`create_presentation`). Throws `anoncreds.predicate_unsatisfied` when a credential's
 * value does not satisfy a requested predicate, `anoncreds.attribute_missing` when a credential lacks a requested
 * attribute, and `anoncreds.options_invalid` for inconsistent arguments (unknown referents or cred_id, a schema or
 * credential definition not given, nothing presented, a revocation state for a credential that is not revocable),
 * and `anoncreds.credential_revoked` when `options.revocationRegistryDefinitions` shows a revoked credential.
 * @example createPresentation(request, [{ credential }], {}, { requested_attributes: { a: { cred_id: 0, revealed: true } } },
 *   linkSecret, { [credential.schema_id]: schema }, { [credential.cred_def_id]: credDef })
 */
export function createPresentation(
  presentationRequest: PresentationRequest,
  credentials: readonly PresentCredential[],
  selfAttested: Readonly<Record<string, string>>,
  requested: RequestedCredentials,
  linkSecret: LinkSecret,
  schemas: Readonly<Record<string, Schema>>,
  credentialDefinitions: Readonly<Record<string, CredentialDefinition>>,
  options: CreatePresentationOptions = {},
): Presentation {
  const req = parsePresentationRequest(presentationRequest)
  const secret = bigOf(parseLinkSecret(linkSecret))
  const presents = collect(credentials, requested, req).filter((p) => p.attributes.length + p.predicates.length > 0)
  if (presents.length === 0 && Object.keys(selfAttested).length === 0) {
    misuse('No credential mapping or self-attested attributes presented')
  }
  for (const referent of Object.keys(selfAttested)) {
    if (Object.hasOwn(requested.requested_attributes ?? {}, referent))
      misuse('referent both self-attested and from a credential', { referent })
  }
  const out: MutableRequestedProof = {
    revealed_attrs: {},
    revealed_attr_groups: {},
    self_attested_attrs: { ...selfAttested },
    unrevealed_attrs: {},
    predicates: {},
  }
  const builder = new ProofBuilder({ commonAttributes: [MASTER_SECRET] })
  const identifiers = presents.map((p, index) => {
    updateRequestedProof(p, req, index, out)
    const cred = p.credential
    const schema = parseSchema(lookup(schemas, cred.schema_id, 'Schema'))
    const credDef = parseCredentialDefinition(lookup(credentialDefinitions, cred.cred_def_id, 'Credential Definition'))
    builder.addSubProofRequest(
      subProofRequestOf(p, req),
      clCredentialSchemaOf(schema),
      nonCredentialSchema(),
      primarySignatureOf(cred.signature.p_credential),
      clCredentialValuesOf(cred.values, secret),
      primaryPublicKeyOf(credDef.value.primary),
      nonRevocationOf(p, req, credDef, options.revocationRegistryDefinitions),
    )
    return {
      schema_id: cred.schema_id,
      cred_def_id: cred.cred_def_id,
      rev_reg_id: cred.rev_reg_id ?? null,
      timestamp: p.timestamp ?? null,
    }
  })
  const proof = proofJson(builder.finalize(bigOf(req.nonce)))
  // revealed_attr_groups is skipped when empty, as serde's skip_serializing_if does
  const { revealed_attr_groups, ...rest } = out
  const requested_proof = Object.keys(revealed_attr_groups).length > 0 ? { ...out } : rest
  return parsePresentation({ proof, requested_proof, identifiers })
}
