import type { ReactNode } from 'react';
import { VigilApiError, type TwinView, type VigilClient } from '@vigil/api-client';
import { AgentConfigEditor } from '../components/agent-config-editor';
import { DeviceFlows, RecentEvents } from '../components/device-activity';
import { Identities } from '../components/identities';
import { LiveView } from '../components/states';
import { AGENT_CONFIGURATION_PROPERTY, SECURITY_MODULE } from '../api/agent-config';
import { href } from '../route';
import { useLive } from '../use-live';

/** The module twin, or null when the device has no security module. */
async function securityModuleTwin(client: VigilClient, deviceId: string): Promise<TwinView | null> {
  try {
    return await client.getTwin({ deviceId, moduleId: SECURITY_MODULE });
  } catch (error) {
    if (error instanceof VigilApiError && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}

/** One device: identity, connection, twin, security agent configuration, events and network flows. */
export function DevicePage({
  client,
  deviceId,
}: {
  readonly client: VigilClient;
  readonly deviceId: string;
}): ReactNode {
  const device = useLive(() => client.getTwin({ deviceId }), [client, deviceId]);
  const agent = useLive(() => securityModuleTwin(client, deviceId), [client, deviceId]);
  return (
    <section aria-labelledby="device-title">
      <p>
        <a href={href('devices')}>← All devices</a>
      </p>
      <h2 id="device-title">{deviceId}</h2>
      <h3>Identity</h3>
      <Identities client={client} deviceId={deviceId} />
      <LiveView live={device} empty={null}>
        {(twin) => (
          <>
            <h3>
              Twin <span className="muted small">version {twin.version}</span>
            </h3>
            <div className="config-columns three">
              {(
                [
                  ['Tags', twin.tags],
                  ['Desired', twin.properties.desired],
                  ['Reported', twin.properties.reported],
                ] as const
              ).map(([title, section]) => (
                <div key={title}>
                  <h4>{title}</h4>
                  <pre className="evidence">{JSON.stringify(section, null, 2)}</pre>
                </div>
              ))}
            </div>
          </>
        )}
      </LiveView>
      <h3>Security agent configuration</h3>
      <LiveView
        live={agent}
        isEmpty={(twin) => twin === null}
        empty={`This device has no ${SECURITY_MODULE} module, so no security agent reports for it.`}
      >
        {(twin) =>
          twin !== null && (
            <>
              <p>
                Security group:{' '}
                <a href={href('security-groups')} data-testid="security-group">
                  {typeof twin.tags.SecurityGroup === 'string' ? twin.tags.SecurityGroup : 'default'}
                </a>{' '}
                <span className="muted small">(the module twin&apos;s SecurityGroup tag)</span>
              </p>
              <AgentConfigEditor
                client={client}
                deviceId={deviceId}
                desired={twin.properties.desired[AGENT_CONFIGURATION_PROPERTY]}
                reported={twin.properties.reported[AGENT_CONFIGURATION_PROPERTY]}
                // The agent answers within a moment; look again soon rather than at the next refresh.
                onSaved={() => {
                  agent.reload();
                  window.setTimeout(agent.reload, 1_000);
                }}
              />
            </>
          )
        }
      </LiveView>
      <h3>Network flows</h3>
      <DeviceFlows client={client} deviceId={deviceId} />
      <h3>Recent security events</h3>
      <RecentEvents client={client} deviceId={deviceId} />
    </section>
  );
}
