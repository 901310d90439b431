import type { DoctypeDefinition, MdocElementDefinition } from '../doctype.js'

const text = (required: boolean, description: string, maxLength = 150): MdocElementDefinition => ({
  type: 'tstr',
  ...(required ? { required } : {}),
  maxLength,
  description,
})
const opt = (type: MdocElementDefinition['type'], description: string): MdocElementDefinition => ({ type, description })
const COUNTRY = '[A-Z]{2}'

const drivingPrivilege: MdocElementDefinition = {
  type: 'map',
  elements: {
    vehicle_category_code: { type: 'tstr', required: true, description: 'vehicle category code (ISO 18013-1 Annex A)' },
    issue_date: opt('full-date', 'date of issue of this category'),
    expiry_date: opt('full-date', 'date of expiry of this category'),
    codes: {
      type: 'array',
      items: {
        type: 'map',
        elements: { code: { type: 'tstr', required: true }, sign: { type: 'tstr' }, value: { type: 'tstr' } },
      },
    },
  },
}

/** mDL data elements: ISO/IEC 18013-5:2021 §7.2.1 Table 5 (namespace `org.iso.18013.5.1`). */
export const MDL_DOCTYPE: DoctypeDefinition = {
  docType: 'org.iso.18013.5.1.mDL',
  namespaces: {
    'org.iso.18013.5.1': {
      family_name: text(true, 'last name, surname, or primary identifier of the holder'),
      given_name: text(true, 'first name(s), other name(s), or secondary identifier of the holder'),
      birth_date: { type: 'full-date', required: true, description: 'day, month and year on which the holder was born' },
      issue_date: { type: 'full-date-or-tdate', required: true, description: 'date when the mDL was issued' },
      expiry_date: { type: 'full-date-or-tdate', required: true, description: 'date when the mDL expires' },
      issuing_country: { type: 'tstr', required: true, pattern: COUNTRY, description: 'ISO 3166-1 alpha-2 country code' },
      issuing_authority: text(true, 'issuing authority name'),
      document_number: text(true, 'licence number'),
      portrait: { type: 'bstr', required: true, description: 'portrait of the holder (JPEG or JPEG2000)' },
      driving_privileges: { type: 'array', required: true, items: drivingPrivilege, description: 'driving privileges' },
      un_distinguishing_sign: { type: 'tstr', required: true, description: 'UN distinguishing sign (ISO/IEC 18013-1 Annex F)' },
      administrative_number: text(false, 'an audit control number'),
      sex: { type: 'uint', enum: [0, 1, 2, 9], description: 'ISO/IEC 5218' },
      height: opt('uint', 'height in cm'),
      weight: opt('uint', 'weight in kg'),
      eye_colour: {
        type: 'tstr',
        enum: ['black', 'blue', 'brown', 'dichromatic', 'grey', 'green', 'hazel', 'maroon', 'pink', 'unknown'],
      },
      hair_colour: {
        type: 'tstr',
        enum: ['bald', 'black', 'blond', 'brown', 'grey', 'red', 'auburn', 'sandy', 'white', 'unknown'],
      },
      birth_place: text(false, 'country and municipality or state/province where the holder was born'),
      resident_address: text(false, 'place where the holder resides'),
      portrait_capture_date: opt('tdate', 'date when the portrait was taken'),
      age_in_years: opt('uint', 'age of the holder'),
      age_birth_year: opt('uint', 'year when the holder was born'),
      issuing_jurisdiction: opt('tstr', 'ISO 3166-2 country subdivision code'),
      nationality: { type: 'tstr', pattern: COUNTRY, description: 'ISO 3166-1 alpha-2 nationality' },
      resident_city: text(false, 'city where the holder lives'),
      resident_state: text(false, 'state/province/district where the holder lives'),
      resident_postal_code: text(false, 'postal code of the holder'),
      resident_country: { type: 'tstr', pattern: COUNTRY, description: 'country where the holder lives' },
      family_name_national_character: text(false, 'family name in national characters'),
      given_name_national_character: text(false, 'given name in national characters'),
      signature_usual_mark: opt('bstr', 'image of the signature or usual mark of the holder'),
    },
  },
  patterns: {
    'org.iso.18013.5.1': [
      { pattern: 'age_over_\\d{2}', element: opt('bool', 'whether the holder is over NN years old') },
      { pattern: 'biometric_template_[A-Za-z0-9_]+', element: opt('bstr', 'fingerprint, signature, iris, … template') },
    ],
  },
}
