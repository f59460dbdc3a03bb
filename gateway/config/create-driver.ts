import { ModemPool } from '../../drivers/modem/index.ts';
import { createSmppConnector } from '../../drivers/smpp/index.ts';
import type { Driver } from '../../drivers/transport/index.ts';
import type { ConnectorEntry } from './gateway-config.ts';

/** A driver for one `connectors` entry; the driver validates its own fields (errors name them). */
export function createDriver(entry: ConnectorEntry): Driver {
  const { type, ...config } = entry;
  return type === 'smpp' ? createSmppConnector(config) : new ModemPool(config);
}
