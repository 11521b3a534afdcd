import { useState, type ReactNode } from 'react';
import { VigilApiError, type Json, type VigilClient } from '@vigil/api-client';
import {
  AGENT_CONFIGURATION_PROPERTY,
  SECURITY_MODULE,
  parseAgentConfiguration,
  pendingKeys,
  type ConfigProblem,
} from '../api/agent-config';

/**
 * The security module's configuration: the desired document in an editor that validates before it
 * PATCHes the module twin, and the configuration the agent reported next to it.
 */
export function AgentConfigEditor(props: {
  readonly client: VigilClient;
  readonly deviceId: string;
  readonly desired: Json | undefined;
  readonly reported: Json | undefined;
  readonly onSaved: () => void;
}): ReactNode {
  const [text, setText] = useState(() => JSON.stringify(props.desired ?? {}, null, 2));
  const [problems, setProblems] = useState<readonly ConfigProblem[]>([]);
  const [status, setStatus] = useState<string>();
  const [saving, setSaving] = useState(false);
  const save = () => {
    setStatus(undefined);
    const parsed = parseAgentConfiguration(text);
    if (!parsed.ok) {
      setProblems(parsed.problems);
      return;
    }
    setProblems([]);
    setSaving(true);
    props.client
      .updateTwin(
        { deviceId: props.deviceId, moduleId: SECURITY_MODULE },
        { properties: { desired: { [AGENT_CONFIGURATION_PROPERTY]: parsed.patch as Json } } },
      )
      .then(() => {
        setStatus('Saved. The agent applies it and reports back.');
        props.onSaved();
      })
      .catch((thrown: unknown) => {
        if (thrown instanceof VigilApiError && thrown.details.length > 0) {
          setProblems(thrown.details.map((detail) => ({ key: detail.path, message: detail.message })));
        } else setStatus(`Not saved: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
      })
      .finally(() => setSaving(false));
  };
  return (
    <div className="config-columns">
      <div>
        <h4>Desired</h4>
        <textarea
          aria-label="Desired agent configuration"
          className="code-editor"
          spellCheck={false}
          rows={14}
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        {problems.length > 0 && (
          <ul className="problems" role="alert" aria-label="Configuration problems">
            {problems.map((problem) => (
              <li key={`${problem.key}:${problem.message}`}>
                <code>{problem.key}</code> {problem.message}
              </li>
            ))}
          </ul>
        )}
        <div className="actions">
          <button type="button" onClick={save} disabled={saving}>
            Save configuration
          </button>
          {status !== undefined && <span role="status">{status}</span>}
        </div>
      </div>
      <div>
        <h4>Reported by the agent</h4>
        <SyncState pending={pendingKeys(props.desired, props.reported)} />
        {props.reported === undefined ? (
          <p className="empty">The agent has not reported a configuration yet.</p>
        ) : (
          <pre className="evidence" data-testid="reported-config">
            {JSON.stringify(props.reported, null, 2)}
          </pre>
        )}
      </div>
    </div>
  );
}

/** Whether the agent reports what is desired, or which keys it has yet to apply. */
function SyncState({ pending }: { readonly pending: readonly string[] }): ReactNode {
  return (
    <p className={pending.length === 0 ? 'in-sync' : 'pending'} data-testid="config-sync">
      {pending.length === 0
        ? 'The agent reports the desired configuration.'
        : `Waiting for the agent to apply: ${pending.join(', ')}`}
    </p>
  );
}
