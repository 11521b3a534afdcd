import type { ReactNode } from 'react';
import type { IdentityView, VigilClient } from '@vigil/api-client';
import { LiveView, When } from './states';
import { AUTH_LABELS, ConnectionState } from '../pages/devices';
import { useLive } from '../use-live';

/**
 * The device's identity and its modules' (the security agent connects as the `azureiotsecurity`
 * module): connection, last activity, authentication and status of each.
 */
export function Identities({
  client,
  deviceId,
}: {
  readonly client: VigilClient;
  readonly deviceId: string;
}): ReactNode {
  const live = useLive(async (): Promise<readonly IdentityView[]> => {
    const [device, modules] = await Promise.all([
      client.getIdentity({ deviceId }),
      client.listModules(deviceId),
    ]);
    return [device, ...modules.items];
  }, [client, deviceId]);
  return (
    <LiveView live={live} empty={null}>
      {(identities) => (
        <table className="list">
          <thead>
            <tr>
              <th>Identity</th>
              <th>Connection</th>
              <th>Last activity</th>
              <th>Authentication</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {identities.map((identity) => (
              <tr key={identity.moduleId ?? ''} data-testid="identity-row">
                <td>{identity.moduleId === null ? 'device' : <code>{identity.moduleId}</code>}</td>
                <td>
                  <ConnectionState state={identity.connectionState} />
                </td>
                <td>
                  {identity.lastActivityTime === null ? (
                    'never'
                  ) : (
                    <When at={Date.parse(identity.lastActivityTime)} />
                  )}
                </td>
                <td>{AUTH_LABELS[identity.authentication.type]}</td>
                <td>
                  {identity.status}
                  {identity.statusReason === null ? '' : ` (${identity.statusReason})`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </LiveView>
  );
}
