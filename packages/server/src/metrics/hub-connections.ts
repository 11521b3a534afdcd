import type { IdentityKey, Store } from '@vigil/storage';

/** Most identities one scrape walks (the count is a lower bound past this). */
export const MAX_COUNTED_IDENTITIES = 100_000;

/**
 * Counts registered identities with a live session on this hub, walking the registry in pages.
 * The hub does not expose its session table; asking its channel per identity keeps this on its
 * public contract, at one map lookup per identity.
 */
export function countConnectedIdentities(
  store: Pick<Store, 'identities'>,
  channel: { isConnected(identity: IdentityKey): boolean },
  pageSize = 1000,
): () => Promise<number> {
  return async () => {
    let connected = 0;
    let after: IdentityKey | undefined;
    for (let seen = 0; seen < MAX_COUNTED_IDENTITIES; seen += pageSize) {
      const page = await store.identities.list({
        limit: pageSize,
        ...(after === undefined ? {} : { after }),
      });
      for (const identity of page) {
        if (channel.isConnected({ deviceId: identity.deviceId, moduleId: identity.moduleId })) connected += 1;
      }
      const last = page.at(-1);
      if (page.length < pageSize || last === undefined) break;
      after = { deviceId: last.deviceId, moduleId: last.moduleId };
    }
    return connected;
  };
}
