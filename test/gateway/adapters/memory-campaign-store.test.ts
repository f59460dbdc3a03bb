import { MemoryCampaignStore } from '../../../gateway/adapters/memory/memory-campaign-store.ts';
import { campaignStoreContract } from './campaign-store.contract.ts';

campaignStoreContract('memory', () => new MemoryCampaignStore());
