import type { ReactNode } from 'react';
import { VigilApiError, type VigilClient } from '@vigil/api-client';
import { AgentSection } from '../components/agent-section';
import { DeviceFlows, RecentEvents } from '../components/device-activity';
import { Identities } from '../components/identities';
import { LiveView } from '../components/states';
import { href } from '../route';
import { useLive } from '../use-live';

/** One device: identity, connection, twin, security agent configuration, events and network flows. */
export function DevicePage({
  client,
  deviceId,
}: {
  readonly client: VigilClient;
  readonly deviceId: string;
}): ReactNode {
  const device = useLive(() => client.getTwin({ deviceId }), [client, deviceId]);
  // An unknown device gets one clear answer instead of an error in every section.
  const missing =
    device.data === undefined && device.error instanceof VigilApiError && device.error.code === 'NOT_FOUND';
  return (
    <section aria-labelledby="device-title">
      <p>
        <a href={href('devices')}>← All devices</a>
      </p>
      <h2 id="device-title">{deviceId}</h2>
      {missing ? (
        <div className="empty" role="alert">
          No device named <code>{deviceId}</code> is registered; it may have been removed.{' '}
          <a href={href('devices')}>See all devices</a>.
        </div>
      ) : (
        <LiveView live={device} empty={null}>
          {(twin) => (
            <>
              <h3>Identity</h3>
              <Identities client={client} deviceId={deviceId} />
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
              <h3>Security agent configuration</h3>
              <AgentSection client={client} deviceId={deviceId} />
              <h3>Network flows</h3>
              <DeviceFlows client={client} deviceId={deviceId} />
              <h3>Recent security events</h3>
              <RecentEvents client={client} deviceId={deviceId} />
            </>
          )}
        </LiveView>
      )}
    </section>
  );
}
