import { MemorySuppressionStore } from '../../../gateway/adapters/memory/memory-suppression-store.ts';
import { suppressionStoreContract } from './suppression-store.contract.ts';

suppressionStoreContract('memory', () => new MemorySuppressionStore());
