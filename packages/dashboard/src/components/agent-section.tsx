import type { ReactNode } from 'react';
import { VigilApiError, type TwinView, type VigilClient } from '@vigil/api-client';
import { AgentConfigEditor } from './agent-config-editor';
import { LiveView } from './states';
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

/** The device's security agent: its group and its configuration editor, or why there is none. */
export function AgentSection({
  client,
  deviceId,
}: {
  readonly client: VigilClient;
  readonly deviceId: string;
}): ReactNode {
  const agent = useLive(() => securityModuleTwin(client, deviceId), [client, deviceId]);
  return (
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
  );
}
