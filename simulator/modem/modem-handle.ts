/** The shape of a running virtual modem, shared by its implementation and its control API. */
import type { BehaviourPatch, ModemBehaviour } from './behaviour.ts';
import type { IdentityOptions, ModemIdentity } from './identity.ts';
import type { InboundMessage } from './inbound-pdus.ts';
import type { InjectResult, StatusReportRecord } from './modem-network.ts';
import type { StorageName, StoredMessage } from './sms-storage.ts';
import type { TransmittedMessage, TransmittedPart } from './transmission-log.ts';

export interface VirtualModemOptions extends IdentityOptions {
  /** Where the device appears, e.g. /tmp/modem0 (a symbolic link to the /dev/pts node). */
  readonly path: string;
  /** A named scenario (see SCENARIOS); `behaviour` overrides its fields. Default happy. */
  readonly scenario?: string;
  readonly behaviour?: BehaviourPatch;
  /** Serve the control API on 127.0.0.1 at this port (0: any free port). Absent: no HTTP server. */
  readonly controlPort?: number;
  /** Clock and randomness, for tests that pin them. */
  readonly now?: () => Date;
  readonly random?: () => number;
}

export interface VirtualModemStatus {
  readonly path: string;
  readonly plugged: boolean;
  readonly identity: ModemIdentity;
  readonly behaviour: ModemBehaviour;
  readonly sim: string;
  readonly registration: number;
  readonly sendAttempts: number;
  readonly sendFailures: number;
  readonly heldByNetwork: number;
  readonly storage: Record<StorageName, number>;
}

export interface VirtualModemHandle {
  /** Where the device is (or was last) present. */
  readonly path: string;
  readonly identity: ModemIdentity;
  /** The control API's port when it was asked for. */
  readonly controlPort?: number;
  readonly plugged: boolean;
  /** The device disappears: socat ends, the path vanishes, open clients get a hang-up. */
  unplug(): Promise<void>;
  /**
   * The device comes back freshly powered on (echo on, PIN asked again), at the same path or, with `path`, under a
   * new name as a USB modem re-enumerates; SIM storage and the TP-MR counter carry over.
   */
  replug(options?: { readonly path?: string }): Promise<void>;
  close(): Promise<void>;
  /** Messages sent through AT+CMGS, parts reassembled. */
  transmitted(): TransmittedMessage[];
  /** Every accepted part with its TP-MR, in order. */
  transmittedParts(): TransmittedPart[];
  /** Resolves once `count` complete messages were transmitted (rejects after `timeoutMs`). */
  waitForTransmitted(count: number, timeoutMs?: number): Promise<TransmittedMessage[]>;
  clearTransmitted(): void;
  statusReports(): StatusReportRecord[];
  injectInbound(message: InboundMessage): InjectResult;
  setBehaviour(patch: BehaviourPatch): ModemBehaviour;
  setScenario(name: string): ModemBehaviour;
  behaviour(): ModemBehaviour;
  stored(storage: StorageName): StoredMessage[];
  status(): VirtualModemStatus;
}
