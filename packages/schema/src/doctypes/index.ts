import type { DoctypeDefinition } from '../doctype.js'
import { deepFreeze } from '../document.js'
import { EU_PID_DOCTYPE } from './eu-pid.js'
import { MDL_DOCTYPE } from './mdl.js'

deepFreeze(EU_PID_DOCTYPE)
deepFreeze(MDL_DOCTYPE)

export { EU_PID_DOCTYPE, MDL_DOCTYPE }

/** Built-in doctype definitions by docType. */
export const BUILTIN_DOCTYPES: Readonly<Record<string, DoctypeDefinition>> = {
  [MDL_DOCTYPE.docType]: MDL_DOCTYPE,
  [EU_PID_DOCTYPE.docType]: EU_PID_DOCTYPE,
}
