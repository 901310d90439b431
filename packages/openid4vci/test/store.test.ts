import { MemoryIssuerStore } from '@bonafide/openid4vci'
import { runIssuerStoreContract } from '@bonafide/openid4vci/testing'

runIssuerStoreContract('memory', () => new MemoryIssuerStore())
