import type { ReactNode } from 'react';
import type { IdentityView, VigilClient } from '@vigil/api-client';
import { LiveView, When } from '../components/states';
import { href } from '../route';
import { useLive } from '../use-live';

/** How an identity authenticates, in words. */
export const AUTH_LABELS: Record<IdentityView['authentication']['type'], string> = {
  sas: 'symmetric key',
  selfSigned: 'X.509 self-signed',
  certificateAuthority: 'X.509 CA-signed',
};

interface DeviceRow {
  readonly device: IdentityView;
  /** Connected when the device or any of its modules (the security agent runs as one) is. */
  readonly connected: readonly string[];
  readonly lastActivity: number | null;
  readonly openAlerts: number;
}

/** The device's own identity and its modules', as one row: who is connected, latest activity. */
export function summariseIdentities(identities: readonly IdentityView[]): {
  readonly connected: readonly string[];
  readonly lastActivity: number | null;
} {
  const connected = identities
    .filter((identity) => identity.connectionState === 'connected')
    .map((identity) => identity.moduleId ?? 'device');
  const times = identities
    .map((identity) =>
      identity.lastActivityTime === null ? Number.NaN : Date.parse(identity.lastActivityTime),
    )
    .filter((time) => !Number.isNaN(time));
  return { connected, lastActivity: times.length === 0 ? null : Math.max(...times) };
}

/** Loads the registry's devices (up to 500) with each one's count of active alerts. */
async function loadDevices(client: VigilClient): Promise<readonly DeviceRow[]> {
  const devices: IdentityView[] = [];
  let after: string | undefined;
  do {
    const page = await client.listDevices({ limit: 100, ...(after === undefined ? {} : { after }) });
    devices.push(...page.items);
    after = page.next ?? undefined;
  } while (after !== undefined && devices.length < 500);
  const alerts = await client.listAlerts({ status: 'active', limit: 500 });
  const counts = new Map<string, number>();
  for (const alert of alerts.items) counts.set(alert.deviceId, (counts.get(alert.deviceId) ?? 0) + 1);
  // One modules request per device: the security agent connects as a module, not as the device.
  const modules = await Promise.all(devices.map((device) => client.listModules(device.deviceId)));
  return devices.map((device, index) => ({
    device,
    ...summariseIdentities([device, ...(modules[index]?.items ?? [])]),
    openAlerts: counts.get(device.deviceId) ?? 0,
  }));
}

/** Every device of the hub: connection state, last activity, how it authenticates, its open alerts. */
export function Devices({ client }: { readonly client: VigilClient }): ReactNode {
  const live = useLive(() => loadDevices(client), [client]);
  return (
    <section aria-labelledby="devices-title">
      <h2 id="devices-title">Devices</h2>
      <LiveView
        live={live}
        isEmpty={(rows) => rows.length === 0}
        empty="No devices are registered yet. Add one with `vigil device add <id>`."
      >
        {(rows) => (
          <table className="list">
            <thead>
              <tr>
                <th>Device</th>
                <th>Connection</th>
                <th>Last activity</th>
                <th>Authentication</th>
                <th>Status</th>
                <th>Open alerts</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ device, connected, lastActivity, openAlerts }) => (
                <tr key={device.deviceId} data-testid="device-row">
                  <td>
                    <a href={href('devices', device.deviceId)}>{device.deviceId}</a>
                  </td>
                  <td>
                    <ConnectionState state={connected.length > 0 ? 'connected' : 'disconnected'} />
                    {connected.length > 0 && <span className="muted small"> ({connected.join(', ')})</span>}
                  </td>
                  <td>{lastActivity === null ? 'never' : <When at={lastActivity} />}</td>
                  <td>{AUTH_LABELS[device.authentication.type]}</td>
                  <td>{device.status}</td>
                  <td>
                    {openAlerts === 0 ? (
                      <span className="muted">0</span>
                    ) : (
                      <a href={`${href('alerts')}?deviceId=${encodeURIComponent(device.deviceId)}`}>
                        {openAlerts}
                      </a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </LiveView>
    </section>
  );
}

/** A dot and a word: connected or disconnected. */
export function ConnectionState({ state }: { readonly state: 'connected' | 'disconnected' }): ReactNode {
  return <span className={`connection ${state}`}>{state}</span>;
}
