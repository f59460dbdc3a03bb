/**
 * Time as a dependency of the modem driver, in the shape the virtual modem's engine takes it: `schedule` runs
 * a task once after `ms` and returns its cancel. Command timeouts, re-probing with back-off, the soft reset's
 * wait and the status poll all go through it, so a test drives a hung modem for hours with a manual clock.
 */
export type Cancel = () => void;

/** `background`: the timer must not keep the process alive (status poll, expiry sweeps). */
export type Schedule = (ms: number, task: () => void, background?: boolean) => Cancel;

export const realSchedule: Schedule = (ms, task, background = false) => {
  const timer = setTimeout(task, ms);
  if (background) timer.unref();
  return () => clearTimeout(timer);
};

export function sleepOn(schedule: Schedule): (ms: number) => Promise<void> {
  return (ms) =>
    new Promise((resolve) => {
      schedule(ms, resolve);
    });
}

/** Settles when `work` does (whether it failed or not), or after `ms` at the latest. */
export function settleWithin(schedule: Schedule, work: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const cancel = schedule(ms, resolve);
    void work
      .catch(() => undefined)
      .then(() => {
        cancel();
        resolve();
      });
  });
}

/** Runs `task` every `ms` after the previous run settled, in the background, until cancelled. */
export function every(schedule: Schedule, ms: number, task: () => Promise<void>): Cancel {
  let stopped = false;
  let cancel: Cancel = () => undefined;
  const tick = (): void => {
    if (stopped) return;
    void task()
      .catch(() => undefined)
      .then(() => {
        if (!stopped) cancel = schedule(ms, tick, true);
      });
  };
  cancel = schedule(ms, tick, true);
  return () => {
    stopped = true;
    cancel();
  };
}
