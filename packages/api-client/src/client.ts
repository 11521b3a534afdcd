import type {
  Alert,
  AlertHistoryEntry,
  AlertSort,
  AlertStatus,
  Recommendation,
  Severity,
  StoredSecurityEvent,
} from '@vigil/storage';
import { readApiError } from './api-error.js';
import { C2dApi } from './c2d.js';
import { CertificatesApi } from './certificates.js';
import { DiagnosticSettingsApi } from './diagnostic-settings.js';
import { IpFilterApi } from './ip-filter.js';
import { OperationsApi } from './operations.js';
import { HUB, ifMatchHeader, queryString, type Requester } from './request.js';
import { SecurityGroupsApi } from './security-groups.js';
import type {
  DevicePage,
  IdentityRef,
  IdentityView,
  MethodCall,
  MethodResult,
  NewIdentityInput,
  TwinPatch,
  TwinView,
  UpdateIdentityInput,
} from './hub-types.js';
import type { FeedInput, FeedView } from './threat-intel-types.js';

const FEEDS = '/api/threat-intel/feeds';

/** `/devices/{id}` or `/devices/{id}/modules/{mid}` (or under `/twins`), each part encoded. */
function identityPath(root: 'devices' | 'twins', identity: IdentityRef): string {
  const device = `${HUB}/${root}/${encodeURIComponent(identity.deviceId)}`;
  return identity.moduleId === undefined
    ? device
    : `${device}/modules/${encodeURIComponent(identity.moduleId)}`;
}

/** An alert with its history, as one alert's page shows it. */
export type AlertDetail = Alert & { readonly history: readonly AlertHistoryEntry[] };

/** One page of a list and how many match in all (alerts, recommendations, events). */
export interface Page<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

/** One page of alerts and how many match in all. */
export type AlertPage = Page<Alert>;

/** An API token as listed: never its secret, only its id, name, role and use. */
export interface ApiTokenView {
  readonly id: string;
  readonly name: string;
  readonly role: 'viewer' | 'admin';
  /** The first characters of the secret, to tell tokens apart. */
  readonly prefix: string;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
}

/** What to list alerts by. */
export interface AlertQuery {
  readonly status?: AlertStatus;
  readonly severity?: Severity;
  readonly deviceId?: string;
  readonly typeId?: string;
  readonly sort?: AlertSort;
  readonly limit?: number;
  readonly offset?: number;
}

/** The fleet posture summary of the overview page. */
export interface Posture {
  readonly score: number;
  readonly activeAlerts: Readonly<Record<Severity, number>>;
  readonly raisedRecommendations: number;
  readonly timeline: readonly {
    readonly hour: number;
    readonly high: number;
    readonly medium: number;
    readonly low: number;
  }[];
  readonly devicesAtRisk: readonly { readonly deviceId: string; readonly risk: number }[];
}

/** Where the API is and how to authenticate. */
export interface ClientOptions {
  /** Base URL, e.g. `http://127.0.0.1:4280`; empty for same-origin (the dashboard). */
  readonly baseUrl: string;
  readonly token: string;
  /** Injected for tests; the global fetch otherwise. */
  readonly fetch?: typeof fetch;
}

/**
 * A typed client for Vigil's HTTP API. Every failure is a `VigilApiError` with the API's code.
 * Alerts, posture and the hub's registry, twins and methods are methods here; the other areas each
 * have their own module, reached through a property (`client.c2d.send(…)`).
 */
export class VigilClient {
  readonly #options: ClientOptions;
  /** Cloud-to-device messages: send, list, purge. */
  readonly c2d: C2dApi;
  /** The hub's CA certificates and their proof of possession. */
  readonly certificates: CertificatesApi;
  /** The hub's IP filter. */
  readonly ipFilter: IpFilterApi;
  /** The hub's diagnostic settings. */
  readonly diagnosticSettings: DiagnosticSettingsApi;
  /** The hub's operations log. */
  readonly operations: OperationsApi;
  /** Device security groups and their custom alert rules. */
  readonly securityGroups: SecurityGroupsApi;

  constructor(options: ClientOptions) {
    this.#options = options;
    const request: Requester = (method, path, body, headers) => this.request(method, path, body, headers);
    this.c2d = new C2dApi(request);
    this.certificates = new CertificatesApi(request);
    this.ipFilter = new IpFilterApi(request);
    this.diagnosticSettings = new DiagnosticSettingsApi(request);
    this.operations = new OperationsApi(request);
    this.securityGroups = new SecurityGroupsApi(request);
  }

  /** Sends a request and parses the JSON answer; used by the typed methods and for routes they lack. */
  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const send = this.#options.fetch ?? fetch;
    const response = await send(`${this.#options.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.#options.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw await readApiError(response);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  listAlerts(query: AlertQuery = {}): Promise<AlertPage> {
    return this.request('GET', `/api/alerts${queryString({ ...query })}`);
  }

  getAlert(id: number): Promise<AlertDetail> {
    return this.request('GET', `/api/alerts/${id}`);
  }

  dismissAlert(id: number, note?: string): Promise<AlertDetail> {
    return this.request('POST', `/api/alerts/${id}/dismiss`, note === undefined ? {} : { note });
  }

  resolveAlert(id: number, note?: string): Promise<AlertDetail> {
    return this.request('POST', `/api/alerts/${id}/resolve`, note === undefined ? {} : { note });
  }

  listRecommendations(
    query: {
      readonly state?: 'raised' | 'resolved';
      readonly deviceId?: string;
      readonly sort?: 'updated' | 'raised' | 'severity';
      readonly limit?: number;
      readonly offset?: number;
    } = {},
  ): Promise<Page<Recommendation>> {
    return this.request('GET', `/api/recommendations${queryString({ ...query })}`);
  }

  deviceEvents(
    deviceId: string,
    query: {
      readonly name?: string;
      readonly since?: number;
      readonly until?: number;
      readonly sort?: 'at' | 'received';
      readonly limit?: number;
      readonly offset?: number;
    } = {},
  ): Promise<Page<StoredSecurityEvent>> {
    return this.request(
      'GET',
      `/api/devices/${encodeURIComponent(deviceId)}/events${queryString({ ...query })}`,
    );
  }

  posture(): Promise<Posture> {
    return this.request('GET', '/api/posture');
  }

  /** The API tokens (admins only); secrets are never shown again after creation. */
  listTokens(): Promise<{ readonly items: readonly ApiTokenView[] }> {
    return this.request('GET', '/api/tokens');
  }

  /** Creates a named token with a role; the answer's `token` is the only time the secret is shown. */
  createToken(input: {
    readonly name: string;
    readonly role: 'viewer' | 'admin';
  }): Promise<ApiTokenView & { readonly token: string }> {
    return this.request('POST', '/api/tokens', input);
  }

  /** Revokes a token by id (`NOT_FOUND` when unknown, `CONFLICT` for the last admin token). */
  revokeToken(id: string): Promise<void> {
    return this.request('DELETE', `/api/tokens/${encodeURIComponent(id)}`);
  }

  /** Devices (not modules) of the hub's registry, a page at a time. */
  listDevices(query: { readonly limit?: number; readonly after?: string } = {}): Promise<DevicePage> {
    return this.request('GET', `${HUB}/devices${queryString({ ...query })}`);
  }

  /** The modules of a device. */
  listModules(deviceId: string): Promise<{ readonly items: readonly IdentityView[] }> {
    return this.request('GET', `${identityPath('devices', { deviceId })}/modules`);
  }

  getIdentity(identity: IdentityRef): Promise<IdentityView> {
    return this.request('GET', identityPath('devices', identity));
  }

  /** Creates a device or module identity (`CONFLICT` when it exists); SAS keys are generated unless given. */
  createIdentity(identity: IdentityRef, input: NewIdentityInput = {}): Promise<IdentityView> {
    return this.request('PUT', identityPath('devices', identity), input);
  }

  /**
   * Changes an identity's status or credentials (`{ type: 'sas' }` alone generates new keys; a key
   * left out is generated). `ifMatch` `*` (the default) changes it whatever its etag;
   * `PRECONDITION_FAILED` on a stale one. New credentials or disabling close its live session.
   */
  updateIdentity(identity: IdentityRef, input: UpdateIdentityInput, ifMatch = '*'): Promise<IdentityView> {
    return this.request('PUT', identityPath('devices', identity), input, ifMatchHeader(ifMatch));
  }

  /** Deletes an identity (a device takes its modules); `NOT_FOUND` when absent. */
  deleteIdentity(identity: IdentityRef, ifMatch?: string): Promise<void> {
    return this.request('DELETE', identityPath('devices', identity), undefined, ifMatchHeader(ifMatch));
  }

  /** A connection string for the identity (admins only). */
  connectionString(
    identity: IdentityRef,
    query: { readonly key?: 'primary' | 'secondary'; readonly gatewayHostName?: string } = {},
  ): Promise<{ readonly connectionString: string }> {
    return this.request(
      'GET',
      `${identityPath('devices', identity)}/connection-string${queryString({ ...query })}`,
    );
  }

  getTwin(identity: IdentityRef): Promise<TwinView> {
    return this.request('GET', identityPath('twins', identity));
  }

  /** Merges tags and desired properties into the twin; `PRECONDITION_FAILED` on a stale `ifMatch`. */
  updateTwin(identity: IdentityRef, patch: TwinPatch, ifMatch?: string): Promise<TwinView> {
    return this.request('PATCH', identityPath('twins', identity), patch, ifMatchHeader(ifMatch));
  }

  /** Invokes a direct method and waits for the device's answer (`DEVICE_NOT_ONLINE`, `GATEWAY_TIMEOUT`). */
  invokeMethod(identity: IdentityRef, call: MethodCall): Promise<MethodResult> {
    return this.request('POST', `${identityPath('twins', identity)}/methods`, call);
  }

  /** Threat-intel feeds with their load status, by name. */
  listFeeds(): Promise<{ readonly items: readonly FeedView[] }> {
    return this.request('GET', FEEDS);
  }

  getFeed(name: string): Promise<FeedView> {
    return this.request('GET', `${FEEDS}/${encodeURIComponent(name)}`);
  }

  /**
   * Adds a feed; the server loads it before answering (`status` says how that went). `VALIDATION_FAILED`
   * lists every problem with a `FEED_*` code; `CONFLICT` when the name is taken.
   */
  addFeed(feed: FeedInput): Promise<FeedView> {
    return this.request('POST', FEEDS, feed);
  }

  /** Replaces a feed's definition and reloads it; `CONFLICT` for a feed of the configuration file. */
  updateFeed(name: string, feed: Omit<FeedInput, 'name'>, ifMatch?: string): Promise<FeedView> {
    return this.request(
      'PUT',
      `${FEEDS}/${encodeURIComponent(name)}`,
      feed,
      ifMatch === undefined ? {} : { 'if-match': ifMatch },
    );
  }

  /** Removes a feed: its entries stop matching at once. */
  removeFeed(name: string, ifMatch?: string): Promise<void> {
    return this.request(
      'DELETE',
      `${FEEDS}/${encodeURIComponent(name)}`,
      undefined,
      ifMatch === undefined ? {} : { 'if-match': ifMatch },
    );
  }

  /** Loads a feed now; a failed load keeps the previous entries and is reported in `status`. */
  reloadFeed(name: string): Promise<FeedView> {
    return this.request('POST', `${FEEDS}/${encodeURIComponent(name)}/reload`);
  }
}
