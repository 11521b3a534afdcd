import type { ReactNode } from 'react';
import type { VigilClient } from '@vigil/api-client';
import { FlowChart, type FlowSample } from './flow-chart';
import { LiveView, When } from './states';
import { useLive } from '../use-live';

/** How far back the flow chart looks. */
const FLOW_MINUTES = 60;

/** The device's network flows over the last hour (from its ConnectionCreate events), as a chart. */
export function DeviceFlows({
  client,
  deviceId,
}: {
  readonly client: VigilClient;
  readonly deviceId: string;
}): ReactNode {
  const live = useLive(async () => {
    const now = Date.now();
    const events = await client.deviceEvents(deviceId, {
      name: 'ConnectionCreate',
      since: now - FLOW_MINUTES * 60_000,
      limit: 1000,
    });
    const samples: FlowSample[] = events.items.map((event) => ({
      at: event.at,
      flows:
        (Array.isArray(event.payload.flows) ? event.payload.flows.length : 0) +
        // The store cuts oversized events and says how much it left out.
        (typeof event.payload.omittedItems === 'number' ? event.payload.omittedItems : 0),
    }));
    return { now, samples };
  }, [client, deviceId]);
  return (
    <LiveView
      live={live}
      isEmpty={(data) => data.samples.length === 0}
      empty="No network connections reported in the last hour."
    >
      {(data) => <FlowChart samples={data.samples} now={data.now} minutes={FLOW_MINUTES} />}
    </LiveView>
  );
}

/** The device's most recent security events, newest first. */
export function RecentEvents({
  client,
  deviceId,
}: {
  readonly client: VigilClient;
  readonly deviceId: string;
}): ReactNode {
  const live = useLive(() => client.deviceEvents(deviceId, { limit: 25 }), [client, deviceId]);
  return (
    <LiveView
      live={live}
      isEmpty={(page) => page.items.length === 0}
      empty="No security events received from this device yet."
    >
      {(page) => (
        <table className="list">
          <thead>
            <tr>
              <th>When</th>
              <th>Event</th>
              <th>Category</th>
              <th>Summary</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((event) => (
              <tr key={event.eventId} data-testid="event-row">
                <td>
                  <When at={event.at} />
                </td>
                <td>{event.name}</td>
                <td>{event.category}</td>
                <td className="summary">{summarise(event.payload)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </LiveView>
  );
}

/** A one-line gist of an event payload: its item count and the first item's fields. */
function summarise(payload: Readonly<Record<string, unknown>>): string {
  const list = Object.values(payload).find(Array.isArray);
  if (list === undefined) return JSON.stringify(payload).slice(0, 120);
  const first: unknown = list[0];
  const detail = first === undefined ? '' : `: ${JSON.stringify(first).slice(0, 100)}`;
  return `${list.length} item${list.length === 1 ? '' : 's'}${detail}`;
}
