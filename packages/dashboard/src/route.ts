import { useEffect, useState } from 'react';

/** The page the hash names: `#/alerts/12` → `['alerts', '12']`. */
export function useRoute(): string[] {
  const read = () =>
    (window.location.hash.replace(/^#\/?/, '').split('?')[0] ?? '')
      .split('/')
      .filter(Boolean)
      .map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const update = () => setRoute(read());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

/** A link target inside the dashboard. */
export function href(...parts: string[]): string {
  return `#/${parts.map(encodeURIComponent).join('/')}`;
}
