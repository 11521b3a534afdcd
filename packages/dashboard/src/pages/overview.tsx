import type { ReactNode } from 'react';
import type { VigilClient } from '@vigil/api-client';
import { LiveView, SeverityBadge } from '../components/states';
import { SeverityChart } from '../components/severity-chart';
import { href } from '../route';
import { useLive } from '../use-live';

/** Fleet overview: posture score, open alerts by severity, alerts over the last day, devices at risk. */
export function Overview({ client }: { readonly client: VigilClient }): ReactNode {
  const live = useLive(() => client.posture(), [client]);
  return (
    <section aria-labelledby="overview-title">
      <h2 id="overview-title">Fleet overview</h2>
      <LiveView live={live} empty={null}>
        {(posture) => (
          <>
            <div className="cards">
              <div className="card score" data-testid="posture-score">
                <span className="value">{posture.score}</span>
                <span className="label">posture score</span>
              </div>
              {(['high', 'medium', 'low'] as const).map((severity) => (
                <a key={severity} className="card" href={`${href('alerts')}?severity=${severity}`}>
                  <span className="value">{posture.activeAlerts[severity]}</span>
                  <span className="label">
                    active <SeverityBadge severity={severity} /> alerts
                  </span>
                </a>
              ))}
              <a className="card" href={href('recommendations')}>
                <span className="value">{posture.raisedRecommendations}</span>
                <span className="label">open recommendations</span>
              </a>
            </div>
            <h3>Alerts in the last 24 hours</h3>
            <SeverityChart timeline={posture.timeline} />
            <h3>Devices most at risk</h3>
            {posture.devicesAtRisk.length === 0 ? (
              <p className="empty">No device has open alerts or recommendations.</p>
            ) : (
              <ol className="risk">
                {posture.devicesAtRisk.map((device) => (
                  <li key={device.deviceId}>
                    <a href={`${href('alerts')}?deviceId=${encodeURIComponent(device.deviceId)}`}>
                      {device.deviceId}
                    </a>
                    <span className="risk-score">risk {device.risk}</span>
                  </li>
                ))}
              </ol>
            )}
          </>
        )}
      </LiveView>
    </section>
  );
}
