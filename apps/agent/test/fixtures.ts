/** Claims shared by the agent's and the CLI's verification tests. */

export const NS = 'org.iso.18013.5.1'
export const MDL = {
  [NS]: {
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
}
