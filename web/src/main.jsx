// The SalesBoost console: a trainee practises and reads reports; an admin
// also manages knowledge documents and users. Hash routes keep it one page
// the server serves at /.
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Api } from './api.js';
import { translator } from './i18n.js';
import { Login } from './pages/login.jsx';
import { Scenarios } from './pages/scenarios.jsx';
import { Practice } from './pages/practice.jsx';
import { Report } from './pages/report.jsx';
import { History } from './pages/history.jsx';
import { Documents } from './pages/documents.jsx';
import { Search } from './pages/search.jsx';
import { Users } from './pages/users.jsx';
import { Catalog } from './pages/catalog.jsx';
import { Team } from './pages/team.jsx';

const kAuth = 'salesboost.auth';
const kLanguage = 'salesboost.language';

function initialLanguage() {
  const saved = localStorage.getItem(kLanguage);
  if (saved === 'en' || saved === 'zh') return saved;
  return (navigator.language || '').toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

function loadAuth() {
  try {
    const auth = JSON.parse(sessionStorage.getItem(kAuth) || 'null');
    if (auth && auth.expires_at && Date.parse(auth.expires_at) < Date.now()) return null;
    return auth;
  } catch {
    return null;
  }
}

function useRoute() {
  const [hash, setHash] = useState(location.hash || '#/');
  useEffect(() => {
    const changed = () => setHash(location.hash || '#/');
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return hash.replace(/^#/, '').split('/').filter(Boolean);
}

function App() {
  const [language, setLanguage] = useState(initialLanguage);
  const [auth, setAuth] = useState(loadAuth);
  const t = useMemo(() => translator(language), [language]);
  const route = useRoute();
  const signOut = () => {
    sessionStorage.removeItem(kAuth);
    setAuth(null);
  };
  const api = useMemo(() => new Api(auth && auth.token, signOut), [auth]);

  useEffect(() => {
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
    document.title = t('app.title');
    localStorage.setItem(kLanguage, language);
  }, [language]);

  const toggle = () => setLanguage(language === 'zh' ? 'en' : 'zh');
  if (!auth) {
    return (
      <Login t={t} language={language} onToggleLanguage={toggle}
        onSignedIn={(a) => { sessionStorage.setItem(kAuth, JSON.stringify(a)); setAuth(a); }} />
    );
  }
  const admin = auth.user.role === 'admin';
  const ctx = { t, api, language, auth, admin };
  const [page, id] = route;
  let body;
  if (page === 'practice' && id) body = <Practice key={id} {...ctx} sessionId={id} />;
  else if (page === 'report' && id) body = <Report key={id} {...ctx} sessionId={id} />;
  else if (page === 'history') body = <History {...ctx} />;
  else if (page === 'documents' && admin) body = <Documents {...ctx} />;
  else if (page === 'search') body = <Search {...ctx} />;
  else if (page === 'users' && admin) body = <Users {...ctx} />;
  else if (page === 'catalog' && admin) body = <Catalog {...ctx} />;
  else if (page === 'team' && admin) body = <Team {...ctx} />;
  else body = <Scenarios {...ctx} preselect={page === 'start' ? id : null} />;

  const link = (href, key, current) => (
    <a href={href} aria-current={current ? 'page' : undefined}>{t(key)}</a>
  );
  return (
    <div class="shell">
      <header class="top">
        <a class="brand" href="#/">SalesBoost</a>
        <nav aria-label="main">
          {link('#/', 'nav.practice', !page || page === 'practice')}
          {link('#/history', 'nav.history', page === 'history' || page === 'report')}
          {admin && link('#/documents', 'nav.documents', page === 'documents')}
          {link('#/search', 'nav.search', page === 'search')}
          {admin && link('#/catalog', 'nav.catalog', page === 'catalog')}
          {admin && link('#/users', 'nav.users', page === 'users')}
          {admin && link('#/team', 'nav.team', page === 'team')}
        </nav>
        <div class="who">
          <span>{auth.user.display_name || auth.user.username}</span>
          <button type="button" class="link" onClick={toggle} title={t('nav.language.label')}
            lang={language === 'zh' ? 'en' : 'zh'}>
            {t('nav.language')}
          </button>
          <button type="button" class="link" onClick={signOut}>{t('nav.logout')}</button>
        </div>
      </header>
      <main id="main">{body}</main>
    </div>
  );
}

render(<App />, document.getElementById('app'));
