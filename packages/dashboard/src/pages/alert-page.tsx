import { useState, type ReactNode } from 'react';
import type { VigilClient } from '@vigil/api-client';
import { LiveView, SeverityBadge, When } from '../components/states';
import { href } from '../route';
import { useLive } from '../use-live';

/** One alert: what happened, the evidence, what to do, its history; dismiss or resolve it. */
export function AlertPage({ client, id }: { readonly client: VigilClient; readonly id: number }): ReactNode {
  const live = useLive(() => client.getAlert(id), [client, id]);
  const [note, setNote] = useState('');
  const [actionError, setActionError] = useState<string>();
  const act = (action: 'dismiss' | 'resolve') => {
    setActionError(undefined);
    (action === 'dismiss'
      ? client.dismissAlert(id, note || undefined)
      : client.resolveAlert(id, note || undefined)
    )
      .then(() => live.reload())
      .catch((thrown: unknown) => setActionError(thrown instanceof Error ? thrown.message : String(thrown)));
  };
  return (
    <section aria-labelledby="alert-title">
      <p>
        <a href={href('alerts')}>← All alerts</a>
      </p>
      <LiveView live={live} empty={null}>
        {(alert) => (
          <>
            <h2 id="alert-title">
              <SeverityBadge severity={alert.severity} /> {alert.title}
            </h2>
            <dl className="facts">
              <dt>Device</dt>
              <dd>{alert.deviceId === '' ? 'the hub' : alert.deviceId}</dd>
              <dt>Type</dt>
              <dd>
                <code>{alert.typeId}</code>
              </dd>
              <dt>Status</dt>
              <dd data-testid="alert-status">{alert.status}</dd>
              <dt>First seen</dt>
              <dd>
                <When at={alert.firstSeenAt} />
              </dd>
              <dt>Last seen</dt>
              <dd>
                <When at={alert.lastSeenAt} /> ({alert.occurrences} occurrence
                {alert.occurrences === 1 ? '' : 's'})
              </dd>
            </dl>
            <h3>Evidence</h3>
            {alert.evidence.length === 0 ? (
              <p className="empty">No evidence was kept for this alert.</p>
            ) : (
              alert.evidence.map((item, index) => (
                <pre key={index} className="evidence" data-testid="evidence">
                  {JSON.stringify(item, null, 2)}
                </pre>
              ))
            )}
            <h3>What to do</h3>
            <ol className="remediation">
              {alert.remediation.map((step) => (
                <li key={step}>{step}</li>
              ))}
            </ol>
            {alert.status === 'active' && (
              <div className="actions">
                <input
                  aria-label="Note"
                  placeholder="note (optional)"
                  value={note}
                  onChange={(event) => setNote(event.target.value)}
                />
                <button type="button" onClick={() => act('dismiss')}>
                  Dismiss
                </button>
                <button type="button" onClick={() => act('resolve')}>
                  Resolve
                </button>
              </div>
            )}
            {actionError !== undefined && (
              <p className="banner error" role="alert">
                {actionError}
              </p>
            )}
            <h3>History</h3>
            <ul className="history">
              {alert.history.map((entry, index) => (
                <li key={index}>
                  <When at={entry.at} /> — {entry.action}
                  {entry.actor === null ? '' : ` by ${entry.actor}`}
                  {entry.note === null ? '' : `: ${entry.note}`}
                </li>
              ))}
            </ul>
          </>
        )}
      </LiveView>
    </section>
  );
}
