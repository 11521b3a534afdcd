import type { IfMatch, Millis } from './common.js';

/** One IP filter rule: addresses in `ipMask` (an address or CIDR) are accepted or rejected. */
export interface IpFilterRule {
  readonly name: string;
  readonly action: 'accept' | 'reject';
  readonly ipMask: string;
}

/** A named destination hub logs are sent to. */
export interface DiagnosticSetting {
  readonly name: string;
  readonly destination: string;
  readonly categories: readonly string[];
}

/** The hub-wide settings document. */
export interface HubSettings {
  readonly ipFilter: { readonly defaultAction: 'accept' | 'reject'; readonly rules: readonly IpFilterRule[] };
  readonly diagnosticSettings: readonly DiagnosticSetting[];
  readonly etag: string;
  readonly updatedAt: Millis;
}

/** The settings a caller writes (everything but etag and time). */
export type HubSettingsInput = Omit<HubSettings, 'etag' | 'updatedAt'>;

/** Hub settings: one document, replaced as a whole under an etag. */
export interface HubSettingsRepository {
  /** The stored settings, or the defaults (accept all, no rules, no diagnostics) when never written. */
  get(): Promise<HubSettings>;
  /** Replaces the settings; `PRECONDITION_FAILED` on an etag mismatch. */
  put(settings: HubSettingsInput, options?: IfMatch & { readonly now?: Millis }): Promise<HubSettings>;
}
