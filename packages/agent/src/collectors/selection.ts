/**
 * Choosing which collectors run: by platform and by per-id enable/disable configuration.
 */
import type { Collector, CollectorPlatform } from './collector.js';

/** Options for {@link selectCollectors}. */
export interface CollectorSelection {
  /** `process.platform` of the machine; collectors for other platforms are left out. */
  readonly platform: string;
  /** Per-id switch; ids not listed use `enabledByDefault`. */
  readonly enabled?: Readonly<Record<string, boolean>>;
  /** Whether collectors missing from `enabled` run. Default true. */
  readonly enabledByDefault?: boolean;
}

/** True when a collector with these platforms can run on `platform`. */
export function runsOn(platforms: readonly CollectorPlatform[], platform: string): boolean {
  return platforms.some((p) => p === 'any' || p === platform);
}

/** The collectors that should run, in the order given. */
export function selectCollectors<C extends Collector>(
  collectors: readonly C[],
  selection: CollectorSelection,
): C[] {
  const byDefault = selection.enabledByDefault ?? true;
  return collectors.filter(
    (c) => runsOn(c.platforms, selection.platform) && (selection.enabled?.[c.id] ?? byDefault),
  );
}
