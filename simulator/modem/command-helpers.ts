/** What the command handlers share: the handler shape, argument readers, and the SIM checks of TS 27.007 / 27.005. */
import { cme, cms, type AtCommand, type AtFailure } from '../../drivers/at-protocol/index.ts';
import { fail, ok, type ModemContext, type Outcome } from './modem-context.ts';

export type Handler = (command: AtCommand, modem: ModemContext) => Outcome;

/** Handlers by form; a form a command lacks answers +CME ERROR: 4 (or plain ERROR for basic commands). */
export type CommandSpec = Partial<Record<AtCommand['form'], Handler>>;

export const OK = ok();
export const intArg = (command: AtCommand, i: number): number | undefined => {
  const raw = command.args[i];
  if (raw === undefined || raw === '' || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
};
export const inRange = (value: number | undefined, min: number, max: number): value is number => value !== undefined && value >= min && value <= max;

/** SMS commands need a usable SIM: +CMS ERROR 310 / 311 / 316 / 313 otherwise. */
function smsSimFailure(modem: ModemContext): AtFailure | undefined {
  switch (modem.sim.status) {
    case 'ready':
      return undefined;
    case 'absent':
      return cms(310);
    case 'pin':
      return cms(311);
    case 'puk':
      return cms(316);
    case 'failure':
      return cms(313);
  }
}

/** Equipment commands that read the SIM: +CME ERROR 10 / 11 / 12 / 13. */
export function simFailure(modem: ModemContext, allowLocked = false): AtFailure | undefined {
  switch (modem.sim.status) {
    case 'ready':
      return undefined;
    case 'absent':
      return cme(10);
    case 'pin':
      return allowLocked ? undefined : cme(11);
    case 'puk':
      return allowLocked ? undefined : cme(12);
    case 'failure':
      return cme(13);
  }
}

export const withSms = (handler: Handler): Handler => (command, modem) => {
  const failure = smsSimFailure(modem);
  return failure === undefined ? handler(command, modem) : fail(failure);
};

export const constant = (lines: (modem: ModemContext) => string[]): Handler => (_command, modem) => ok(...lines(modem));

/** Quoted string parameter of a text-mode line. */
export const q = (text: string): string => `"${text}"`;
