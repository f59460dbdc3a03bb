import { MemoryRateCounter } from '../../../gateway/adapters/memory/memory-rate-counter.ts';
import { rateCounterContract } from './rate-counter.contract.ts';

rateCounterContract('memory', () => new MemoryRateCounter());
