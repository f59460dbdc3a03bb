import { createMemoryBackend } from '../../../gateway/adapters/memory/memory-backend.ts';
import { messageBackendContract } from './message-backend.contract.ts';

messageBackendContract('memory', () => Promise.resolve(createMemoryBackend()));
