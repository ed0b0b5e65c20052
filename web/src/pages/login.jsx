import { useState } from 'preact/hooks';
import { Api } from '../api.js';

export function Login({ t, onSignedIn, onToggleLanguage }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const reply = await new Api(null).post('/api/v1/auth/login', { username, password });
      onSignedIn({ token: reply.token, expires_at: reply.expires_at, user: reply.user });
    } catch (err) {
      if (err.status === 401) setError(t('login.failed'));
      else if (err.status === 429) setError(t('login.locked', { s: err.retryAfter || 30 }));
      else setError(t('common.error', { m: err.message }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="login">
      <form onSubmit={submit} class="card" aria-labelledby="login-title">
        <div class="row spread">
          <h1 id="login-title">{t('login.title')}</h1>
          <button type="button" class="link" onClick={onToggleLanguage} title={t('nav.language.label')}
            lang={t('nav.language') === 'English' ? 'en' : 'zh'}>
            {t('nav.language')}
          </button>
        </div>
        <p class="muted">{t('app.title')}</p>
        <label for="username">{t('login.username')}</label>
        <input id="username" name="username" autocomplete="username" required value={username}
          onInput={(e) => setUsername(e.currentTarget.value)} />
        <label for="password">{t('login.password')}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required
          value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        {error && <p class="alert" role="alert">{error}</p>}
        <button type="submit" class="primary" disabled={busy}>{t('login.submit')}</button>
      </form>
    </main>
  );
}
