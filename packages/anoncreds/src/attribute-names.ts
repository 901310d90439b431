/**
 * Attribute-name normalization for matching, as anoncreds-rs `attr_common_view` (src/services/helpers.rs):
 * remove every ASCII space (U+0020 only, not other whitespace) and lowercase. Schemas, credential values,
 * requested attributes and predicates are all compared in this form ("First Name" ≡ "firstname").
 */
export function attrCommonView(name: string): string {
  return name.replaceAll(' ', '').toLowerCase()
}

/** Whether two attribute names match under `attrCommonView`. */
export function sameAttributeName(a: string, b: string): boolean {
  return attrCommonView(a) === attrCommonView(b)
}
