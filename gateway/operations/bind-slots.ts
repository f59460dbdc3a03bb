/**
 * A connector's bind slots as an operator sees them: how many there are, which the answering process holds, which
 * other processes hold and which are free (leases in ports/bind-lease-store.ts). Only slot numbers leave this
 * module: a holder's name is its host and pid, and the operations snapshot names no host. Pure.
 */

export interface BindSlots {
  /** The connector's slots `0..total-1` (SMPP `binds`; 1 for a driver owned whole, such as a modem pool). */
  readonly total: number;
  readonly heldHere: readonly number[];
  /** Held by another live process, or by a dead one whose lease has not run out yet. */
  readonly heldElsewhere: readonly number[];
  readonly free: readonly number[];
}

/** Sorts slot `i` by its holder `holders[i]` (undefined: free) against this process's name. */
export function slotsByHolder(holders: readonly (string | undefined)[], owner: string): BindSlots {
  const heldHere: number[] = [];
  const heldElsewhere: number[] = [];
  const free: number[] = [];
  holders.forEach((holder, slot) => (holder === undefined ? free : holder === owner ? heldHere : heldElsewhere).push(slot));
  return { total: holders.length, heldHere, heldElsewhere, free };
}

/** One process and no shared store (memory mode): every slot is its own. */
export function allHeldHere(total: number): BindSlots {
  return { total, heldHere: Array.from({ length: total }, (_, slot) => slot), heldElsewhere: [], free: [] };
}
