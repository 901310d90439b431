/** Sample claims for the seeded configurations, so a newcomer can click through without typing. */
const MDL_NS = 'org.iso.18013.5.1'
const PID_NS = 'eu.europa.ec.eudi.pid.1'

export const SAMPLE_CLAIMS: Record<string, Record<string, unknown>> = {
  pid_sd_jwt: { given_name: 'Erika', family_name: 'Mustermann', birthdate: '1984-01-26', nationalities: ['DE'] },
  mdl_mdoc: {
    [MDL_NS]: {
      family_name: 'Mustermann',
      given_name: 'Erika',
      birth_date: { '$full-date': '1984-01-26' },
      issue_date: { '$full-date': '2026-01-01' },
      expiry_date: { '$full-date': '2036-01-01' },
      issuing_country: 'DE',
      issuing_authority: 'Stadt Köln',
      document_number: 'D1234567',
      portrait: { $bstr: 'AAEC' },
      driving_privileges: [{ vehicle_category_code: 'B' }],
      un_distinguishing_sign: 'D',
      age_over_18: true,
    },
  },
  pid_mdoc: {
    [PID_NS]: {
      family_name: 'Mustermann',
      given_name: 'Erika',
      birth_date: { '$full-date': '1984-01-26' },
      nationality: ['DE'],
      age_over_18: true,
    },
  },
  membership_jwt_vc: { member_id: 'M-1001', level: 'gold' },
}

/** Ready-made DCQL queries for the verifier page. */
export const DCQL_PRESETS: Record<string, Record<string, unknown>> = {
  'PID (SD-JWT VC)': {
    credentials: [
      {
        id: 'pid',
        format: 'dc+sd-jwt',
        meta: { vct_values: ['urn:eudi:pid:1'] },
        claims: [{ path: ['given_name'] }, { path: ['family_name'] }, { path: ['birthdate'] }],
      },
    ],
  },
  'mDL (mdoc)': {
    credentials: [
      {
        id: 'mdl',
        format: 'mso_mdoc',
        meta: { doctype_value: 'org.iso.18013.5.1.mDL' },
        claims: [{ path: [MDL_NS, 'family_name'] }, { path: [MDL_NS, 'age_over_18'] }],
      },
    ],
  },
}
DCQL_PRESETS['PID + mDL'] = {
  credentials: [
    ...((DCQL_PRESETS['PID (SD-JWT VC)']?.credentials as unknown[]) ?? []),
    ...((DCQL_PRESETS['mDL (mdoc)']?.credentials as unknown[]) ?? []),
  ],
}
