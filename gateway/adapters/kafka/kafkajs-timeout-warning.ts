/**
 * kafkajs 2.2.4 schedules its request queue's pending check with `throttledUntil - Date.now()` while no throttle is
 * set, a large negative delay (tulios/kafkajs#1751, still open upstream). Node treats it as 1 ms, which is what
 * kafkajs means, but since Node 23 every client prints a `TimeoutNegativeWarning` on stderr. Only that warning, and
 * only when it comes from kafkajs's request queue, is dropped; every other warning still reaches Node's printer.
 */
let installed = false;

/** True for the one kafkajs warning described above. */
export function isKafkajsNegativeTimeout(warning: Error): boolean {
  return warning.name === 'TimeoutNegativeWarning' && /kafkajs[\\/]src[\\/]network[\\/]requestQueue/.test(warning.stack ?? '');
}

export function silenceKafkajsNegativeTimeout(): void {
  if (installed) return;
  installed = true;
  const printers = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (isKafkajsNegativeTimeout(warning)) return;
    for (const print of printers) print(warning);
  });
}
