import type { HubSettings, Identity } from '@vigil/storage';
import { RECOMMENDATION_TYPES } from '../catalogue/recommendation-types.js';
import type { RecommendationFinding } from '../findings/finding.js';

/** Thresholds of the hub posture checks. */
export interface HubPostureOptions {
  /** An accepting IPv4 rule with a prefix shorter than this is "a large range" (default 16: over 65,536 addresses). */
  readonly maxIpv4PrefixWidth: number;
  /** The same for IPv6 (default 48). */
  readonly maxIpv6PrefixWidth: number;
}

/** Defaults documented in docs/detections.md. */
export const DEFAULT_HUB_POSTURE: HubPostureOptions = { maxIpv4PrefixWidth: 16, maxIpv6PrefixWidth: 48 };

/**
 * Every recommendation type {@link assessHubPosture} decides. Its findings are the whole truth for
 * these types: a raised one it no longer mentions (an identity that was deleted) is stale.
 */
export const HUB_POSTURE_TYPE_IDS: readonly string[] = [
  RECOMMENDATION_TYPES.ipFilterDenyAll.typeId,
  RECOMMENDATION_TYPES.ipFilterPermissiveRule.typeId,
  RECOMMENDATION_TYPES.diagnosticsDisabled.typeId,
  RECOMMENDATION_TYPES.sharedCredentials.typeId,
];

/**
 * Hub-wide recommendations from the hub settings and the identity registry: IP filter default and wide
 * rules, diagnostics, and credentials shared between identities. Each is raised while its condition holds
 * and resolved otherwise (device id `''`; shared credentials are per identity: its device id, and its
 * module id as the key).
 */
export function assessHubPosture(
  settings: Pick<HubSettings, 'ipFilter' | 'diagnosticSettings'>,
  identities: readonly Pick<Identity, 'deviceId' | 'moduleId' | 'auth'>[],
  at: number,
  options: HubPostureOptions = DEFAULT_HUB_POSTURE,
): RecommendationFinding[] {
  const findings: RecommendationFinding[] = [];
  const hub = (
    type: (typeof RECOMMENDATION_TYPES)[keyof typeof RECOMMENDATION_TYPES],
    holds: boolean,
    details: RecommendationFinding['details'],
    key = '',
    deviceId = '',
  ): void => {
    findings.push({
      kind: 'recommendation',
      typeId: type.typeId,
      deviceId,
      key,
      severity: type.severity,
      state: holds ? 'raised' : 'resolved',
      at,
      details,
    });
  };
  hub(RECOMMENDATION_TYPES.ipFilterDenyAll, settings.ipFilter.defaultAction === 'accept', {
    defaultAction: settings.ipFilter.defaultAction,
  });
  const wide = settings.ipFilter.rules.filter(
    (rule) => rule.action === 'accept' && isWide(rule.ipMask, options),
  );
  hub(RECOMMENDATION_TYPES.ipFilterPermissiveRule, wide.length > 0, {
    rules: wide.map((rule) => ({ name: rule.name, ipMask: rule.ipMask })),
  });
  hub(RECOMMENDATION_TYPES.diagnosticsDisabled, settings.diagnosticSettings.length === 0, {});
  const shared = sharedCredentials(identities);
  for (const identity of identities) {
    const holder = holderOf(identity);
    const sharing = [...shared].filter(([, holders]) => holders.includes(holder));
    hub(
      RECOMMENDATION_TYPES.sharedCredentials,
      sharing.length > 0,
      {
        credentials: sharing.map(([credential, holders]) => ({
          credential,
          sharedWith: holders.filter((other) => other !== holder),
        })),
      },
      identity.moduleId ?? '',
      identity.deviceId,
    );
  }
  return findings;
}

function holderOf(identity: Pick<Identity, 'deviceId' | 'moduleId'>): string {
  return identity.moduleId === null ? identity.deviceId : `${identity.deviceId}/${identity.moduleId}`;
}

function isWide(ipMask: string, options: HubPostureOptions): boolean {
  const [address, prefixText] = ipMask.split('/');
  const isV6 = (address ?? '').includes(':');
  const prefix = prefixText === undefined ? (isV6 ? 128 : 32) : Number(prefixText);
  return prefix < (isV6 ? options.maxIpv6PrefixWidth : options.maxIpv4PrefixWidth);
}

/** Identities grouped by a credential they share; the credential is named by kind, never by value. */
function sharedCredentials(
  identities: readonly Pick<Identity, 'deviceId' | 'moduleId' | 'auth'>[],
): Map<string, string[]> {
  const byCredential = new Map<string, { label: string; holders: string[] }>();
  const add = (secret: string, label: string, holder: string): void => {
    if (secret === '') return;
    const entry = byCredential.get(secret) ?? { label, holders: [] };
    if (!entry.holders.includes(holder)) entry.holders.push(holder);
    byCredential.set(secret, entry);
  };
  for (const identity of identities) {
    const holder = holderOf(identity);
    if (identity.auth.type === 'sas') {
      add(`key:${identity.auth.primaryKey}`, 'symmetric key', holder);
      add(`key:${identity.auth.secondaryKey}`, 'symmetric key', holder);
    } else if (identity.auth.type === 'selfSigned') {
      add(
        `x509:${identity.auth.primaryThumbprint.toUpperCase()}`,
        `thumbprint ${identity.auth.primaryThumbprint.toUpperCase()}`,
        holder,
      );
      add(
        `x509:${identity.auth.secondaryThumbprint.toUpperCase()}`,
        `thumbprint ${identity.auth.secondaryThumbprint.toUpperCase()}`,
        holder,
      );
    }
  }
  const shared = new Map<string, string[]>();
  let keyIndex = 0;
  for (const { label, holders } of byCredential.values()) {
    if (holders.length < 2) continue;
    // Keys are secrets: the recommendation names the shared key by position, never by value.
    const name = label === 'symmetric key' ? `symmetric key #${(keyIndex += 1)}` : label;
    shared.set(name, holders);
  }
  return shared;
}
