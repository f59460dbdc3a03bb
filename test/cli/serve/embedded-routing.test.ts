import { describe, expect, test } from 'vitest';
import { EMBEDDED_ROUTING, embeddedRouting } from '../../../cli/serve/embedded-routing.ts';
import { buildRoutingTable } from '../../../router/index.ts';

describe('the embedded routing', () => {
  test('with the virtual modem it is valid for the embedded connectors, OTP falling back to the modem pool', () => {
    const table = buildRoutingTable(embeddedRouting(true), { fileName: 'embedded', connectorIds: new Set(['carrier-a', 'carrier-b', 'modem-pool']) });
    expect(table.routes.get('otp')?.connectors.map((c) => c.id)).toEqual(['carrier-a', 'carrier-b', 'modem-pool']);
  });

  test('without socat (no modem pool) no route names the missing connector, so serve still starts', () => {
    const connectorIds = new Set(['carrier-a', 'carrier-b']);
    expect(() => buildRoutingTable(structuredClone(EMBEDDED_ROUTING), { fileName: 'embedded', connectorIds })).toThrow(/modem-pool/);
    const table = buildRoutingTable(embeddedRouting(false), { fileName: 'embedded', connectorIds });
    expect(table.routes.get('otp')?.connectors.map((c) => c.id)).toEqual(['carrier-a', 'carrier-b']);
    // The shared sections are copied, never edited.
    expect(EMBEDDED_ROUTING.routes.otp.connectors.map((c) => c.id)).toContain('modem-pool');
  });
});
