/**
 * A complete routing configuration for tests and benchmarks (`loadRoutingFile(undefined)`): the Japanese
 * carriers and two example connectors (an SMPP aggregator and a modem pool). It mirrors the router's sections
 * of config/gateway.example.yaml. `smsgw route` without --config uses the embedded defaults of `smsgw serve`
 * instead (cli/serve/embedded-routing.ts).
 */
export const DEFAULT_ROUTING_FILE_NAME = '<built-in default>';

export const DEFAULT_ROUTING_YAML = `
carriers:
  defaults: { JP: docomo }
  names:
    docomo: NTT docomo
    au: au (KDDI)
    okinawa-cellular: Okinawa Cellular (au)
    softbank: SoftBank
    rakuten: Rakuten Mobile

routes:
  jp-least-cost:
    strategy: least-cost
    currency: JPY
    connectors:
      - { id: smpp-aggregator, price: { default: 3.5, docomo: 3.2, au: 3.3, softbank: 3.6, rakuten: 2.9 } }
      - { id: modem-pool, price: { default: 4.0, au: 3.0 } }
  otp-failover:
    strategy: failover
    currency: JPY
    connectors:
      - { id: smpp-aggregator, price: 3.5 }
      - { id: modem-pool, price: 4.0 }
  international:
    strategy: weighted
    currency: JPY
    connectors:
      - { id: smpp-aggregator, weight: 9, price: 12 }
      - { id: modem-pool, weight: 1, price: 20 }

rules:
  - name: otp
    match: { tag: otp }
    route: otp-failover
  - name: japan
    match: { country: JP }
    route: jp-least-cost
  - name: default
    route: international

senderRules:
  # SoftBank accepts only an approved numeric originator here: anything else is rewritten to it.
  - name: softbank-numeric
    carrier: softbank
    allow: [longnumber]
    rewrite: "+81312345678"
  # The modem pool sends from its SIM numbers: a registered short code or long number, never text.
  - name: modem-no-alphanumeric
    connector: modem-pool
    allow: [shortcode, longnumber]
`;
