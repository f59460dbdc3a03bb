import { compatibilityPartitioner, type MessageToProduce } from '@platformatic/kafka';
import { RecentMap } from '../../../common/index.ts';

type StringRecord = MessageToProduce<string, string, string, string>;

/**
 * The producer's partitioner: @platformatic/kafka's `compatibilityPartitioner` (Java's murmur2, as kafkajs
 * chose), asked once per key. A message's records all carry its id as key (its status events, a receipt its
 * connector and carrier id), so within a few milliseconds most keys come again, and @platformatic/kafka's murmur2
 * runs on BigInts: about 1.3 µs a key, against a map lookup. Bounded like the other recent-id maps.
 */
export function rememberingPartitioner(capacity = 20_000): (message: StringRecord, key: Buffer | undefined) => number {
  const known = new RecentMap<string, number>(capacity);
  return (message, key) => {
    if (typeof message.key !== 'string') return compatibilityPartitioner(message, key);
    const remembered = known.get(message.key);
    if (remembered !== undefined) return remembered;
    const hash = compatibilityPartitioner(message, key);
    known.set(message.key, hash);
    return hash;
  };
}
