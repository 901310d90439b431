import { runIssuerStoreContract } from '@bonafide/openid4vci/testing'
import { runVerifierSessionStoreContract } from '@bonafide/openid4vp/testing'
import { runSchemaRegistryContract } from '@bonafide/schema/testing'
import { runAllocatorStoreContract } from '@bonafide/status-list/testing'
import { PgAllocatorStore } from '../src/db/repositories/allocator-store.js'
import { PgIssuerStore } from '../src/db/repositories/issuer-store.js'
import { PgSchemaRegistry } from '../src/db/repositories/schema-registry.js'
import { PgVerifierSessionStore } from '../src/db/repositories/verifier-session-store.js'
import { DATABASES } from './databases.js'

// The libraries' store contracts, run on the agent's PostgreSQL implementations: embedded and server.
for (const d of DATABASES) {
  runIssuerStoreContract(d.name, async () => new PgIssuerStore((await d.open()).db))
  runSchemaRegistryContract(d.name, async () => new PgSchemaRegistry((await d.open()).db))
  runAllocatorStoreContract(d.name, async () => new PgAllocatorStore((await d.open()).db))
  runVerifierSessionStoreContract(d.name, async () => new PgVerifierSessionStore((await d.open()).db))
}
