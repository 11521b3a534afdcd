import type { Client, Subscription } from 'aedes';
import { parseSubscriptionFilter, type SubscriptionFilter } from '@vigil/protocol';
import type { UnauthorizedOperationReason } from './reasons.js';
import type { Session } from './session.js';
import { recordFor, type GatewayState } from './state.js';

/** Why a filter is not this identity's, or undefined when it is. */
function foreign(session: Session, filter: SubscriptionFilter): string | undefined {
  const { deviceId, moduleId } = session.identity;
  switch (filter.kind) {
    case 'c2d':
      if (moduleId !== null) return 'modules have no cloud-to-device queue';
      return filter.deviceId === deviceId ? undefined : `C2D of device ${filter.deviceId}`;
    case 'c2d-any-device':
      // Means "my own C2D" (reference/iothub-mqtt.md §0 item 6); never crosses devices.
      return moduleId === null ? undefined : 'modules have no cloud-to-device queue';
    case 'module-inputs':
      return filter.deviceId === deviceId && filter.moduleId === moduleId
        ? undefined
        : `inputs of module ${filter.deviceId}/${filter.moduleId}`;
    case 'twin-responses':
    case 'twin-desired':
    case 'methods':
      return undefined;
  }
}

/**
 * Aedes `authorizeSubscribe`: grants only the documented filters for the session's own identity,
 * at most `maxSubscriptionsPerConnection` distinct ones, QoS capped at 1 (§3.5). Anything else gets
 * SUBACK 0x80 and an `unauthorizedOperation` entry (reference/iothub-mqtt.md §0 item 13).
 */
export function authorizeSubscribeHook(state: GatewayState) {
  return (
    client: Client,
    subscription: Subscription,
    callback: (error: Error | null, subscription?: Subscription | null) => void,
  ): void => {
    const session = state.sessions.ofClient(client);
    if (session === undefined) return callback(new Error('not authenticated'));
    const deny = (reason: UnauthorizedOperationReason, message: string): void => {
      recordFor(state, session, {
        operation: 'unauthorizedOperation',
        outcome: 'failure',
        reason,
        details: {
          action: 'subscribe',
          filter: subscription.topic.slice(0, 256),
          protocol: session.protocol,
          message,
        },
      });
      callback(null, null);
    };
    let filter: SubscriptionFilter;
    try {
      filter = parseSubscriptionFilter(subscription.topic);
    } catch (error) {
      return deny('unknownSubscription', error instanceof Error ? error.message : 'unknown filter');
    }
    const problem = foreign(session, filter);
    if (problem !== undefined)
      return deny('foreignSubscription', `${session.key} may not subscribe to ${problem}`);
    const limit = state.config.limits.maxSubscriptionsPerConnection;
    if (!session.subscriptions.has(subscription.topic) && session.subscriptions.size >= limit) {
      return deny('tooManySubscriptions', `at most ${limit} subscriptions per connection`);
    }
    session.grant(subscription.topic, filter);
    callback(null, { ...subscription, qos: subscription.qos > 1 ? 1 : subscription.qos });
  };
}
