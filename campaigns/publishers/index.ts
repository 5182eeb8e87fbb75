import type { Config } from '../../lib/config';
import type { Channel } from '../model';
import { facebookAuth } from './facebook-auth';
import { linkedinAuth } from './linkedin-auth';
import type { PlatformAuth, PlatformAuthDefinition } from './platform-auth';
import { xAuth } from './x-auth';
import { facebook } from './facebook';
import { linkedin } from './linkedin';
import { outbox } from './outbox';
import type { Publisher, PublisherContext, PublisherDefinition } from './publisher';
import { webhook } from './webhook';
import { x } from './x';

/** What a publisher may use: publishers are built from these, never from the environment. */
export type { PublisherContext, PublisherDefinition };

/** Every platform, registered once. A new platform is one file in this folder and one line here. */
export const PUBLISHERS: readonly PublisherDefinition[] = [outbox, webhook, x, facebook, linkedin];

export type PublisherRegistry = ReadonlyMap<Channel, Publisher>;

export function createPublishers(
  ctx: PublisherContext,
  definitions: readonly PublisherDefinition[] = PUBLISHERS,
): PublisherRegistry {
  return new Map(definitions.map((d) => [d.channel, d.create(ctx)]));
}

/** How each platform's tokens are refreshed and inspected: one file beside its publisher. */
export const PLATFORM_AUTH: readonly PlatformAuthDefinition[] = [xAuth, facebookAuth, linkedinAuth];

export function createPlatformAuth(
  config: Config,
  definitions: readonly PlatformAuthDefinition[] = PLATFORM_AUTH,
): ReadonlyMap<Channel, PlatformAuth> {
  return new Map(definitions.map((d) => [d.channel, d.create(config)]));
}
