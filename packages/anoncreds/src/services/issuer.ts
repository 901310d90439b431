/**
 * Issuer operations over AnonCreds JSON objects, as anoncreds-rs `src/services/issuer.rs`
 * (AnonCreds v1 §Schema Publisher: Publish Schema Object, §Issuer Create and Publish Credential Definition Object,
 * §Credential Offer, §Issue Credential). Revocation registries and status lists are in revocation-issuer.ts; here
 * a credential definition gets revocation keys (`supportRevocation`) and a credential its non-revocation part
 * (`options.revocation`).
 */
import { attrCommonView } from '../attribute-names.js'
import { newNonce } from '../cl/helpers.js'
import { createCredentialPrimaryKeys } from '../cl/issuer-keys.js'
import { signCredential } from '../cl/sign.js'
import { type CredentialValue, MASTER_SECRET } from '../cl/types.js'
import { encodeAttribute } from '../encoding.js'
import { AnonCredsError } from '../errors.js'
import { type Credential, parseCredential } from '../objects/credential.js'
import {
  type CredentialDefinition,
  type KeyCorrectnessProof,
  parseCredentialDefinition,
  parseKeyCorrectnessProof,
} from '../objects/credential-definition.js'
import { type CredentialOffer, parseCredentialOffer } from '../objects/credential-offer.js'
import { type CredentialRequest, credentialRequestEntropy, parseCredentialRequest } from '../objects/credential-request.js'
import { parseSchema, type Schema } from '../objects/schema.js'
import { zEncoded } from '../objects/wire.js'
import { createCredentialRevocationKeys } from '../revocation/keys.js'
import { type CredentialDefinitionPrivate, parseCredentialDefinitionPrivate } from './private-objects.js'
import { type CredentialRevocationConfig, issueRevocationPart } from './revocation-issuer.js'
import {
  bigOf,
  blindedProofOf,
  blindedSecretsOf,
  clCredentialSchemaOf,
  keyCorrectnessProofJson,
  primaryPublicKeyJson,
  primaryPublicKeyOf,
  primarySignatureJson,
  signatureCorrectnessProofJson,
} from './wire.js'
import { credentialRevocationPrivateKeyJson, credentialRevocationPublicKeyJson } from './wire-revocation.js'

/**
 * A schema object (`create_schema`), validated as anoncreds-rs `Schema::validate` does.
 * @example createSchema('gvt', '1.0', 'did:web:issuer.example', ['name', 'age'])
 */
export function createSchema(name: string, version: string, issuerId: string, attrNames: readonly string[]): Schema {
  return parseSchema({ name, version, attrNames: [...attrNames], issuerId })
}

export interface CreateCredentialDefinitionOptions {
  /** Also generate CKS revocation keys (`value.revocation`, private `r_key`), needed for revocation registries. */
  readonly supportRevocation?: boolean
}

export interface CreateCredentialDefinitionResult {
  readonly credentialDefinition: CredentialDefinition
  readonly credentialDefinitionPrivate: CredentialDefinitionPrivate
  readonly keyCorrectnessProof: KeyCorrectnessProof
}

/**
 * Generates the issuer's CL keys for the schema's attributes (`create_credential_definition` with signature type
 * CL). Key generation takes seconds (two 1024-bit safe primes).
 * @example const { credentialDefinition } = await createCredentialDefinition(schemaId, schema, issuerId, 'default')
 */
export async function createCredentialDefinition(
  schemaId: string,
  schema: Schema,
  issuerId: string,
  tag: string,
  options: CreateCredentialDefinitionOptions = {},
): Promise<CreateCredentialDefinitionResult> {
  const parsed = parseSchema(schema)
  const keys = await createCredentialPrimaryKeys(clCredentialSchemaOf(parsed).attrs)
  const rKeys = options.supportRevocation ? createCredentialRevocationKeys() : undefined
  const credentialDefinition = parseCredentialDefinition({
    schemaId,
    type: 'CL',
    tag,
    value: {
      primary: primaryPublicKeyJson(keys.publicKey),
      ...(rKeys ? { revocation: credentialRevocationPublicKeyJson(rKeys.publicKey) } : {}),
    },
    issuerId,
  })
  const { p, q } = keys.privateKey
  const r_key = rKeys ? credentialRevocationPrivateKeyJson(rKeys.privateKey) : null
  return {
    credentialDefinition,
    credentialDefinitionPrivate: { value: { p_key: { p: p.toString(), q: q.toString() }, r_key } },
    keyCorrectnessProof: keyCorrectnessProofJson(keys.correctnessProof),
  }
}

/** An offer with a fresh 80-bit nonce (`create_credential_offer`). */
export function createCredentialOffer(
  schemaId: string,
  credentialDefinitionId: string,
  keyCorrectnessProof: KeyCorrectnessProof,
): CredentialOffer {
  return parseCredentialOffer({
    schema_id: schemaId,
    cred_def_id: credentialDefinitionId,
    key_correctness_proof: parseKeyCorrectnessProof(keyCorrectnessProof),
    nonce: newNonce().toString(),
  })
}

/** Attribute names the credential definition signs (its r keys without the link secret). */
function signedAttributes(credDef: CredentialDefinition): Set<string> {
  return new Set(Object.keys(credDef.value.primary.r).filter((k) => k !== MASTER_SECRET))
}

/**
 * The credential's `values`: raw values with their encodings (`encoded[name]` when given, else
 * `encodeAttribute(raw)`); every signed attribute exactly once (compared in `attrCommonView` form).
 */
export function credentialValues(
  credDef: CredentialDefinition,
  raw: Readonly<Record<string, string>>,
  encoded: Readonly<Record<string, string>> = {},
): Record<string, { raw: string; encoded: string }> {
  const expected = signedAttributes(credDef)
  const seen = new Set<string>()
  const values: Array<[string, { raw: string; encoded: string }]> = []
  for (const [name, value] of Object.entries(raw)) {
    const key = attrCommonView(name)
    if (!expected.has(key) || seen.has(key)) {
      throw new AnonCredsError('anoncreds.attribute_unexpected', 'value for an attribute the schema does not have', {
        details: { attr_name: name },
      })
    }
    seen.add(key)
    const enc = Object.hasOwn(encoded, name) ? encoded[name]! : encodeAttribute(value)
    if (!zEncoded.safeParse(enc).success) {
      throw new AnonCredsError('anoncreds.invalid_object', 'encoded value is not a decimal integer', {
        details: { attr_name: name },
      })
    }
    values.push([name, { raw: value, encoded: enc }])
  }
  const missing = [...expected].filter((k) => !seen.has(k))
  if (missing.length > 0) {
    throw new AnonCredsError('anoncreds.attribute_missing', 'no value for some schema attributes', {
      details: { attrs: missing },
    })
  }
  // fromEntries defines own members, so a name such as "__proto__" stays a plain key
  return Object.fromEntries(values)
}

export interface CreateCredentialOptions {
  /** Issuer-chosen encodings by attribute name; the others are encoded with `encodeAttribute`. */
  readonly encoded?: Readonly<Record<string, string>>
  /** The registry to issue a revocable credential into (`CredentialRevocationConfig`); see revocation-issuer.ts. */
  readonly revocation?: CredentialRevocationConfig | undefined
}

/**
 * Signs the holder's blinded link secret and the attribute values (`create_credential`). Checks that the request
 * is for the offer's credential definition and that its blinded-secret proof holds for the offer's nonce
 * (`anoncreds.blinded_secret_proof_invalid`), then that every schema attribute has a value and no other
 * (`anoncreds.attribute_missing` / `anoncreds.attribute_unexpected`).
 */
export function createCredential(
  credentialDefinition: CredentialDefinition,
  credentialDefinitionPrivate: CredentialDefinitionPrivate,
  offer: CredentialOffer,
  request: CredentialRequest,
  rawValues: Readonly<Record<string, string>>,
  options: CreateCredentialOptions = {},
): Credential {
  const credDef = parseCredentialDefinition(credentialDefinition)
  const priv = parseCredentialDefinitionPrivate(credentialDefinitionPrivate)
  const off = parseCredentialOffer(offer)
  const req = parseCredentialRequest(request)
  if (req.cred_def_id !== off.cred_def_id) {
    throw new AnonCredsError('anoncreds.request_invalid', 'the request is for another credential definition than the offer')
  }
  const values = credentialValues(credDef, rawValues, options.encoded)
  const rev = options.revocation
  const clValues = new Map<string, CredentialValue>(
    Object.entries(values).map(([name, v]) => [attrCommonView(name), { kind: 'known', value: bigOf(v.encoded) }]),
  )
  const signed = signCredential({
    proverId: credentialRequestEntropy(req),
    blinded: blindedSecretsOf(req.blinded_ms),
    blindedProof: blindedProofOf(req.blinded_ms_correctness_proof),
    credentialNonce: bigOf(off.nonce),
    issuanceNonce: bigOf(req.nonce),
    values: clValues,
    publicKey: primaryPublicKeyOf(credDef.value.primary),
    privateKey: { p: bigOf(priv.value.p_key.p), q: bigOf(priv.value.p_key.q) },
    revIdx: rev?.registryIndex,
  })
  const r = rev
    ? issueRevocationPart(credDef, priv, rev, off.cred_def_id, req.blinded_ms.ur, signed.signature.m_2)
    : { r_credential: null, rev_reg_id: null, rev_reg: null, witness: null }
  return parseCredential({
    schema_id: off.schema_id,
    cred_def_id: off.cred_def_id,
    rev_reg_id: r.rev_reg_id,
    values,
    signature: { p_credential: primarySignatureJson(signed.signature), r_credential: r.r_credential },
    signature_correctness_proof: signatureCorrectnessProofJson(signed.correctnessProof),
    rev_reg: r.rev_reg,
    witness: r.witness,
  })
}
