import { useState, type FormEvent, type ReactNode } from 'react';
import { VigilApiError, type SecurityGroupView, type VigilClient } from '@vigil/api-client';
import { LiveView, When } from '../components/states';
import { RuleEditor } from '../components/rule-editor';
import { useLive } from '../use-live';

/**
 * Device security groups and their custom alert rules (reference §4.4). A device belongs to the
 * group its `azureiotsecurity` module twin's `SecurityGroup` tag names, `default` otherwise.
 */
export function SecurityGroups({ client }: { readonly client: VigilClient }): ReactNode {
  const live = useLive(() => client.securityGroups.list(), [client]);
  return (
    <section aria-labelledby="groups-title">
      <h2 id="groups-title">Security groups</h2>
      <p className="muted">
        A device is in the group its security module twin&apos;s <code>SecurityGroup</code> tag names, or in{' '}
        <code>default</code>. Custom rules raise low-severity alerts.
      </p>
      <NewGroup client={client} onCreated={live.reload} />
      <LiveView
        live={live}
        isEmpty={(groups) => groups.length === 0}
        empty="No security groups yet. Create the default group to set rules for every device."
      >
        {(groups) =>
          groups.map((group) => (
            <Group key={group.name} client={client} group={group} onSaved={live.reload} />
          ))
        }
      </LiveView>
    </section>
  );
}

function Group(props: {
  readonly client: VigilClient;
  readonly group: SecurityGroupView;
  readonly onSaved: () => void;
}): ReactNode {
  const { group } = props;
  return (
    <article className="group" aria-label={`Security group ${group.name}`}>
      <h3>
        {group.name}{' '}
        <span className="muted small">
          {group.updatedAt === 0 ? (
            'defaults, never changed'
          ) : (
            <>
              updated <When at={group.updatedAt} />
            </>
          )}
        </span>
      </h3>
      <table className="list rules">
        <thead>
          <tr>
            <th>Rule</th>
            <th>Min</th>
            <th>Max</th>
            <th>Window</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {group.rules.map((rule) => (
            <RuleEditor
              key={rule.ruleId}
              client={props.client}
              group={group.name}
              rule={rule}
              onSaved={props.onSaved}
            />
          ))}
        </tbody>
      </table>
    </article>
  );
}

function NewGroup({
  client,
  onCreated,
}: {
  readonly client: VigilClient;
  readonly onCreated: () => void;
}): ReactNode {
  const [name, setName] = useState('default');
  const [error, setError] = useState<string>();
  const create = (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    client.securityGroups
      .putRules(name, [])
      .then(onCreated)
      .catch((thrown: unknown) =>
        setError(
          thrown instanceof VigilApiError && thrown.details.length > 0
            ? thrown.details.map((detail) => detail.message).join('; ')
            : thrown instanceof Error
              ? thrown.message
              : String(thrown),
        ),
      );
  };
  return (
    <form className="filters" onSubmit={create}>
      <label>
        Group name
        <input value={name} onChange={(event) => setName(event.target.value)} />
      </label>
      <button type="submit">Create or open group</button>
      {error !== undefined && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
