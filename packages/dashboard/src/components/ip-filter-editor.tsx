import { useState, type ReactNode } from 'react';
import { VigilApiError, type IpFilter, type IpFilterRule, type VigilClient } from '@vigil/api-client';

/** IoT Hub's limit on IP filter rules, enforced by the API too. */
const MAX_RULES = 10;

/** The hub API names a rule's field `rules[2].ipMask` (some hosts prefix `body.`). */
const RULE_PATH = /^(?:body\.)?rules\[(\d+)\]/;

/**
 * The hub's IP filter: rules in order (first match wins), then the default action for addresses no
 * rule matches. Validation errors from the API are shown beside the rule they name.
 */
export function IpFilterEditor(props: {
  readonly client: VigilClient;
  readonly filter: IpFilter;
  readonly onSaved: () => void;
}): ReactNode {
  const [defaultAction, setDefaultAction] = useState(props.filter.defaultAction);
  const [rules, setRules] = useState<IpFilterRule[]>([...props.filter.rules]);
  const [errors, setErrors] = useState<readonly { path: string; message: string }[]>([]);
  const [status, setStatus] = useState<string>();
  const change = (index: number, patch: Partial<IpFilterRule>) =>
    setRules(rules.map((rule, at) => (at === index ? { ...rule, ...patch } : rule)));
  const save = () => {
    setStatus(undefined);
    props.client.ipFilter
      .set({ defaultAction, rules })
      .then(() => {
        setErrors([]);
        setStatus('Saved; new connections are filtered now.');
        props.onSaved();
      })
      .catch((thrown: unknown) => {
        if (thrown instanceof VigilApiError && thrown.details.length > 0) setErrors(thrown.details);
        else
          setErrors([{ path: 'body', message: thrown instanceof Error ? thrown.message : String(thrown) }]);
      });
  };
  const errorsOf = (index: number) =>
    errors.filter((error) => RULE_PATH.exec(error.path)?.[1] === String(index)).map((error) => error.message);
  const general = errors.filter((error) => !RULE_PATH.test(error.path));
  return (
    <div>
      <table className="list">
        <thead>
          <tr>
            <th>Name</th>
            <th>Action</th>
            <th>Address or CIDR</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rules.map((rule, index) => (
            <tr key={index} data-testid="ip-rule">
              <td>
                <input
                  aria-label={`Rule ${index + 1} name`}
                  value={rule.name}
                  onChange={(event) => change(index, { name: event.target.value })}
                />
              </td>
              <td>
                <select
                  aria-label={`Rule ${index + 1} action`}
                  value={rule.action}
                  onChange={(event) =>
                    change(index, { action: event.target.value as IpFilterRule['action'] })
                  }
                >
                  <option value="accept">accept</option>
                  <option value="reject">reject</option>
                </select>
              </td>
              <td>
                <input
                  aria-label={`Rule ${index + 1} address`}
                  aria-invalid={errorsOf(index).length > 0}
                  value={rule.ipMask}
                  onChange={(event) => change(index, { ipMask: event.target.value })}
                />
                {errorsOf(index).length > 0 && (
                  <span className="field-error" role="alert">
                    {errorsOf(index).join('; ')}
                  </span>
                )}
              </td>
              <td>
                <button type="button" onClick={() => setRules(rules.filter((_, at) => at !== index))}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rules.length === 0 && <p className="empty">No rules: every address gets the default action.</p>}
      <div className="actions">
        <button
          type="button"
          disabled={rules.length >= MAX_RULES}
          onClick={() =>
            setRules([...rules, { name: `rule-${rules.length + 1}`, action: 'accept', ipMask: '' }])
          }
        >
          Add rule
        </button>
        <label>
          Default action{' '}
          <select
            aria-label="Default action"
            value={defaultAction}
            onChange={(event) => setDefaultAction(event.target.value as IpFilter['defaultAction'])}
          >
            <option value="accept">accept</option>
            <option value="reject">reject</option>
          </select>
        </label>
        <button type="button" onClick={save}>
          Save IP filter
        </button>
        {status !== undefined && <span role="status">{status}</span>}
      </div>
      {general.length > 0 && (
        <ul className="problems" role="alert">
          {general.map((error) => (
            <li key={`${error.path}:${error.message}`}>
              <code>{error.path}</code> {error.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
