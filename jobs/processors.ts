import { campaignPublishProcessor } from './campaign-publish';
import type { ProcessorDefinition } from './worker-host';
import { waitFeedProcessor } from './wait-feed';

/**
 * Every job processor, registered in one list (each feature adds its definition here). `npm start`
 * runs them inline unless WORKER=off; `npm run worker` runs them in a process of their own.
 */
export const PROCESSORS: readonly ProcessorDefinition[] = [
  campaignPublishProcessor,
  waitFeedProcessor,
];
