/**
 * Creating a presentation (AnonCreds v1 §Generate Presentation), as anoncreds-rs `create_presentation` with its
 * `PresentCredentials` builder: `credentials` are the builder's `add_credential(cred, timestamp, rev_state)` calls
 * in order, `requested` says which credential (by index) answers each referent and whether a requested attribute
 * is revealed (`add_requested_attribute(referent, revealed)` / `add_requested_predicate(referent)`). One sub-proof
 * per credential that answers something, in `credentials` order; the link secret is the common attribute that ties
 * them to one holder. No non-revocation proofs yet: `revState` is refused with `anoncreds.revocation_unsupported`.
 */
import { attrCommonView } from '../attribute-names.js'
import { ProofBuilder } from '../cl/prover-proof.js'
import { subProofRequest } from '../cl/sub-proof-request.js'
import { MASTER_SECRET, nonCredentialSchema } from '../cl/types.js'
import { AnonCredsError } from '../errors.js'
import { type AttributeValues, type Credential, parseCredential } from '../objects/credential.js'
import { type CredentialDefinition, parseCredentialDefinition } from '../objects/credential-definition.js'
import { type LinkSecret, parseLinkSecret } from '../objects/link-secret.js'
import { type Presentation, parsePresentation, type RequestedProof } from '../objects/presentation.js'
import { type PresentationRequest, parsePresentationRequest } from '../objects/presentation-request.js'
import { parseSchema, type Schema } from '../objects/schema.js'
import {
  bigOf,
  clCredentialSchemaOf,
  clCredentialValuesOf,
  clPredicateOf,
  primaryPublicKeyOf,
  primarySignatureOf,
  proofJson,
} from './wire.js'

/** One `add_credential` call. `timestamp` and `revState` go together (anoncreds-rs `PresentCredentials::validate`). */
export interface PresentCredential {
  readonly credential: Credential
  readonly timestamp?: number | undefined
  /** `CredentialRevocationState`: reserved for non-revocation proofs, not supported yet. */
  readonly revState?: unknown
}

/** Which credential (index into `credentials`) answers each referent of the request. */
export interface RequestedCredentials {
  readonly requested_attributes?: Readonly<Record<string, { readonly cred_id: number; readonly revealed: boolean }>>
  readonly requested_predicates?: Readonly<Record<string, { readonly cred_id: number }>>
}

interface Present {
  readonly credential: Credential
  readonly timestamp: number | undefined
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
    if (c.revState !== undefined)
      throw new AnonCredsError('anoncreds.revocation_unsupported', 'revocation states are not supported yet')
    if (c.timestamp !== undefined) misuse('Either timestamp and revocation state must be presented, or neither')
    return { credential: parseCredential(c.credential), timestamp: c.timestamp, attributes: [], predicates: [] }
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

/**
 * Builds the presentation (`create_presentation`). Throws `anoncreds.predicate_unsatisfied` when a credential's
 * value does not satisfy a requested predicate, `anoncreds.attribute_missing` when a credential lacks a requested
 * attribute, and `anoncreds.options_invalid` for inconsistent arguments (unknown referents or cred_id, a schema or
 * credential definition not given, nothing presented).
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
