import { useState, type FormEvent, type ReactNode } from 'react';
import { VigilApiError } from '@vigil/api-client';
import { clientFor } from '../session';

/** Sign-in with an API token (the admin token is printed once when the server first starts). */
export function SignIn({ onSignedIn }: { readonly onSignedIn: (token: string) => void }): ReactNode {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    clientFor(token.trim())
      .posture()
      .then(() => onSignedIn(token.trim()))
      .catch((thrown: unknown) =>
        setError(
          thrown instanceof VigilApiError && thrown.status === 401
            ? 'That token is not valid on this server.'
            : `Could not reach the server: ${String(thrown)}`,
        ),
      )
      .finally(() => setBusy(false));
  };
  return (
    <main className="sign-in">
      <form onSubmit={submit} aria-label="Sign in">
        <h1>Vigil</h1>
        <p>Sign in with an API token. The server printed an admin token when it first started.</p>
        <label>
          API token
          <input
            name="token"
            type="password"
            autoComplete="off"
            value={token}
            onChange={(event) => setToken(event.target.value)}
            required
          />
        </label>
        {error !== undefined && (
          <p className="banner error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || token.trim() === ''}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
