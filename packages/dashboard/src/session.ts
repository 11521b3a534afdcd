import { VigilClient } from '@vigil/api-client';

const TOKEN_KEY = 'vigil.token';

/** The API token the operator signed in with (kept in this browser only). */
export function storedToken(): string | null {
  return window.localStorage.getItem(TOKEN_KEY);
}

/** Remembers the token after a successful sign-in. */
export function storeToken(token: string): void {
  window.localStorage.setItem(TOKEN_KEY, token);
}

/** Forgets the token (sign out, or the server refused it). */
export function clearToken(): void {
  window.localStorage.removeItem(TOKEN_KEY);
}

/** A client for the server that served this page. */
export function clientFor(token: string): VigilClient {
  return new VigilClient({ baseUrl: '', token });
}
