import { mkdir, readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { parseJson } from '@bonafide/core'
import { writeFileAtomic } from '@bonafide/keys'
import { WalletError } from './errors.js'
import { alive, withFileLock } from './file-lock.js'
import type { CopyRecord, CopyState, PoolRecord, PresentationLogEntry } from './model.js'
import { isSealed, StateSealer } from './sealed.js'
import { checkState, emptyState, stateOps, type WalletState } from './state.js'
import type { TakeOptions, WalletStore } from './store.js'

const MAX_STATE = 64 * 1024 * 1024

/**
 * A wallet in one directory: `wallet.json` rewritten atomically (temp file, fsync, rename, fsync of
 * the directory) under a lock shared by processes and a queue inside this one. A crash leaves the
 * old or the new state, never a torn one. With a passphrase the whole state (credentials, refresh
 * tokens, the log) is sealed at rest; private keys live beside it in an encrypted key store.
 */
export class FileWalletStore implements WalletStore {
  readonly #dir: string
  readonly #sealer: StateSealer | undefined
  #salt: string | undefined
  #queue: Promise<unknown> = Promise.resolve()

  constructor(dir: string, o: { passphrase?: string } = {}) {
    this.#dir = dir
    this.#sealer = o.passphrase === undefined ? undefined : new StateSealer(o.passphrase)
  }

  get #file(): string {
    return join(this.#dir, 'wallet.json')
  }

  async #read(): Promise<WalletState> {
    let text: string
    try {
      text = await readFile(this.#file, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyState()
      throw e
    }
    let v = this.#parse(text)
    if (isSealed(v)) {
      if (!this.#sealer) throw new WalletError('wallet.passphrase_invalid', 'this wallet is sealed: a passphrase is needed')
      this.#salt = v.salt
      v = this.#parse(await this.#sealer.open(v))
    }
    return checkState(v)
  }

  #parse(text: string): unknown {
    try {
      return parseJson(text, { maxLength: MAX_STATE })
    } catch (e) {
      throw new WalletError('wallet.store_corrupt', 'wallet.json is not valid JSON', { cause: e })
    }
  }

  async #write(s: WalletState): Promise<void> {
    const text = JSON.stringify(s)
    if (!this.#sealer) return writeFileAtomic(this.#file, text)
    const sealed = await this.#sealer.seal(text, this.#salt)
    this.#salt = sealed.salt
    await writeFileAtomic(this.#file, JSON.stringify(sealed))
  }

  /** Read, apply, write — one at a time in this process, and under the lock file across processes. */
  #update<T>(fn: (s: WalletState) => T): Promise<T> {
    const run = async () => {
      await mkdir(this.#dir, { recursive: true, mode: 0o700 })
      return withFileLock(join(this.#dir, 'wallet.lock'), async () => {
        await this.#sweep()
        const s = await this.#read()
        const out = fn(s)
        await this.#write(s)
        return out
      })
    }
    const p = this.#queue.then(run, run)
    this.#queue = p.catch(() => undefined)
    return p
  }

  /** Temp files of a write or a lock attempt that never finished (the process was killed) are dropped. */
  async #sweep(): Promise<void> {
    for (const n of await readdir(this.#dir)) {
      const lockTemp = /^wallet\.lock\.(\d+)\./.exec(n)
      const stale = lockTemp ? !alive(Number(lockTemp[1])) : /^wallet\.json\.[0-9a-f]+\.tmp$/.test(n)
      if (stale) await rm(join(this.#dir, n), { force: true })
    }
  }

  addPool(pool: PoolRecord, copies: readonly CopyRecord[]): Promise<void> {
    return this.#update((s) => stateOps.addPool(s, pool, copies))
  }
  refillPool(pool: PoolRecord, copies: readonly CopyRecord[]): Promise<void> {
    return this.#update((s) => stateOps.refillPool(s, pool, copies))
  }
  async getPool(id: string): Promise<PoolRecord | undefined> {
    return (await this.#read()).pools[id]
  }
  async listPools(): Promise<PoolRecord[]> {
    return Object.values((await this.#read()).pools)
  }
  async listCopies(poolId: string): Promise<CopyRecord[]> {
    return Object.values((await this.#read()).copies).filter((c) => c.poolId === poolId)
  }
  take(poolId: string, o: TakeOptions): Promise<CopyRecord | undefined> {
    return this.#update((s) => stateOps.take(s, poolId, o))
  }
  release(ids: readonly string[]): Promise<void> {
    return this.#update((s) => stateOps.release(s, ids))
  }
  mark(ids: readonly string[], state: CopyState): Promise<void> {
    return this.#update((s) => stateOps.mark(s, ids, state))
  }
  deleteCopies(ids: readonly string[]): Promise<CopyRecord[]> {
    return this.#update((s) => stateOps.deleteCopies(s, ids))
  }
  deletePool(id: string): Promise<CopyRecord[]> {
    return this.#update((s) => stateOps.deletePool(s, id))
  }
  appendLog(e: PresentationLogEntry): Promise<void> {
    return this.#update((s) => stateOps.appendLog(s, e))
  }
  async listLog(): Promise<PresentationLogEntry[]> {
    return (await this.#read()).log
  }
}
