import type { ReactNode } from 'react';
import type { Live } from '../use-live';

/**
 * Renders a live query's states: a loading placeholder the first time, an error banner (with retry)
 * when it fails, an empty message when there is nothing, and the content otherwise.
 */
export function LiveView<T>(props: {
  readonly live: Live<T>;
  readonly isEmpty?: (data: T) => boolean;
  readonly empty: ReactNode;
  readonly children: (data: T) => ReactNode;
}): ReactNode {
  const { live } = props;
  return (
    <>
      {live.error !== undefined && (
        <div className="banner error" role="alert">
          <span>Could not load: {live.error.message}</span>
          <button type="button" onClick={live.reload}>
            Retry
          </button>
        </div>
      )}
      {live.data === undefined ? (
        live.loading ? (
          <div className="placeholder" aria-busy="true">
            Loading…
          </div>
        ) : null
      ) : props.isEmpty?.(live.data) === true ? (
        <div className="empty">{props.empty}</div>
      ) : (
        props.children(live.data)
      )}
    </>
  );
}

/** A coloured severity label. */
export function SeverityBadge({ severity }: { readonly severity: string }): ReactNode {
  return <span className={`badge severity-${severity}`}>{severity}</span>;
}

/** A relative time with the exact time on hover. */
export function When({ at }: { readonly at: number }): ReactNode {
  const seconds = Math.round((Date.now() - at) / 1000);
  const text =
    seconds < 60
      ? `${Math.max(0, seconds)} s ago`
      : seconds < 3600
        ? `${Math.round(seconds / 60)} min ago`
        : seconds < 86_400
          ? `${Math.round(seconds / 3600)} h ago`
          : new Date(at).toLocaleDateString();
  return (
    <time dateTime={new Date(at).toISOString()} title={new Date(at).toLocaleString()}>
      {text}
    </time>
  );
}
