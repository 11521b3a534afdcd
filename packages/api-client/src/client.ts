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
import type {
  DevicePage,
  IdentityRef,
  IdentityView,
  MethodCall,
  MethodResult,
  NewIdentityInput,
  TwinPatch,
  TwinView,
} from './hub-types.js';

const HUB = '/api/hub';

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

type QueryValue = string | number | undefined;

function queryString(query: Readonly<Record<string, QueryValue>>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** A typed client for Vigil's HTTP API. Every failure is a `VigilApiError` with the API's code. */
export class VigilClient {
  readonly #options: ClientOptions;

  constructor(options: ClientOptions) {
    this.#options = options;
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

  /** Deletes an identity (a device takes its modules); `NOT_FOUND` when absent. */
  deleteIdentity(identity: IdentityRef, ifMatch?: string): Promise<void> {
    return this.request(
      'DELETE',
      identityPath('devices', identity),
      undefined,
      ifMatch === undefined ? {} : { 'if-match': ifMatch },
    );
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
    return this.request(
      'PATCH',
      identityPath('twins', identity),
      patch,
      ifMatch === undefined ? {} : { 'if-match': ifMatch },
    );
  }

  /** Invokes a direct method and waits for the device's answer (`DEVICE_NOT_ONLINE`, `GATEWAY_TIMEOUT`). */
  invokeMethod(identity: IdentityRef, call: MethodCall): Promise<MethodResult> {
    return this.request('POST', `${identityPath('twins', identity)}/methods`, call);
  }
}
