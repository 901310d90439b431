import type { ClaimsValidationInput } from '@bonafide/openid4vci'
import {
  type CredentialSchema,
  createSchemaRecord,
  createTypeMetadata,
  documentIntegrity,
  EU_PID_DOCTYPE,
  reportOf,
  type SchemaReport,
  SchemaValidator,
  type TypeMetadataDocument,
  typeMetadataBytes,
  validateSdJwtVcClaims,
} from '@bonafide/schema'
import { checkMdocClaims } from '../schemas/mdoc-claims.js'

/** The PID's SD-JWT VC type (the demo's credentials carry it; wallets and tests depend on the value). */
export const PID_VCT = 'urn:eudi:pid:1'

const COUNTRY = { type: 'string', pattern: '^[A-Z]{2}$' }
const text = (title: string) => ({ type: 'string', minLength: 1, maxLength: 150, title })
const AGES = ['12', '14', '16', '18', '21', '65']

/**
 * JSON Schema 2020-12 for the PID in SD-JWT VC form, after the EUDI ARF PID Rulebook's SD-JWT VC
 * encoding (claim names from OpenID Connect Core §5.1 and the EKYC/IDA claims): the four mandatory
 * identity claims, the address as an OIDC address object, and age statements keyed by age.
 * Other members are allowed: the rulebook has more optional attributes than this demo issues.
 */
export const PID_JSON_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Person Identification Data',
  type: 'object',
  required: ['given_name', 'family_name', 'birthdate', 'nationalities'],
  properties: {
    given_name: text('Given name'),
    family_name: text('Family name'),
    birthdate: { type: 'string', format: 'date', title: 'Date of birth' },
    nationalities: { type: 'array', minItems: 1, maxItems: 16, items: COUNTRY, title: 'Nationalities' },
    place_of_birth: {
      type: 'object',
      title: 'Place of birth',
      minProperties: 1,
      properties: { country: COUNTRY, region: text('Region'), locality: text('Locality') },
      additionalProperties: false,
    },
    address: {
      type: 'object',
      title: 'Address',
      minProperties: 1,
      properties: {
        formatted: text('Full address'),
        street_address: text('Street'),
        house_number: text('House number'),
        locality: text('City'),
        region: text('Region'),
        postal_code: { type: 'string', minLength: 1, maxLength: 16, title: 'Postal code' },
        country: { ...COUNTRY, title: 'Country' },
      },
      additionalProperties: false,
    },
    age_equal_or_over: {
      type: 'object',
      title: 'Age statements',
      properties: Object.fromEntries(AGES.map((a) => [a, { type: 'boolean', title: `${a} or over` }])),
      propertyNames: { pattern: '^[1-9][0-9]?$' },
      additionalProperties: { type: 'boolean' },
    },
    age_in_years: { type: 'integer', minimum: 0, maximum: 150, title: 'Age' },
    age_birth_year: { type: 'integer', minimum: 1800, maximum: 2200, title: 'Year of birth' },
  },
} as const

/** The PID schema as a registry record (what `createTypeMetadata` builds from). */
export const PID_SCHEMA_RECORD: CredentialSchema = createSchemaRecord({
  name: 'eu.europa.ec.eudi.pid',
  version: '1.0.0',
  author: 'Bonafide demo issuer',
  description: 'EU Person Identification Data (SD-JWT VC)',
  schema: PID_JSON_SCHEMA,
})

/** SD-JWT VC Type Metadata (draft-ietf-oauth-sd-jwt-vc-18 §4) for `PID_VCT`, with claim metadata and display. */
export const PID_TYPE_METADATA: TypeMetadataDocument = createTypeMetadata(PID_SCHEMA_RECORD, {
  vct: PID_VCT,
  name: 'EU PID',
  display: [{ locale: 'en', name: 'Person Identification Data', description: 'EU Person Identification Data' }],
})

/** The exact bytes the demo publishes for `PID_TYPE_METADATA` (what `vct#integrity` covers, SD-JWT VC §5). */
export const PID_TYPE_METADATA_BYTES: Uint8Array = typeMetadataBytes(PID_TYPE_METADATA)

/** `vct#integrity` of the demo's PID credentials: W3C SRI sha256 over `PID_TYPE_METADATA_BYTES` (SD-JWT VC §2.2.2.3, §5). */
export const PID_TYPE_METADATA_INTEGRITY: string = documentIntegrity(PID_TYPE_METADATA_BYTES)

let validator: SchemaValidator | undefined

/**
 * The demo issuer's `validateClaims` hook: `dc+sd-jwt` claims against the JSON Schema and the type
 * metadata (mandatory claims), `mso_mdoc` against the EU PID doctype (typed JSON element values as
 * their CBOR type, see @bonafide/mdoc `TYPED_ELEMENT_MARKERS`). Anything else is refused.
 */
export function validatePidClaims({ format, configuration, claims }: ClaimsValidationInput): SchemaReport {
  if (format === 'dc+sd-jwt' && configuration.vct === PID_VCT) {
    validator ??= new SchemaValidator()
    const r = validator.validate(PID_JSON_SCHEMA, claims)
    const t = validateSdJwtVcClaims(PID_TYPE_METADATA, { ...claims, vct: PID_VCT })
    return reportOf([...r.errors, ...t.errors])
  }
  if (format === 'mso_mdoc' && configuration.doctype === EU_PID_DOCTYPE.docType) return checkMdocClaims(EU_PID_DOCTYPE, claims)
  return reportOf([{ path: '', keyword: 'schema', message: 'no schema for this credential configuration' }])
}
