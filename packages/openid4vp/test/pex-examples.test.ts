import { readFileSync } from 'node:fs'
import { isVcError, type JsonValue } from '@bonafide/core'
import { vectorsPath } from '@bonafide/testing'
import { describe, expect, it } from 'vitest'
import {
  createStrictFilterEvaluator,
  evaluateJsonPath,
  parseJsonPath,
  parsePresentationDefinition,
  parsePresentationSubmission,
} from '../src/pex/index.js'

const code = (f: () => unknown): string | undefined => {
  try {
    f()
  } catch (e) {
    return isVcError(e) ? e.code : 'not-a-vc-error'
  }
  return undefined
}

describe('PEX 2.1.1 examples parse (decentralized-identity/presentation-exchange v2.1.1)', () => {
  const strictOk = Object.keys(DEFINITIONS).filter((n) => n !== 'multi_group_example')
  it.each(strictOk)('§Presentation Definition: %s parses', (n) => {
    const pd = parsePresentationDefinition(DEFINITIONS[n])
    expect(pd.id).toBe((DEFINITIONS[n] as { id: string }).id)
  })
  it('§Input Descriptor Object (IDO Filter note): multi_group_example has the typo keyword `forrmatMaximum`; a verifier refuses it, a holder may ignore it', () => {
    expect(code(() => parsePresentationDefinition(DEFINITIONS.multi_group_example))).toBe('openid4vp.pex_filter_unsupported')
    const holder = createStrictFilterEvaluator({ ignoreUnknownKeywords: true })
    const pd = parsePresentationDefinition(DEFINITIONS.multi_group_example, { filterEvaluator: holder })
    expect(pd.submission_requirements?.map((r) => r.rule)).toEqual(['pick', 'all', 'pick'])
  })
  it.each(Object.keys(INPUT_DESCRIPTORS))('§Expired and Revoked Data: %s parses as an input descriptor', (n) => {
    const pd = parsePresentationDefinition({ id: 'x', input_descriptors: [INPUT_DESCRIPTORS[n]] })
    expect(pd.input_descriptors[0]?.constraints.fields?.length).toBe(2)
  })
  it.each(Object.keys(SUBMISSION_REQUIREMENTS))('§Submission Requirements: %s parses with descriptors grouped A–D', (n) => {
    const input_descriptors = ['A', 'B', 'C', 'D'].map((g) => ({ id: `d${g}`, group: [g], constraints: {} }))
    const pd = parsePresentationDefinition({ id: 'x', input_descriptors, submission_requirements: SUBMISSION_REQUIREMENTS[n] })
    expect(pd.submission_requirements?.length).toBe(SUBMISSION_REQUIREMENTS[n]?.length)
  })
  it.each(Object.keys(SUBMISSIONS))('§Presentation Submission: %s parses', (n) => {
    const s = parsePresentationSubmission(SUBMISSIONS[n])
    expect(s.descriptor_map.length).toBeGreaterThan(0)
  })
  it('§Presentation Submission: path_nested keeps the id at every level', () => {
    const s = parsePresentationSubmission(SUBMISSIONS.nested_submission_example)
    expect(s.descriptor_map[0]?.path_nested?.path_nested?.format).toBe('jwt_vc')
  })
  const haip = vectorsPath('haip/presentation_definition_sd_jwt_vc.json')
  it.skipIf(!haip)('HAIP presentation_definition_sd_jwt_vc.json parses (vc+sd-jwt, limit_disclosure)', () => {
    const pd = parsePresentationDefinition(JSON.parse(readFileSync(haip!, 'utf8')))
    expect(pd.input_descriptors[0]?.constraints.limit_disclosure).toBe('required')
    expect(Object.keys(pd.input_descriptors[0]?.format ?? {})).toEqual(['vc+sd-jwt'])
  })
})

describe('PEX 2.1.1 §JSONPath Syntax Definition: the supported subset on the spec example object', () => {
  const store: JsonValue = {
    store: {
      book: [
        { category: 'reference', author: 'Nigel Rees', title: 'Sayings of the Century', price: 8.95 },
        { category: 'fiction', author: 'Evelyn Waugh', title: 'Sword of Honour', price: 12.99 },
        { category: 'fiction', author: 'Herman Melville', title: 'Moby Dick', isbn: '0-553-21311-3', price: 8.99 },
        { category: 'fiction', author: 'J. R. R. Tolkien', title: 'The Lord of the Rings', isbn: '0-395-19395-8', price: 22.99 },
      ],
      bicycle: { color: 'red', price: 19.95 },
    },
  }
  const run = (p: string) => evaluateJsonPath(parseJsonPath(p), store).map((n) => n.value)
  it.each([
    ['$.store.book[*].author', ['Nigel Rees', 'Evelyn Waugh', 'Herman Melville', 'J. R. R. Tolkien']],
    ['$..author', ['Nigel Rees', 'Evelyn Waugh', 'Herman Melville', 'J. R. R. Tolkien']],
    ['$.store..price', [8.95, 12.99, 8.99, 22.99, 19.95]],
    ['$..book[2].title', ['Moby Dick']],
    ["$['store']['bicycle'][\"color\"]", ['red']],
    ['$.store.book[-1].title', ['The Lord of the Rings']],
    ['$.store.missing', []],
  ])('%s', (p, want) => {
    expect(run(p)).toEqual(want)
  })
  it('$.store.* selects the books and the bicycle', () => {
    expect(run('$.store.*')).toHaveLength(2)
  })
  it.each([
    '$..book[(@.length-1)]',
    '$..book[-1:]',
    '$..book[0,1]',
    '$..book[:2]',
    '$..book[?(@.isbn)]',
    '$..book[?(@.price<10)]',
    'store.book',
    '$.store.',
    "$['unterminated]",
    '$[01]',
    '@.x',
  ])('refuses %s with a typed error', (p) => {
    expect(code(() => parseJsonPath(p))).toBe('openid4vp.pex_path_unsupported')
  })
  it('locations are reported for disclosure ($.a[0] → a, 0)', () => {
    const n = evaluateJsonPath(parseJsonPath('$.store.book[1].author'), store)
    expect(n[0]?.location).toEqual(['store', 'book', 1, 'author'])
  })
})

// PEX 2.1.1 examples, copied as data from decentralized-identity/presentation-exchange @ 7cbe949
// (tag v2.1.1): test/presentation-definition/*.json (the `presentation_definition` member),
// test/submission-requirements/*.json and test/presentation-submission/*.json (the
// `presentation_submission` member; for the JWT appendix, `vp.presentation_submission`).
// The specification text inserts these files by reference; they are not inline in it.
const DEFINITIONS: Record<string, unknown> = {
  basic_example: {
    id: '32f54163-7166-48f1-93d8-ff217bdb0653',
    input_descriptors: [
      {
        id: 'bankaccount_input',
        name: 'Full Bank Account Routing Information',
        purpose: 'We can only remit payment to a currently-valid bank account, submitted as an ABA RTN + Acct # or IBAN.',
        constraints: {
          limit_disclosure: 'required',
          fields: [
            {
              path: ['$.credentialSchema.id', '$.vc.credentialSchema.id'],
              filter: { type: 'string', const: 'https://bank-standards.example.com/fullaccountroute.json' },
            },
            {
              path: ['$.issuer', '$.vc.issuer', '$.iss'],
              purpose:
                'We can only verify bank accounts if they are attested by a trusted bank, auditor, or regulatory authority.',
              filter: { type: 'string', pattern: '^did:example:123$|^did:example:456$' },
              intent_to_retain: true,
            },
          ],
        },
      },
      {
        id: 'us_passport_input',
        name: 'US Passport',
        constraints: {
          fields: [
            {
              path: ['$.credentialSchema.id', '$.vc.credentialSchema.id'],
              filter: { type: 'string', const: 'hub://did:foo:123/Collections/schema.us.gov/passport.json' },
            },
            {
              path: ['$.credentialSubject.birth_date', '$.vc.credentialSubject.birth_date', '$.birth_date'],
              filter: { type: 'string', format: 'date' },
            },
          ],
        },
      },
    ],
  },
  format_example: {
    id: '32f54163-7166-48f1-93d8-ff217bdb0653',
    input_descriptors: [],
    format: {
      jwt: { alg: ['EdDSA', 'ES256K', 'ES384'] },
      jwt_vc: { alg: ['ES256K', 'ES384'] },
      jwt_vp: { alg: ['EdDSA', 'ES256K'] },
      ldp_vc: { proof_type: ['JsonWebSignature2020', 'Ed25519Signature2018', 'EcdsaSecp256k1Signature2019', 'RsaSignature2018'] },
      ldp_vp: { proof_type: ['Ed25519Signature2018'] },
      ldp: { proof_type: ['RsaSignature2018'] },
    },
  },
  input_descriptor_id_tokens_example: {
    id: '32f54163-7166-48f1-93d8-ff217bdb0653',
    input_descriptors: [
      {
        id: 'employment_input_xyz_gov',
        group: ['B'],
        name: 'Verify XYZ Government Employment',
        purpose: 'Verifying current employment at XYZ Government agency as proxy for permission to access this resource',
        constraints: {
          fields: [
            {
              path: ['$.credentialSchema.id', '$.vc.credentialSchema.id'],
              filter: { type: 'string', const: 'https://login.idp.com/xyz.gov/.well-known/openid-configuration' },
            },
            { path: ['$.status'], filter: { type: 'string', pattern: '^active$' } },
          ],
        },
      },
    ],
  },
  input_descriptors_example: {
    id: '32f54163-7166-48f1-93d8-ff217bdb0653',
    input_descriptors: [
      {
        id: 'banking_input_1',
        name: 'Bank Account Information',
        purpose: 'We can only remit payment to a currently-valid bank account.',
        group: ['A'],
        constraints: {
          fields: [
            {
              path: ['$.credentialSchema.id', '$.vc.credentialSchema.id'],
              filter: {
                type: 'string',
                pattern: '^https://bank-schemas.org/1.0.0/accounts.json|https://bank-schemas.org/2.0.0/accounts.json$',
              },
            },
            {
              path: ['$.issuer', '$.vc.issuer', '$.iss'],
              purpose:
                'We can only verify bank accounts if they are attested by a trusted bank, auditor or regulatory authority.',
              filter: { type: 'string', pattern: '^did:example:123$|^did:example:456$' },
              intent_to_retain: true,
            },
            {
              path: ['$.credentialSubject.account[*].id', '$.vc.credentialSubject.account[*].id', '$.account[*].id'],
              purpose:
                'We can only remit payment to a currently-valid bank account in the US, France, or Germany, submitted as an ABA Acct # or IBAN.',
              filter: { type: 'string', pattern: '^[0-9]{10-12}|^(DE|FR)[0-9]{2}\\s?([0-9a-zA-Z]{4}\\s?){4}[0-9a-zA-Z]{2}$' },
              intent_to_retain: true,
            },
            {
              path: ['$.credentialSubject.account[*].route', '$.vc.credentialSubject.account[*].route', '$.account[*].route'],
              purpose:
                'We can only remit payment to a currently-valid account at a US, Japanese, or German federally-accredited bank, submitted as an ABA RTN or SWIFT code.',
              filter: { type: 'string', pattern: '^[0-9]{9}|^([a-zA-Z]){4}([a-zA-Z]){2}([0-9a-zA-Z]){2}([0-9a-zA-Z]{3})?$' },
              intent_to_retain: true,
            },
          ],
        },
      },
    ],
  },
  minimal_example: {
    id: '32f54163-7166-48f1-93d8-ff217bdb0653',
    input_descriptors: [
      {
        id: 'wa_driver_license',
        name: 'Washington State Business License',
        purpose: 'We can only allow licensed Washington State business representatives into the WA Business Conference',
        constraints: {
          fields: [
            {
              path: [
                '$.credentialSubject.dateOfBirth',
                '$.credentialSubject.dob',
                '$.vc.credentialSubject.dateOfBirth',
                '$.vc.credentialSubject.dob',
              ],
            },
          ],
        },
      },
    ],
  },
  multi_group_example: {
    id: '32f54163-7166-48f1-93d8-ff217bdb0653',
    submission_requirements: [
      {
        name: 'Banking Information',
        purpose: 'We can only remit payment to a currently-valid bank account in the US, Germany or France.',
        rule: 'pick',
        count: 1,
        from: 'A',
      },
      {
        name: 'Employment Information',
        purpose: 'We are only verifying one current employment relationship, not any other information about employment.',
        rule: 'all',
        from: 'B',
      },
      {
        name: 'Eligibility to Drive on US Roads',
        purpose:
          "We need to verify eligibility to drive on US roads via US or EU driver's license, but no biometric or identifying information contained there.",
        rule: 'pick',
        count: 1,
        from: 'C',
      },
    ],
    input_descriptors: [
      {
        id: 'banking_input_1',
        name: 'Bank Account Information',
        purpose: 'Bank Account required to remit payment.',
        group: ['A'],
        constraints: {
          limit_disclosure: 'required',
          fields: [
            {
              path: ['$.credentialSchema', '$.vc.credentialSchema'],
              filter: {
                allOf: [
                  {
                    type: 'array',
                    contains: {
                      type: 'object',
                      properties: { id: { type: 'string', pattern: '^https://bank-standards.example.com#accounts$' } },
                      required: ['id'],
                    },
                  },
                  {
                    type: 'array',
                    contains: {
                      type: 'object',
                      properties: { id: { type: 'string', pattern: '^https://bank-standards.example.com#investments$' } },
                      required: ['id'],
                    },
                  },
                ],
              },
            },
            {
              path: ['$.issuer', '$.vc.issuer', '$.iss'],
              purpose:
                'We can only verify bank accounts if they are attested by a trusted bank, auditor or regulatory authority.',
              filter: { type: 'string', pattern: '^did:example:123$|^did:example:456$' },
            },
            {
              path: [
                '$.credentialSubject.account[*].account_number',
                '$.vc.credentialSubject.account[*].account_number',
                '$.account[*].account_number',
              ],
              purpose:
                'We can only remit payment to a currently-valid bank account in the US, France, or Germany, submitted as an ABA Acct # or IBAN.',
              filter: { type: 'string', pattern: '^[0-9]{10-12}|^(DE|FR)[0-9]{2}\\s?([0-9a-zA-Z]{4}\\s?){4}[0-9a-zA-Z]{2}$' },
              intent_to_retain: true,
            },
            {
              path: ['$.credentialSubject.portfolio_value', '$.vc.credentialSubject.portfolio_value', '$.portfolio_value'],
              purpose: 'A current portfolio value of at least one million dollars is required to insure your application',
              filter: { type: 'number', minimum: 1000000 },
              intent_to_retain: true,
            },
          ],
        },
      },
      {
        id: 'banking_input_2',
        name: 'Bank Account Information',
        purpose: 'We can only remit payment to a currently-valid bank account.',
        group: ['A'],
        constraints: {
          fields: [
            {
              path: ['$.credentialSchema.id', '$.vc.credentialSchema.id'],
              filter: {
                type: 'string',
                pattern: '^https://bank-schemas.org/1.0.0/accounts.json|https://bank-schemas.org/2.0.0/accounts.json$',
              },
            },
            {
              path: ['$.issuer', '$.vc.issuer', '$.iss'],
              purpose:
                'We can only verify bank accounts if they are attested by a trusted bank, auditor or regulatory authority.',
              filter: { type: 'string', pattern: '^did:example:123$|^did:example:456$' },
            },
            {
              path: ['$.credentialSubject.account[*].id', '$.vc.credentialSubject.account[*].id', '$.account[*].id'],
              purpose:
                'We can only remit payment to a currently-valid bank account in the US, France, or Germany, submitted as an ABA Acct # or IBAN.',
              filter: { type: 'string', pattern: '^[0-9]{10-12}|^(DE|FR)[0-9]{2}\\s?([0-9a-zA-Z]{4}\\s?){4}[0-9a-zA-Z]{2}$' },
              intent_to_retain: true,
            },
            {
              path: ['$.credentialSubject.account[*].route', '$.vc.credentialSubject.account[*].route', '$.account[*].route'],
              purpose:
                'We can only remit payment to a currently-valid account at a US, Japanese, or German federally-accredited bank, submitted as an ABA RTN or SWIFT code.',
              filter: { type: 'string', pattern: '^[0-9]{9}|^([a-zA-Z]){4}([a-zA-Z]){2}([0-9a-zA-Z]){2}([0-9a-zA-Z]{3})?$' },
              intent_to_retain: true,
            },
          ],
        },
      },
      {
        id: 'employment_input',
        name: 'Employment History',
        purpose: 'We are only verifying one current employment relationship, not any other information about employment.',
        group: ['B'],
        constraints: {
          limit_disclosure: 'required',
          fields: [
            {
              path: ['$.credentialSchema', '$.vc.credentialSchema'],
              filter: { type: 'string', const: 'https://business-standards.org/schemas/employment-history.json' },
            },
            { path: ['$.jobs[*].active'], filter: { type: 'boolean', pattern: 'true' } },
          ],
        },
      },
      {
        id: 'drivers_license_input_1',
        name: "EU Driver's License",
        group: ['C'],
        constraints: {
          fields: [
            {
              path: ['$.credentialSchema.id', '$.vc.credentialSchema.id'],
              filter: { type: 'string', const: 'https://schema.eu/claims/DriversLicense.json' },
            },
            {
              path: ['$.issuer', '$.vc.issuer', '$.iss'],
              purpose:
                "We can only accept digital driver's licenses issued by national authorities of EU member states or trusted notarial auditors.",
              filter: { type: 'string', pattern: 'did:example:gov1|did:example:gov2' },
            },
            {
              path: ['$.credentialSubject.dob', '$.vc.credentialSubject.dob', '$.dob'],
              purpose: 'We must confirm that the driver was at least 21 years old on April 16, 2020.',
              filter: { type: 'string', format: 'date' },
            },
          ],
        },
      },
      {
        id: 'drivers_license_input_2',
        name: "Driver's License from one of 50 US States",
        group: ['C'],
        constraints: {
          fields: [
            {
              path: ['$.credentialSchema.id', '$.vc.credentialSchema.id'],
              filter: { type: 'string', const: 'hub://did:foo:123/Collections/schema.us.gov/american_drivers_license.json' },
            },
            {
              path: ['$.issuer', '$.vc.issuer', '$.iss'],
              purpose: "We can only accept digital driver's licenses issued by the 50 US states' automative affairs agencies.",
              filter: { type: 'string', pattern: 'did:example:gov1|did:web:dmv.ca.gov|did:example:oregonDMV' },
            },
            {
              path: ['$.credentialSubject.birth_date', '$.vc.credentialSubject.birth_date', '$.birth_date'],
              purpose: 'We must confirm that the driver was at least 21 years old on April 16, 2020.',
              filter: { type: 'string', format: 'date', forrmatMaximum: '1999-05-16' },
            },
          ],
        },
      },
    ],
  },
  pd_filter: {
    id: 'first simple example',
    input_descriptors: [
      {
        id: 'A specific type of VC',
        name: 'A specific type of VC',
        purpose: 'We want a VC of this type',
        constraints: {
          fields: [
            {
              path: ['$.type'],
              filter: { type: 'array', contains: { type: 'string', pattern: '^<the type of VC e.g. degree certificate>$' } },
            },
          ],
        },
      },
    ],
  },
  pd_filter2: {
    id: 'Scalable trust example',
    input_descriptors: [
      {
        id: 'any type of credit card from any bank',
        name: 'any type of credit card from any bank',
        purpose: 'Please provide your credit card details',
        constraints: {
          fields: [
            {
              path: ['$.termsOfUse'],
              filter: {
                $defs: {
                  typeString: { type: 'string', pattern: '^https://train.trust-scheme.de/info$' },
                  typeStringOrArray: {
                    anyOf: [{ $ref: '#/$defs/typeString' }, { type: 'array', contains: { $ref: '#/$defs/typeString' } }],
                  },
                  trustSchemeString: { type: 'string', pattern: '^worldbankfederation.com$' },
                  trustSchemeStringOrArray: {
                    anyOf: [
                      { $ref: '#/$defs/trustSchemeString' },
                      { type: 'array', contains: { $ref: '#/$defs/trustSchemeString' } },
                    ],
                  },
                  tosObject: {
                    type: 'object',
                    required: ['type', 'trustScheme'],
                    properties: {
                      type: { $ref: '#/$defs/typeStringOrArray' },
                      trustScheme: { $ref: '#/$defs/trustSchemeStringOrArray' },
                    },
                  },
                  tosObjectOrArray: {
                    anyOf: [{ $ref: '#/$defs/tosObject' }, { type: 'array', contains: { $ref: '#/$defs/tosObject' } }],
                  },
                },
                $ref: '#/$defs/tosObjectOrArray',
              },
            },
            { path: ['$.type'], filter: { type: 'array', contains: { type: 'string', pattern: '^creditCard$' } } },
          ],
        },
      },
    ],
  },
  pd_filter2_simplified: {
    id: 'Scalable trust example',
    input_descriptors: [
      {
        id: 'any type of credit card from any bank',
        name: 'any type of credit card from any bank',
        purpose: 'Please provide your credit card details',
        constraints: {
          fields: [
            { path: ['$.termsOfUse.type'], filter: { type: 'string', pattern: '^https://train.trust-scheme.de/info$' } },
            { path: ['$.termsOfUse.trustScheme'], filter: { type: 'string', pattern: '^worldbankfederation.com$' } },
            { path: ['$.type'], filter: { type: 'string', pattern: '^creditCard$' } },
          ],
        },
      },
    ],
  },
  single_group_example: {
    id: '32f54163-7166-48f1-93d8-ff217bdb0653',
    submission_requirements: [{ name: 'Citizenship Information', rule: 'pick', count: 1, from: 'A' }],
    input_descriptors: [
      {
        id: 'citizenship_input_1',
        name: "EU Driver's License",
        group: ['A'],
        constraints: {
          fields: [
            {
              path: ['$.credentialSchema.id', '$.vc.credentialSchema.id'],
              filter: { type: 'string', const: 'https://eu.com/claims/DriversLicense.json' },
            },
            {
              path: ['$.issuer', '$.vc.issuer', '$.iss'],
              purpose:
                "We can only accept digital driver's licenses issued by national authorities of member states or trusted notarial auditors.",
              filter: { type: 'string', pattern: '^did:example:gov1$|^did:example:gov2$' },
            },
            {
              path: ['$.credentialSubject.dob', '$.vc.credentialSubject.dob', '$.dob'],
              filter: { type: 'string', format: 'date' },
            },
          ],
        },
      },
      {
        id: 'citizenship_input_2',
        name: 'US Passport',
        group: ['A'],
        constraints: {
          fields: [
            {
              path: ['$.credentialSchema.id', '$.vc.credentialSchema.id'],
              filter: { type: 'string', const: 'hub://did:foo:123/Collections/schema.us.gov/passport.json' },
            },
            {
              path: ['$.credentialSubject.birth_date', '$.vc.credentialSubject.birth_date', '$.birth_date'],
              filter: { type: 'string', format: 'date' },
            },
          ],
        },
      },
    ],
  },
}
const INPUT_DESCRIPTORS: Record<string, unknown> = {
  VC_expiration_example: {
    id: 'drivers_license_information',
    name: 'Verify Valid License',
    purpose: "We need you to show that your driver's license will be valid through December of this year.",
    constraints: {
      fields: [
        {
          path: ['$.credentialSchema.id', '$.vc.credentialSchema.id'],
          filter: { type: 'string', const: 'https://yourwatchful.gov/drivers-license-schema.json' },
        },
        { path: ['$.expirationDate'], filter: { type: 'string', format: 'date-time' } },
      ],
    },
  },
  VC_revocation_example: {
    id: 'drivers_license_information',
    name: 'Verify Valid License',
    purpose: 'We need to know that your license has not been revoked.',
    constraints: {
      fields: [
        {
          path: ['$.credentialSchema.id', '$.vc.credentialSchema.id'],
          filter: { type: 'string', const: 'https://yourwatchful.gov/drivers-license-schema.json' },
        },
        { path: ['$.credentialStatus'] },
      ],
    },
  },
}
const SUBMISSION_REQUIREMENTS: Record<string, unknown[]> = {
  all_example: [
    {
      name: 'Submission of educational transcripts',
      purpose: 'We need your complete educational transcripts to process your application',
      rule: 'all',
      from: 'A',
    },
  ],
  example: [
    {
      name: 'Banking Information',
      purpose: 'We need you to prove you currently hold a bank account older than 12months.',
      rule: 'pick',
      count: 1,
      from: 'A',
    },
    {
      name: 'Employment Information',
      purpose: 'We are only verifying one current employment relationship, not any other information about employment.',
      rule: 'all',
      from: 'B',
    },
    {
      name: 'Citizenship Information',
      rule: 'pick',
      count: 1,
      from_nested: [
        {
          name: 'United States Citizenship Proofs',
          purpose: 'We need you to prove your US citizenship.',
          rule: 'all',
          from: 'C',
        },
        {
          name: 'European Union Citizenship Proofs',
          purpose: 'We need you to prove you are a citizen of an EU member state.',
          rule: 'all',
          from: 'D',
        },
      ],
    },
  ],
  pick_1_example: [
    {
      name: 'Citizenship Proof',
      purpose: 'We need to confirm you are a citizen of one of the following countries before accepting your application',
      rule: 'pick',
      count: 1,
      from: 'B',
    },
  ],
  pick_2_example: [
    {
      name: 'Eligibility to Work Proof',
      purpose: 'We need to prove you are eligible for full-time employment in 2 or more of the following countries',
      rule: 'pick',
      min: 2,
      from: 'B',
    },
  ],
  pick_3_example: [
    {
      name: 'Confirm banking relationship or employment and residence proofs',
      purpose:
        'Recent bank statements or proofs of both employment and residence will be validated to initiate your loan application but not stored',
      rule: 'pick',
      count: 1,
      from_nested: [
        { rule: 'all', from: 'A' },
        { rule: 'pick', count: 2, from: 'B' },
      ],
    },
  ],
}
const SUBMISSIONS: Record<string, unknown> = {
  example: {
    id: 'a30e3b91-fb77-4d22-95fa-871689c322e2',
    definition_id: '32f54163-7166-48f1-93d8-ff217bdb0653',
    descriptor_map: [
      { id: 'banking_input_2', path: '$.verifiableCredential[0]', format: 'jwt' },
      { id: 'employment_input', path: '$.verifiableCredential[1]', format: 'ldp_vc' },
      { id: 'citizenship_input_1', path: '$.verifiableCredential[2]', format: 'jwt_vp' },
      {
        id: 'banking_input_2',
        format: 'jwt_vp',
        path: '$.outerCredential[0]',
        path_nested: {
          id: 'banking_input_2',
          format: 'ldp_vc',
          path: '$.innerCredential[1]',
          path_nested: { id: 'banking_input_2', format: 'jwt_vc', path: '$.mostInnerCredential[2]' },
        },
      },
    ],
  },
  nested_submission_example: {
    id: 'a30e3b91-fb77-4d22-95fa-871689c322e2',
    definition_id: '32f54163-7166-48f1-93d8-ff217bdb0653',
    descriptor_map: [
      {
        id: 'banking_input_2',
        format: 'jwt_vp',
        path: '$.outerClaim[0]',
        path_nested: {
          id: 'banking_input_2',
          format: 'ldp_vc',
          path: '$.innerClaim[1]',
          path_nested: { id: 'banking_input_2', format: 'jwt_vc', path: '$.mostInnerClaim[2]' },
        },
      },
    ],
  },
  appendix_VP_example: {
    id: 'a30e3b91-fb77-4d22-95fa-871689c322e2',
    definition_id: '32f54163-7166-48f1-93d8-ff217bdb0653',
    descriptor_map: [
      { id: 'banking_input_2', format: 'jwt_vc', path: '$.verifiableCredential[0]' },
      { id: 'employment_input', format: 'ldp_vc', path: '$.verifiableCredential[1]' },
      { id: 'citizenship_input_1', format: 'ldp_vc', path: '$.verifiableCredential[2]' },
    ],
  },
  appendix_OIDC_example: {
    id: 'a30e3b91-fb77-4d22-95fa-871689c322e2',
    definition_id: '32f54163-7166-48f1-93d8-ff217bdb0653',
    descriptor_map: [
      { id: 'banking_input_2', format: 'jwt', path: '$._claim_sources.banking_input_2.JWT' },
      { id: 'employment_input', format: 'jwt_vc', path: '$._claim_sources.employment_input.VC_JWT' },
      { id: 'citizenship_input_1', format: 'ldp_vc', path: '$._claim_sources.citizenship_input_1.VC' },
    ],
  },
  appendix_JWT_example: {
    definition_id: '64422289-12de-49b9-bbf0-005bc610c2ad',
    descriptor_map: [{ format: 'jwt_vp', id: 'wa_driver_license', path: '$.verifiableCredential[0]' }],
    id: '0f28b372-72d5-493e-bc86-b0f71ba0b87b',
  },
}
