// The login page: username and password posted to /api/v1/session (Argo CD's
// SessionService.Create); the server's message is shown when it refuses.
import { useState } from 'preact/hooks';
import { login } from '../api/endpoints.ts';
import { ErrorNotice } from '../components/error-notice.tsx';

export function LoginPage({ onLoggedIn }: { readonly onLoggedIn: () => void }) {
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setBusy(true); setError(undefined);
    try {
      await login(username, password);
      onLoggedIn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="login" id="main">
      <form class="login-card" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <h1 id="login-title"><span class="logo" aria-hidden="true">⎈</span> Capstan</h1>
        <p class="muted">Sign in to see and sync your applications.</p>
        <label for="login-username">Username</label>
        <input id="login-username" name="username" autoComplete="username" value={username} required
          onInput={(e) => setUsername(e.currentTarget.value)} />
        <label for="login-password">Password</label>
        <input id="login-password" name="password" type="password" autoComplete="current-password" value={password} required autoFocus
          onInput={(e) => setPassword(e.currentTarget.value)} />
        <ErrorNotice error={error} title="Sign-in failed" />
        <button type="submit" class="button primary" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}
