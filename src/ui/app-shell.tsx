// The shell: asks the server who is signed in (session userinfo), shows the
// login page until someone is, then the header with navigation and the page
// the address names. Any 401 from the API returns to the login page.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, onUnauthorized } from './api/api-client.ts';
import { logout, userInfo } from './api/endpoints.ts';
import { ErrorNotice } from './components/error-notice.tsx';
import { href } from './lib/route.ts';
import { AppDetailPage } from './pages/app-detail-page.tsx';
import { AppListPage } from './pages/app-list-page.tsx';
import { AppSetListPage } from './pages/appset-list-page.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { AppStore } from './state/app-store.ts';
import { navigate, useRoute } from './state/hooks.ts';

type Session = { readonly state: 'checking' } | { readonly state: 'anonymous' } | { readonly state: 'in'; readonly username?: string }
  | { readonly state: 'error'; readonly error: unknown };

function focusMain(): void {
  const main = document.getElementById('main');
  main?.setAttribute('tabindex', '-1');
  main?.focus();
}

export function AppShell() {
  const route = useRoute();
  const [session, setSession] = useState<Session>({ state: 'checking' });
  const store = useMemo(() => new AppStore(() => setSession({ state: 'anonymous' })), []);
  const check = (): void => {
    void userInfo().then((info) => setSession(info.loggedIn ? { state: 'in', ...(info.username ? { username: info.username } : {}) } : { state: 'anonymous' }),
      (err: unknown) => setSession(err instanceof ApiError && err.status === 401 ? { state: 'anonymous' } : { state: 'error', error: err }));
  };
  useEffect(() => {
    onUnauthorized(() => setSession({ state: 'anonymous' }));
    check();
  }, []);
  useEffect(() => {
    if (session.state === 'in') store.start();
    else if (session.state === 'anonymous') store.stop();
  }, [session.state]);
  useEffect(() => {
    if (session.state === 'anonymous' && route.page !== 'login') {
      const here = location.hash.slice(1);
      navigate(href('/login', here && here !== '/' ? { next: here } : {}), true);
    } else if (session.state === 'in' && route.page === 'login') {
      navigate(route.next ? `#${route.next}` : href('/applications'), true);
    }
  }, [session.state, route.page]);

  if (session.state === 'checking') return <main id="main" class="content"><p aria-live="polite">Connecting…</p></main>;
  if (session.state === 'error') return <main id="main" class="content"><ErrorNotice error={session.error} title="Could not reach the API server" /></main>;
  if (session.state === 'anonymous' || route.page === 'login') return <LoginPage onLoggedIn={check} />;
  return (
    <>
      <a class="skip-link" href="#main" onClick={(e) => { e.preventDefault(); focusMain(); }}>Skip to content</a>
      <header class="topbar">
        <a class="brand" href={href('/applications')}><span class="logo" aria-hidden="true">⎈</span> Capstan</a>
        <nav aria-label="Main">
          <a href={href('/applications')} aria-current={route.page === 'applications' || route.page === 'application' ? 'page' : undefined}>Applications</a>
          <a href={href('/applicationsets')} aria-current={route.page === 'applicationsets' ? 'page' : undefined}>ApplicationSets</a>
        </nav>
        <span class="user">{session.username ?? ''}</span>
        <button type="button" class="button ghost" onClick={() => void logout().then(() => setSession({ state: 'anonymous' }))}>Log out</button>
      </header>
      {route.page === 'applications' ? <AppListPage store={store} query={route.query} /> : null}
      {route.page === 'application' ? <AppDetailPage key={route.name} store={store} name={route.name} query={route.query} /> : null}
      {route.page === 'applicationsets' ? <AppSetListPage store={store} /> : null}
    </>
  );
}
