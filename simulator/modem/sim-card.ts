/**
 * The SIM's lock as TS 27.007 clause 8.3 (+CPIN) shows it: three wrong PINs block it (SIM PUK), ten wrong PUKs
 * kill it. The card survives a power cycle; being unlocked does not.
 */
import type { SimCondition } from './behaviour.ts';

export type SimStatus = 'ready' | 'pin' | 'puk' | 'absent' | 'failure';

const PIN_TRIES = 3;
const PUK_TRIES = 10;

export type PinResult = 'ok' | 'wrong' | 'not-allowed' | 'bad-format';

export class SimCard {
  #present = true;
  #pinEnabled = false;
  #blocked = false;
  #dead = false;
  #unlocked = false;
  #pin: string;
  #puk: string;
  #pinTries = PIN_TRIES;
  #pukTries = PUK_TRIES;

  constructor(condition: SimCondition, pin: string, puk: string) {
    this.#pin = pin;
    this.#puk = puk;
    this.setCondition(condition, pin, puk);
  }

  /** Puts in the card a scenario names (a new card: tries reset). */
  setCondition(condition: SimCondition, pin: string, puk: string): void {
    this.#present = condition !== 'absent';
    this.#pinEnabled = condition === 'pin';
    this.#blocked = condition === 'puk';
    this.#dead = false;
    this.#unlocked = false;
    this.#pin = pin;
    this.#puk = puk;
    this.#pinTries = PIN_TRIES;
    this.#pukTries = PUK_TRIES;
  }

  get status(): SimStatus {
    if (!this.#present) return 'absent';
    if (this.#dead) return 'failure';
    if (this.#blocked) return 'puk';
    if (this.#pinEnabled && !this.#unlocked) return 'pin';
    return 'ready';
  }

  get pinTriesLeft(): number {
    return this.#pinTries;
  }

  get pukTriesLeft(): number {
    return this.#pukTries;
  }

  /** Power cycle: a PIN-protected card asks again. */
  powerOn(): void {
    this.#unlocked = false;
  }

  /** AT+CPIN=<pin> or AT+CPIN=<puk>,<newpin>. */
  enter(code: string, newPin?: string): PinResult {
    const status = this.status;
    if (status === 'pin') {
      if (code === this.#pin) {
        this.#unlocked = true;
        this.#pinTries = PIN_TRIES;
        return 'ok';
      }
      this.#pinTries -= 1;
      if (this.#pinTries <= 0) this.#blocked = true;
      return 'wrong';
    }
    if (status === 'puk') {
      if (newPin === undefined || !/^\d{4,8}$/.test(newPin)) return 'bad-format';
      if (code === this.#puk) {
        this.#blocked = false;
        this.#pin = newPin;
        this.#pinTries = PIN_TRIES;
        this.#pukTries = PUK_TRIES;
        this.#unlocked = true;
        return 'ok';
      }
      this.#pukTries -= 1;
      if (this.#pukTries <= 0) this.#dead = true;
      return 'wrong';
    }
    return 'not-allowed';
  }
}
