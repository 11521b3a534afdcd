/**
 * The network flow cache of the RTOS module (reference/azure-security-module.md §1.5): flows are
 * keyed by (local address, remote address, local port, remote port, protocol) — direction is not
 * part of the key — and accumulate bytes in and out. Each IP family has a fixed number of flow
 * objects (64 by default); once they are used up, new flows are counted as dropped until the next
 * collection drains the cache, while flows already cached keep accumulating.
 */
import type { NetworkFlow } from '@vigil/protocol';

/** `ASC_COLLECTOR_NETWORK_ACTIVITY_MAX_IPV4/IPV6_OBJECTS_IN_CACHE` (§1.6). */
export const DEFAULT_MAX_FLOWS_PER_FAMILY = 64;

/** Options for {@link createFlowCache}. */
export interface FlowCacheOptions {
  readonly maxIpv4?: number;
  readonly maxIpv6?: number;
}

/** What one collection takes out of the cache. */
export interface FlowDrain {
  readonly flows: NetworkFlow[];
  /** New flows refused since the previous drain because the family's objects were used up. */
  readonly droppedIpv4: number;
  readonly droppedIpv6: number;
}

/** The cache between flow observation and collection. */
export interface FlowCache {
  /** Adds a flow or accumulates into the cached one; false when the flow was dropped. */
  record(flow: NetworkFlow): boolean;
  /** Everything cached since the previous drain, in first-seen order; the cache starts empty again. */
  drain(): FlowDrain;
  /** Forgets everything (the module is suspended, §1.4). */
  clear(): void;
  /** Changes the limits; applies from the next drain if the cache already holds more. */
  setLimits(limits: FlowCacheOptions): void;
  readonly size: { readonly ipv4: number; readonly ipv6: number };
}

function keyOf(f: NetworkFlow): string {
  return [f.localAddress ?? '', f.remoteAddress, f.localPort ?? '', f.remotePort ?? '', f.protocol].join('|');
}

function add(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);
}

/** An empty flow cache with the given per-family limits. */
export function createFlowCache(options: FlowCacheOptions = {}): FlowCache {
  let maxIpv4 = options.maxIpv4 ?? DEFAULT_MAX_FLOWS_PER_FAMILY;
  let maxIpv6 = options.maxIpv6 ?? DEFAULT_MAX_FLOWS_PER_FAMILY;
  let v4 = new Map<string, NetworkFlow>();
  let v6 = new Map<string, NetworkFlow>();
  let droppedIpv4 = 0;
  let droppedIpv6 = 0;

  return {
    record(flow) {
      const table = flow.ipVersion === 4 ? v4 : v6;
      const key = keyOf(flow);
      const cached = table.get(key);
      if (cached !== undefined) {
        const bytesIn = add(cached.bytesIn, flow.bytesIn);
        const bytesOut = add(cached.bytesOut, flow.bytesOut);
        table.set(key, {
          ...cached,
          ...(bytesIn === undefined ? {} : { bytesIn }),
          ...(bytesOut === undefined ? {} : { bytesOut }),
        });
        return true;
      }
      if (table.size >= (flow.ipVersion === 4 ? maxIpv4 : maxIpv6)) {
        if (flow.ipVersion === 4) droppedIpv4 += 1;
        else droppedIpv6 += 1;
        return false;
      }
      table.set(key, flow);
      return true;
    },
    drain() {
      const result: FlowDrain = { flows: [...v4.values(), ...v6.values()], droppedIpv4, droppedIpv6 };
      // Swap in fresh tables, like the RTOS double buffer: recording continues into the new ones.
      v4 = new Map();
      v6 = new Map();
      droppedIpv4 = 0;
      droppedIpv6 = 0;
      return result;
    },
    clear() {
      v4.clear();
      v6.clear();
      droppedIpv4 = 0;
      droppedIpv6 = 0;
    },
    setLimits(limits) {
      maxIpv4 = limits.maxIpv4 ?? maxIpv4;
      maxIpv6 = limits.maxIpv6 ?? maxIpv6;
    },
    get size() {
      return { ipv4: v4.size, ipv6: v6.size };
    },
  };
}
