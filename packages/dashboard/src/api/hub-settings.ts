/**
 * Typed calls for the hub's settings over its service API (`/api/hub`, packages/hub/src/service-api
 * README): CA certificates, the IP filter and diagnostic settings.
 */
import type { VigilClient } from '@vigil/api-client';

const HUB = '/api/hub';

/** A CA certificate registered with the hub. */
export interface CaCertificate {
  readonly name: string;
  readonly etag: string;
  readonly isVerified: boolean;
  readonly thumbprint: string;
  /** ISO time. */
  readonly created: string;
  readonly updated: string;
  /** PEM. */
  readonly certificate: string;
}

/** One IP filter rule: `ipMask` is an address or CIDR block. */
export interface IpFilterRule {
  readonly name: string;
  readonly action: 'accept' | 'reject';
  readonly ipMask: string;
}

/** The hub's IP filter: rules in order, then the default action. */
export interface IpFilter {
  readonly defaultAction: 'accept' | 'reject';
  readonly rules: readonly IpFilterRule[];
}

/** A diagnostic setting: which log categories go where. */
export interface DiagnosticSetting {
  readonly name: string;
  readonly destination: string;
  readonly categories: readonly string[];
}

/** The hub's CA certificates. */
export async function listCertificates(client: VigilClient): Promise<readonly CaCertificate[]> {
  return (await client.request<{ readonly items: readonly CaCertificate[] }>('GET', `${HUB}/certificates`))
    .items;
}

/** The IP filter. */
export function getIpFilter(client: VigilClient): Promise<IpFilter> {
  return client.request('GET', `${HUB}/ip-filter`);
}

/** Replaces the IP filter (at most 10 rules). */
export function putIpFilter(client: VigilClient, filter: IpFilter): Promise<IpFilter> {
  return client.request('PUT', `${HUB}/ip-filter`, filter);
}

/** The diagnostic settings. */
export async function listDiagnosticSettings(client: VigilClient): Promise<readonly DiagnosticSetting[]> {
  return (
    await client.request<{ readonly items: readonly DiagnosticSetting[] }>(
      'GET',
      `${HUB}/diagnostic-settings`,
    )
  ).items;
}
