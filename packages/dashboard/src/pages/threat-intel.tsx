import { useState, type ReactNode } from 'react';
import { VigilApiError, type FeedView, type VigilClient } from '@vigil/api-client';
import { FeedForm } from '../components/feed-form';
import { LiveView, When } from '../components/states';
import { useLive } from '../use-live';

/** "private 3, documentation 1" for a feed's set-aside entries. */
function reasons(feed: FeedView): string {
  return Object.entries(feed.status.setAsideByReason)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
}

function message(thrown: unknown): string {
  if (thrown instanceof VigilApiError) return `${thrown.code}: ${thrown.message}`;
  return thrown instanceof Error ? thrown.message : String(thrown);
}

/**
 * Threat-intelligence feeds: lists of suspicious addresses a device's connections are matched against
 * ("Suspicious IP address communication"). Shows what each feed loaded and set aside, refreshes on
 * its own like every page, and lets an admin add, reload and remove feeds (a viewer's changes are
 * refused by the API, and the refusal is shown).
 */
export function ThreatIntel({ client }: { readonly client: VigilClient }): ReactNode {
  const live = useLive(() => client.listFeeds(), [client]);
  return (
    <section aria-labelledby="threat-intel-title">
      <h2 id="threat-intel-title">Threat intelligence</h2>
      <p className="muted">
        A device connecting to an address on one of these feeds raises{' '}
        <em>Suspicious IP address communication</em>. Private, loopback, documentation and other reserved
        ranges are set aside unless a feed is marked internal.
      </p>
      <FeedForm client={client} onAdded={live.reload} />
      <LiveView
        live={live}
        isEmpty={(page) => page.items.length === 0}
        empty="No threat-intelligence feeds yet. Add a blocklist file or URL above; its addresses are matched as soon as it loads."
      >
        {(page) => (
          <table className="list feeds">
            <thead>
              <tr>
                <th>Feed</th>
                <th>Source</th>
                <th>Entries</th>
                <th>Set aside</th>
                <th>Last load</th>
                <th>State</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {page.items.map((feed) => (
                <FeedRow key={feed.name} client={client} feed={feed} onChanged={live.reload} />
              ))}
            </tbody>
          </table>
        )}
      </LiveView>
    </section>
  );
}

function FeedRow(props: {
  readonly client: VigilClient;
  readonly feed: FeedView;
  readonly onChanged: () => void;
}): ReactNode {
  const { feed } = props;
  const [busy, setBusy] = useState<'reload' | 'remove'>();
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string>();
  const act = (kind: 'reload' | 'remove') => {
    setBusy(kind);
    setProblem(undefined);
    const work = kind === 'reload' ? props.client.reloadFeed(feed.name) : props.client.removeFeed(feed.name);
    work
      .then(props.onChanged)
      .catch((thrown: unknown) => setProblem(message(thrown)))
      .finally(() => {
        setBusy(undefined);
        setConfirming(false);
      });
  };
  const { status } = feed;
  return (
    <tr data-testid="feed-row" aria-label={`Feed ${feed.name}`}>
      <td>
        <strong>{feed.name}</strong>
        <div className="muted small">
          {feed.format === 'csv' ? `csv, column ${String(feed.column)}` : 'plain list'} · reloads every{' '}
          {feed.refreshInterval}
          {feed.internal ? ' · internal' : ''}
          {feed.origin === 'config' ? ' · from the config file' : ''}
        </div>
      </td>
      <td className="summary">{feed.source.location}</td>
      <td data-testid="feed-entries">{status.entries ?? '–'}</td>
      <td data-testid="feed-set-aside" title={reasons(feed)}>
        {status.setAside ?? '–'}
        {reasons(feed) === '' ? null : <div className="muted small">{reasons(feed)}</div>}
      </td>
      <td>{status.lastLoadAt === null ? 'never' : <When at={Date.parse(status.lastLoadAt)} />}</td>
      <td>
        <span className={`badge state-${status.state}`}>{status.state}</span>
        {status.lastError !== null && (
          <div className="field-error" data-testid="feed-error">
            {status.lastError}
            {status.keptLastGood ? ' — still matching the previous load' : ''}
          </div>
        )}
        {status.invalidLines !== null && status.invalidLines > 0 && (
          <div className="muted small">{status.invalidLines} invalid lines skipped</div>
        )}
      </td>
      <td>
        <div className="feed-actions">
          <button type="button" disabled={busy !== undefined} onClick={() => act('reload')}>
            {busy === 'reload' ? 'Reloading…' : 'Reload now'}
          </button>
          {feed.origin === 'api' &&
            (confirming ? (
              <button type="button" disabled={busy !== undefined} onClick={() => act('remove')}>
                Confirm removal
              </button>
            ) : (
              <button type="button" disabled={busy !== undefined} onClick={() => setConfirming(true)}>
                Remove
              </button>
            ))}
        </div>
        {problem !== undefined && (
          <span className="field-error" role="alert">
            {problem}
          </span>
        )}
      </td>
    </tr>
  );
}
