import { useCallback, useEffect, useRef, useState } from 'react';

/** How often pages refresh on their own, so new alerts appear without a reload. */
export const LIVE_REFRESH_MS = 5_000;

/** The state of a live query: data once loaded, the last error, and a manual reload. */
export interface Live<T> {
  readonly data: T | undefined;
  readonly error: Error | undefined;
  readonly loading: boolean;
  readonly reload: () => void;
}

/**
 * Loads `fetcher` now and every {@link LIVE_REFRESH_MS} while the page is visible; a failed refresh
 * keeps the last data and shows the error.
 */
export function useLive<T>(fetcher: () => Promise<T>, deps: readonly unknown[]): Live<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const load = useCallback(fetcher, deps);
  const reload = useCallback(() => {
    const mine = (generation.current += 1);
    load()
      .then((value) => {
        if (mine !== generation.current) return;
        setData(value);
        setError(undefined);
      })
      .catch((thrown: unknown) => {
        if (mine === generation.current)
          setError(thrown instanceof Error ? thrown : new Error(String(thrown)));
      })
      .finally(() => {
        if (mine === generation.current) setLoading(false);
      });
  }, [load]);
  useEffect(() => {
    setLoading(true);
    reload();
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, LIVE_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [reload]);
  return { data, error, loading, reload };
}
