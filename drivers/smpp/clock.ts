/**
 * Time as a dependency of the SMPP driver, in the shape the modem driver and the virtual modem's engine take it:
 * `now` reads the clock, `schedule` runs a task once after `ms` and returns its cancel. The sweep (timeouts,
 * enquire_link, inbound deadlines), the pump's token waits and throttle pauses, reconnect back-off and the shutdown
 * drain all go through it, so a test drives them with a manual clock.
 */
export type Cancel = () => void;

/** `background`: the timer must not keep the process alive (the periodic sweep). */
export type Schedule = (ms: number, task: () => void, background?: boolean) => Cancel;

export interface SmppClock {
  readonly now: () => number;
  readonly schedule: Schedule;
}

export const realClock: SmppClock = {
  now: Date.now,
  schedule: (ms, task, background = false) => {
    const timer = setTimeout(task, ms);
    if (background) timer.unref();
    return () => clearTimeout(timer);
  },
};

/** A promise that resolves after `ms` on `clock`. */
export function sleepOn(clock: SmppClock, ms: number): Promise<void> {
  return new Promise((resolve) => {
    clock.schedule(ms, resolve);
  });
}
