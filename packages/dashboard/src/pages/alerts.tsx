import { useState, type ReactNode } from 'react';
import type { AlertQuery, VigilClient } from '@vigil/api-client';
import { LiveView, SeverityBadge, When } from '../components/states';
import { href } from '../route';
import { useLive } from '../use-live';

const PAGE_SIZE = 25;

function initialFilter(): AlertQuery {
  const params = new URLSearchParams(window.location.hash.split('?')[1] ?? '');
  const severity = params.get('severity');
  const deviceId = params.get('deviceId');
  return {
    status: 'active',
    ...(severity === 'high' || severity === 'medium' || severity === 'low' ? { severity } : {}),
    ...(deviceId === null ? {} : { deviceId }),
  };
}

/** Alerts with filters (status, severity, device), sorting and paging. */
export function Alerts({ client }: { readonly client: VigilClient }): ReactNode {
  const [filter, setFilter] = useState<AlertQuery>(initialFilter);
  const [offset, setOffset] = useState(0);
  const live = useLive(
    () => client.listAlerts({ ...filter, limit: PAGE_SIZE, offset }),
    [client, filter, offset],
  );
  const change = (patch: Partial<AlertQuery>) => {
    setOffset(0);
    setFilter((current) => {
      const next: Record<string, unknown> = { ...current, ...patch };
      for (const key of Object.keys(next)) if (next[key] === '' || next[key] === undefined) delete next[key];
      return next;
    });
  };
  return (
    <section aria-labelledby="alerts-title">
      <h2 id="alerts-title">Alerts</h2>
      <div className="filters" role="search">
        <label>
          Status
          <select
            value={filter.status ?? ''}
            onChange={(event) =>
              change({ status: (event.target.value || undefined) as AlertQuery['status'] })
            }
          >
            <option value="">any</option>
            <option value="active">active</option>
            <option value="dismissed">dismissed</option>
            <option value="resolved">resolved</option>
          </select>
        </label>
        <label>
          Severity
          <select
            value={filter.severity ?? ''}
            onChange={(event) =>
              change({ severity: (event.target.value || undefined) as AlertQuery['severity'] })
            }
          >
            <option value="">any</option>
            <option value="high">high</option>
            <option value="medium">medium</option>
            <option value="low">low</option>
          </select>
        </label>
        <label>
          Device
          <input
            value={filter.deviceId ?? ''}
            placeholder="device id"
            onChange={(event) => change({ deviceId: event.target.value || undefined })}
          />
        </label>
        <label>
          Sort
          <select
            value={filter.sort ?? 'lastSeen'}
            onChange={(event) => change({ sort: event.target.value as AlertQuery['sort'] })}
          >
            <option value="lastSeen">last seen</option>
            <option value="firstSeen">first seen</option>
            <option value="severity">severity</option>
            <option value="occurrences">occurrences</option>
          </select>
        </label>
      </div>
      <LiveView
        live={live}
        isEmpty={(page) => page.total === 0}
        empty="No alerts match these filters. That is good news."
      >
        {(page) => (
          <>
            <table className="list">
              <thead>
                <tr>
                  <th>Severity</th>
                  <th>Alert</th>
                  <th>Device</th>
                  <th>Occurrences</th>
                  <th>Last seen</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((alert) => (
                  <tr key={alert.id}>
                    <td>
                      <SeverityBadge severity={alert.severity} />
                    </td>
                    <td>
                      <a href={href('alerts', String(alert.id))}>{alert.title}</a>
                    </td>
                    <td>{alert.deviceId === '' ? 'hub' : alert.deviceId}</td>
                    <td>{alert.occurrences}</td>
                    <td>
                      <When at={alert.lastSeenAt} />
                    </td>
                    <td>{alert.status}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <nav className="pager" aria-label="Pages">
              <button
                type="button"
                disabled={offset === 0}
                onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
              >
                Previous
              </button>
              <span>
                {offset + 1}–{offset + page.items.length} of {page.total}
              </span>
              <button
                type="button"
                disabled={offset + PAGE_SIZE >= page.total}
                onClick={() => setOffset(offset + PAGE_SIZE)}
              >
                Next
              </button>
            </nav>
          </>
        )}
      </LiveView>
    </section>
  );
}
