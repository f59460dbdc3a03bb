import { MemoryPortingSource } from '../../../router/index.ts';
import { describePortingSourceContract } from './porting-source-contract.ts';

describePortingSourceContract('memory', () => Promise.resolve({ source: new MemoryPortingSource() }));
