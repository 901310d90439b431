import type { DoctypeDefinition, MdocElementDefinition } from '../doctype.js'

const text = (required: boolean, description: string): MdocElementDefinition => ({
  type: 'tstr',
  ...(required ? { required } : {}),
  description,
})
const COUNTRY = '[A-Z]{2}'

/**
 * EU Person Identification Data in mdoc form (`eu.europa.ec.eudi.pid.1`), after the ARF PID
 * Rulebook (Annex 3.01, 2025 revision): mandatory family_name, given_name, birth_date,
 * place_of_birth, nationality, expiry_date, issuing_authority, issuing_country. Earlier rulebook
 * revisions made age_over_18 and issuance_date mandatory instead of place_of_birth and nationality;
 * build your own definition (spread this one) for an ecosystem still on those.
 */
export const EU_PID_DOCTYPE: DoctypeDefinition = {
  docType: 'eu.europa.ec.eudi.pid.1',
  namespaces: {
    'eu.europa.ec.eudi.pid.1': {
      family_name: text(true, 'current last name(s) or surname(s)'),
      given_name: text(true, 'current first name(s), including middle name(s)'),
      birth_date: { type: 'full-date', required: true, description: 'day, month and year of birth' },
      place_of_birth: {
        type: 'map',
        required: true,
        description: 'country (alpha-2), region or locality where the user was born',
        elements: {
          country: { type: 'tstr', pattern: COUNTRY },
          region: { type: 'tstr' },
          locality: { type: 'tstr' },
        },
      },
      nationality: {
        type: 'array',
        required: true,
        items: { type: 'tstr', pattern: COUNTRY },
        description: 'alpha-2 country codes of the nationalities',
      },
      expiry_date: { type: 'full-date-or-tdate', required: true, description: 'date when the PID expires' },
      issuing_authority: text(true, 'name of the administrative authority that issued the PID'),
      issuing_country: { type: 'tstr', required: true, pattern: COUNTRY, description: 'alpha-2 code of the issuing country' },
      issuance_date: { type: 'full-date-or-tdate', description: 'date when the PID was issued' },
      resident_address: text(false, 'full address of the place where the user resides'),
      resident_country: { type: 'tstr', pattern: COUNTRY, description: 'country where the user resides' },
      resident_state: text(false, 'state, province, district or local area where the user resides'),
      resident_city: text(false, 'municipality, city, town or village where the user resides'),
      resident_postal_code: text(false, 'postal code of the place where the user resides'),
      resident_street: text(false, 'name of the street where the user resides'),
      resident_house_number: text(false, 'house number where the user resides'),
      personal_administrative_number: text(false, 'a value assigned to the natural person, unique among PIDs'),
      portrait: { type: 'bstr', description: 'facial image of the user (JPEG)' },
      family_name_birth: text(false, 'last name(s) at the time of birth'),
      given_name_birth: text(false, 'first name(s) at the time of birth'),
      sex: { type: 'uint', enum: [0, 1, 2, 3, 4, 5, 6, 9], description: 'ISO/IEC 5218 with PID rulebook extensions' },
      email_address: text(false, 'electronic mail address'),
      mobile_phone_number: text(false, 'mobile telephone number, starting with + and the country code'),
      document_number: text(false, 'number for the PID assigned by the provider'),
      issuing_jurisdiction: text(false, 'ISO 3166-2 subdivision code of the issuing jurisdiction'),
      trust_anchor: text(false, 'URL of a trust anchor for the PID provider'),
      age_in_years: { type: 'uint', description: 'current age in years' },
      age_birth_year: { type: 'uint', description: 'year of birth' },
      birth_place: text(false, 'place of birth, as earlier rulebook revisions encoded it'),
    },
  },
  patterns: {
    'eu.europa.ec.eudi.pid.1': [
      { pattern: 'age_over_\\d{2}', element: { type: 'bool', description: 'whether the user is over NN' } },
    ],
  },
}
