import { randomBytes } from 'node:crypto'
import { link, readFile, rm, writeFile } from 'node:fs/promises'
import { WalletError } from './errors.js'

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Locks this process holds, by token: a lock naming our pid but not one of these was left by an earlier life of the pid. */
const held = new Set<string>()

function stale(content: string): boolean {
  const [pidText, token] = content.trim().split(' ')
  const pid = Number(pidText)
  if (!Number.isInteger(pid) || pid <= 0 || !token) return false
  return pid === process.pid ? !held.has(token) : !alive(pid)
}

/**
 * A lock file shared by processes: created whole in one step (hard link of a written file) and naming
 * its holder (`pid token`). A lock left by a process that died (killed mid-write) — or by an earlier
 * process that had our pid — is taken over; a live holder is waited for up to `timeoutMs`; release
 * removes the lock only if it is still ours. (Two waiters taking over the same dead holder's lock at
 * the same instant could both win; a wallet is one user's, so this stays a documented limit.)
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  const token = randomBytes(12).toString('hex')
  const mine = `${path}.${process.pid}.${token}`
  const content = `${process.pid} ${token}`
  for (let wait = 2; ; wait = Math.min(wait * 2, 50)) {
    await writeFile(mine, content, { mode: 0o600 })
    try {
      await link(mine, path)
      held.add(token)
      break
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      if (stale(await readFile(path, 'utf8').catch(() => ''))) {
        await rm(path, { force: true })
        continue
      }
      if (Date.now() > deadline) throw new WalletError('wallet.store_locked', 'the wallet is locked by another process')
      await new Promise((r) => setTimeout(r, wait))
    } finally {
      await rm(mine, { force: true })
    }
  }
  try {
    return await fn()
  } finally {
    held.delete(token)
    if ((await readFile(path, 'utf8').catch(() => '')) === content) await rm(path, { force: true })
  }
}
