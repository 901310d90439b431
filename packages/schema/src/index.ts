export * from './claim-path.js'
export * from './classify.js'
export * from './doctype.js'
export * from './doctypes/index.js'
export {
  canonicalJson,
  type DocumentLimits,
  JSON_SCHEMA_2020_12,
  type JsonSchemaDocument,
  parseSchemaDocument,
  schemaHash,
} from './document.js'
export * from './errors.js'
export * from './model.js'
export * from './registry.js'
export * from './report.js'
export * from './type-metadata.js'
export * from './type-metadata.wire.js'
export * from './type-metadata-validate.js'
export * from './validator.js'
