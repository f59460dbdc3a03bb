/**
 * The routing sections of the embedded default (`smsgw serve` without --config, `npm start`): carrier A takes
 * docomo and Rakuten, carrier B au and SoftBank, OTP may fall back to the modem pool. `smsgw route` without
 * --config decides with the same sections, so it describes the setup `npm start` runs. Plain data, so `route`
 * loads it without the simulators.
 */
export const EMBEDDED_FILE_NAME = '<embedded defaults>';

/** The connector id of the virtual modem, present only when socat is installed. */
export const MODEM_POOL = 'modem-pool';

export const EMBEDDED_ROUTING = {
  carriers: { defaults: { JP: 'docomo' } },
  routes: {
    'carrier-a': { strategy: 'failover', currency: 'JPY', connectors: [{ id: 'carrier-a', price: 3.2 }, { id: 'carrier-b', price: 3.6 }] },
    'carrier-b': { strategy: 'failover', currency: 'JPY', connectors: [{ id: 'carrier-b', price: 3.3 }, { id: 'carrier-a', price: 3.5 }] },
    otp: { strategy: 'failover', currency: 'JPY', connectors: [{ id: 'carrier-a', price: 3.5 }, { id: 'carrier-b', price: 3.6 }, { id: 'modem-pool', price: 4 }] },
    international: { strategy: 'least-cost', currency: 'JPY', connectors: [{ id: 'carrier-a', price: 12 }, { id: 'carrier-b', price: 11 }] },
  },
  rules: [
    { name: 'otp', match: { tag: 'otp' }, route: 'otp' },
    { name: 'docomo-and-rakuten', match: { carrier: ['docomo', 'rakuten'] }, route: 'carrier-a' },
    { name: 'au-and-softbank', match: { carrier: ['au', 'okinawa-cellular', 'softbank'] }, route: 'carrier-b' },
    { name: 'default', route: 'international' },
  ],
  // National numbers in a portability file given with `serve --mnp-file` are Japanese, like the demo account's.
  mnp: { country: 'JP' },
};

/**
 * A fresh copy of the embedded routing sections; without the virtual modem (no socat) the modem pool leaves the
 * routes that list it, since a route may only name configured connectors.
 */
export function embeddedRouting(withModem: boolean): typeof EMBEDDED_ROUTING {
  const routing = structuredClone(EMBEDDED_ROUTING);
  if (withModem) return routing;
  for (const route of Object.values(routing.routes)) route.connectors = route.connectors.filter((c) => c.id !== MODEM_POOL);
  return routing;
}
