import { useState, type ReactNode } from 'react';
import { VigilApiError, type GroupRule, type RuleUpdate, type VigilClient } from '@vigil/api-client';

type Field = 'enabled' | 'min' | 'max' | 'window' | 'values' | 'rule';

/** Maps the API's `body.rules[0].max` / `body.rules[0].values[3]` violations onto the editor's fields. */
function fieldErrors(error: VigilApiError): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  for (const detail of error.details) {
    const match = /^body\.rules\[\d+\]\.(\w+)(\[(\d+)\])?/.exec(detail.path);
    const field = (match?.[1] ?? 'rule') as Field;
    const known: Field = ['enabled', 'min', 'max', 'window', 'values'].includes(field) ? field : 'rule';
    const message =
      match?.[3] === undefined ? detail.message : `line ${Number(match[3]) + 1} ${detail.message}`;
    errors[known] = errors[known] === undefined ? message : `${errors[known]}; ${message}`;
  }
  return errors;
}

/**
 * One custom rule of a security group as an editable table row: enabled, and min/max/window for a
 * time-window rule or the allowed values (one a line) for an allow-list. Saving sends this rule only;
 * the API's validation errors show beside the field they concern.
 */
export function RuleEditor(props: {
  readonly client: VigilClient;
  readonly group: string;
  readonly rule: GroupRule;
  readonly onSaved: () => void;
}): ReactNode {
  const { rule } = props;
  const [enabled, setEnabled] = useState(rule.enabled);
  const [min, setMin] = useState(rule.kind === 'range' ? String(rule.min) : '');
  const [max, setMax] = useState(rule.kind === 'range' ? String(rule.max) : '');
  const [window, setWindow] = useState(rule.kind === 'range' ? rule.window : '');
  const [values, setValues] = useState(rule.kind === 'allowlist' ? rule.values.join('\n') : '');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [saved, setSaved] = useState(false);
  const save = () => {
    setSaved(false);
    // Numbers go as typed: text that is not a number becomes null on the wire, and the API names the field.
    const update: RuleUpdate =
      rule.kind === 'range'
        ? { kind: 'range', ruleId: rule.ruleId, enabled, min: Number(min), max: Number(max), window }
        : {
            kind: 'allowlist',
            ruleId: rule.ruleId,
            enabled,
            values: values
              .split('\n')
              .map((line) => line.trim())
              .filter((line) => line !== ''),
          };
    props.client.securityGroups
      .putRules(props.group, [update])
      .then(() => {
        setErrors({});
        setSaved(true);
        props.onSaved();
      })
      .catch((thrown: unknown) =>
        setErrors(
          thrown instanceof VigilApiError && thrown.code === 'VALIDATION_FAILED'
            ? fieldErrors(thrown)
            : { rule: thrown instanceof Error ? thrown.message : String(thrown) },
        ),
      );
  };
  const id = `${props.group}-${rule.ruleId}`;
  const input = (
    field: 'min' | 'max' | 'window',
    value: string,
    set: (next: string) => void,
    label: string,
  ) => (
    <td>
      <input
        aria-label={`${rule.ruleId} ${label}`}
        aria-invalid={errors[field] !== undefined}
        aria-describedby={errors[field] === undefined ? undefined : `${id}-${field}-error`}
        className={field === 'window' ? 'window' : 'number'}
        value={value}
        onChange={(event) => set(event.target.value)}
      />
      {errors[field] !== undefined && (
        <span id={`${id}-${field}-error`} className="field-error" role="alert">
          {errors[field]}
        </span>
      )}
    </td>
  );
  return (
    <tr data-testid={`rule-${rule.ruleId}`}>
      <td>
        <label className="rule-name">
          <input
            type="checkbox"
            checked={enabled}
            aria-label={`${rule.ruleId} enabled`}
            onChange={(event) => setEnabled(event.target.checked)}
          />
          <span>
            {rule.displayName}
            <br />
            <code>{rule.ruleId}</code>
          </span>
        </label>
      </td>
      {rule.kind === 'range' ? (
        <>
          {input('min', min, setMin, 'min')}
          {input('max', max, setMax, 'max')}
          {input('window', window, setWindow, 'window')}
        </>
      ) : (
        <td colSpan={3}>
          <textarea
            aria-label={`${rule.ruleId} values`}
            aria-invalid={errors.values !== undefined}
            rows={2}
            placeholder="one value a line"
            value={values}
            onChange={(event) => setValues(event.target.value)}
          />
          {errors.values !== undefined && (
            <span className="field-error" role="alert">
              {errors.values}
            </span>
          )}
        </td>
      )}
      <td>
        <button type="button" onClick={save} aria-label={`Save ${rule.ruleId}`}>
          Save
        </button>
        {saved && <span className="saved">saved</span>}
        {errors.rule !== undefined && (
          <span className="field-error" role="alert">
            {errors.rule}
          </span>
        )}
      </td>
    </tr>
  );
}
