import { runVerifierSessionStoreContract } from '../src/verifier/session-contract.js'
import { MemoryVerifierSessionStore } from '../src/verifier/session-store.js'

runVerifierSessionStoreContract('memory', () => new MemoryVerifierSessionStore())
