import type { ReactNode } from 'react';
import type { VigilClient } from '@vigil/api-client';
import { LiveView, SeverityBadge, When } from '../components/states';
import { useLive } from '../use-live';

/** Open recommendations: weak posture to fix, per device and for the hub. */
export function Recommendations({ client }: { readonly client: VigilClient }): ReactNode {
  const live = useLive(() => client.listRecommendations({ state: 'raised' }), [client]);
  return (
    <section aria-labelledby="recommendations-title">
      <h2 id="recommendations-title">Recommendations</h2>
      <LiveView
        live={live}
        isEmpty={(page) => page.items.length === 0}
        empty="Nothing to recommend right now."
      >
        {(page) => (
          <table className="list">
            <thead>
              <tr>
                <th>Severity</th>
                <th>Recommendation</th>
                <th>Device</th>
                <th>Raised</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((item) => (
                <tr key={item.id}>
                  <td>
                    <SeverityBadge severity={item.severity} />
                  </td>
                  <td>
                    <code>{item.typeId}</code>
                    {item.key === '' ? '' : ` (${item.key})`}
                  </td>
                  <td>{item.deviceId === '' ? 'hub' : item.deviceId}</td>
                  <td>
                    <When at={item.raisedAt} />
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
