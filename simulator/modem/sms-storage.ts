/**
 * Message storage of TS 27.005 clause 3.1: "SM" (the SIM), "ME" (the modem's flash) and "SR" (status reports).
 * Entries keep the PDU as AT+CMGR / AT+CMGL print it (SMSC information first) and what text mode prints.
 */

export type StorageName = 'SM' | 'ME' | 'SR';
export const STORAGE_NAMES: readonly StorageName[] = ['SM', 'ME', 'SR'];

/** <stat> of TS 27.005 clause 3.1: 0 REC UNREAD, 1 REC READ, 2 STO UNSENT, 3 STO SENT. */
export type MessageStat = 0 | 1 | 2 | 3;
export const STAT_TEXT: Readonly<Record<MessageStat, string>> = {
  0: 'REC UNREAD',
  1: 'REC READ',
  2: 'STO UNSENT',
  3: 'STO SENT',
};

export interface StoredMessage {
  readonly index: number;
  stat: MessageStat;
  /** Hex, SMSC information included. */
  readonly pdu: string;
  /** Octets of the TPDU alone (what +CMGR's <length> says). */
  readonly tpduLength: number;
  /** For text mode: the sender (or recipient of a report), the SC timestamp text, and the body. */
  readonly address: string;
  readonly timestamp: string;
  readonly text: string;
  readonly kind: 'deliver' | 'status-report';
  /** Text mode status report fields. */
  readonly report?: { readonly firstOctet: number; readonly mr: number; readonly dischargeTime: string; readonly status: number };
}

export type NewMessage = Omit<StoredMessage, 'index'>;

export class SmsStorage {
  readonly name: StorageName;
  readonly capacity: number;
  readonly #firstIndex: number;
  readonly #slots = new Map<number, StoredMessage>();

  constructor(name: StorageName, capacity: number, firstIndex: number) {
    this.name = name;
    this.capacity = capacity;
    this.#firstIndex = firstIndex;
  }

  get used(): number {
    return this.#slots.size;
  }

  /** Stores in the lowest free slot; undefined when full. */
  store(message: NewMessage): StoredMessage | undefined {
    for (let index = this.#firstIndex; index < this.#firstIndex + this.capacity; index += 1) {
      if (!this.#slots.has(index)) {
        const stored = { ...message, index };
        this.#slots.set(index, stored);
        return stored;
      }
    }
    return undefined;
  }

  get(index: number): StoredMessage | undefined {
    return this.#slots.get(index);
  }

  /** True when the index is a slot of this storage (empty or not). */
  inRange(index: number): boolean {
    return Number.isInteger(index) && index >= this.#firstIndex && index < this.#firstIndex + this.capacity;
  }

  delete(index: number): boolean {
    return this.#slots.delete(index);
  }

  list(): StoredMessage[] {
    return [...this.#slots.values()].sort((a, b) => a.index - b.index);
  }
}
