import { MemoryAllocatorStore } from './allocator.js'
import { runAllocatorStoreContract } from './allocator-contract.js'

runAllocatorStoreContract('memory', () => new MemoryAllocatorStore())
