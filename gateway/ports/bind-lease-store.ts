/**
 * Bind ownership across processes sharing one store. A connector's configured binds (SMPP `binds`; a modem pool
 * counts as one slot, since a serial port opens in one process only) are slots `0..slots-1`; a process opens a
 * bind only while it holds the slot's lease. Leases expire unless renewed, so a dead process's slots are taken
 * over once its leases run out. Processes also announce themselves (`present`), so each can take a fair share.
 */
export interface BindLeaseStore {
  /** Announces `owner` as alive for `ttlMs`, and answers how many processes are alive now (at least 1). */
  present(owner: string, ttlMs: number): Promise<number>;
  /** Takes the slot when free, or renews it when `owner` holds it; true when `owner` holds it afterwards. */
  take(connectorId: string, slot: number, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives the slot up when `owner` holds it (a clean stop or a rebalance). */
  release(connectorId: string, slot: number, owner: string): Promise<void>;
  /** Ends `owner`'s presence at once (a clean stop). */
  leave(owner: string): Promise<void>;
  /** Who holds each slot (undefined: free), for operators and tests. */
  holders(connectorId: string, slots: number): Promise<readonly (string | undefined)[]>;
}
