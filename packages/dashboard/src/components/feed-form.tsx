import { useState, type FormEvent, type ReactNode } from 'react';
import { VigilApiError, type FeedInput, type FeedView, type VigilClient } from '@vigil/api-client';

type Field = 'name' | 'source' | 'format' | 'column' | 'refreshInterval' | 'internal';
const FIELDS: readonly Field[] = ['name', 'source', 'format', 'column', 'refreshInterval', 'internal'];

/** The field an API violation names (`body.source` → `source`), or undefined for the whole request. */
function fieldOf(path: string): Field | undefined {
  const field = path.replace(/^body\./, '');
  return (FIELDS as readonly string[]).includes(field) ? (field as Field) : undefined;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Adds a threat-intel feed: the server validates (every problem shown beside its field, with its
 * code), stores and loads it before answering, so the result names the counts at once.
 */
export function FeedForm(props: {
  readonly client: VigilClient;
  readonly onAdded: (feed: FeedView) => void;
}): ReactNode {
  const [name, setName] = useState('');
  const [source, setSource] = useState('');
  const [format, setFormat] = useState<'plain' | 'csv'>('plain');
  const [column, setColumn] = useState('');
  const [refreshInterval, setRefreshInterval] = useState('PT1H');
  const [internal, setInternal] = useState(false);
  const [errors, setErrors] = useState<readonly { path: string; message: string; code?: string }[]>([]);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setResult(undefined);
    const input: FeedInput = {
      name: name.trim(),
      source: source.trim(),
      format,
      ...(format === 'csv' ? { column: column.trim() } : {}),
      refreshInterval: refreshInterval.trim(),
      internal,
    };
    props.client
      .addFeed(input)
      .then((feed) => {
        setErrors([]);
        setResult(
          feed.status.state === 'loaded'
            ? `Added ${feed.name}: ${count(feed.status.entries ?? 0, 'entry', 'entries')} loaded, ${feed.status.setAside ?? 0} set aside.`
            : `Added ${feed.name}, but its first load failed: ${feed.status.lastError ?? 'unknown error'}`,
        );
        setName('');
        setSource('');
        setColumn('');
        props.onAdded(feed);
      })
      .catch((thrown: unknown) => {
        if (thrown instanceof VigilApiError && thrown.details.length > 0) setErrors(thrown.details);
        else
          setErrors([{ path: 'body', message: thrown instanceof Error ? thrown.message : String(thrown) }]);
      })
      .finally(() => setBusy(false));
  };
  const errorsOf = (field: Field) => errors.filter((error) => fieldOf(error.path) === field);
  const general = errors.filter((error) => fieldOf(error.path) === undefined);
  const shown = (field: Field): ReactNode =>
    errorsOf(field).map((error) => (
      <span key={`${error.path}${error.message}`} className="field-error" role="alert">
        {error.message}
        {error.code === undefined ? null : <code className="small"> {error.code}</code>}
      </span>
    ));
  return (
    <form className="filters feed-form" aria-label="Add a feed" onSubmit={submit}>
      <label>
        Feed name
        <input
          value={name}
          aria-invalid={errorsOf('name').length > 0}
          placeholder="firehol-level1"
          onChange={(event) => setName(event.target.value)}
        />
        {shown('name')}
      </label>
      <label className="wide">
        Source (file path on the server or http(s) URL)
        <input
          value={source}
          aria-invalid={errorsOf('source').length > 0}
          placeholder="https://iplists.firehol.org/files/firehol_level1.netset"
          onChange={(event) => setSource(event.target.value)}
        />
        {shown('source')}
      </label>
      <label>
        Format
        <select value={format} onChange={(event) => setFormat(event.target.value as 'plain' | 'csv')}>
          <option value="plain">plain (address or CIDR per line)</option>
          <option value="csv">csv</option>
        </select>
        {shown('format')}
      </label>
      {format === 'csv' && (
        <label>
          Address column (header or index)
          <input
            value={column}
            aria-invalid={errorsOf('column').length > 0}
            onChange={(event) => setColumn(event.target.value)}
          />
          {shown('column')}
        </label>
      )}
      <label>
        Refresh interval
        <input
          value={refreshInterval}
          aria-invalid={errorsOf('refreshInterval').length > 0}
          onChange={(event) => setRefreshInterval(event.target.value)}
        />
        {shown('refreshInterval')}
      </label>
      <label className="inline">
        <input type="checkbox" checked={internal} onChange={(event) => setInternal(event.target.checked)} />
        Internal ranges (private addresses match)
      </label>
      <button type="submit" disabled={busy}>
        {busy ? 'Adding and loading…' : 'Add feed'}
      </button>
      {general.map((error) => (
        <span key={`${error.path}${error.message}`} className="field-error" role="alert">
          {error.message}
        </span>
      ))}
      {result !== undefined && (
        <span className="saved" role="status">
          {result}
        </span>
      )}
    </form>
  );
}
