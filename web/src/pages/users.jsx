// Users: create, reset a password, delete.
import { useState } from 'preact/hooks';
import { Loading, formatTime, useLoad } from './common.jsx';

export function Users({ t, api, auth, language }) {
  const users = useLoad(() => api.get('/api/v1/users'), []);
  const [username, setUsername] = useState('');
  const [role, setRole] = useState('trainee');
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');

  const act = async (fn) => {
    setError('');
    setMessage('');
    try {
      await fn();
      users.reload();
    } catch (err) {
      setError(err.details && err.details.length ? err.details.join('; ') : err.message);
    }
  };
  const create = (e) => {
    e.preventDefault();
    act(async () => {
      const user = await api.post('/api/v1/users', { username, role });
      setMessage(`${user.username}: ${t('users.password', { p: user.password })}`);
      setUsername('');
    });
  };

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">{t('users.title')}</h1>
      <form class="card row" onSubmit={create}>
        <label for="new-username">{t('users.username')}</label>
        <input id="new-username" value={username} required onInput={(e) => setUsername(e.currentTarget.value)} />
        <label for="new-role">{t('users.role')}</label>
        <select id="new-role" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
          <option value="trainee">trainee</option>
          <option value="admin">admin</option>
        </select>
        <button type="submit" class="primary">{t('users.create')}</button>
      </form>
      {message && <p class="notice" role="status">{message}</p>}
      {error && <p class="alert" role="alert">{error}</p>}
      <Loading t={t} state={users}>
        {({ users: list }) => (
          <table class="table">
            <thead><tr><th scope="col">{t('users.username')}</th><th scope="col">{t('users.role')}</th><th scope="col"> </th><th scope="col"> </th></tr></thead>
            <tbody>
              {list.map((u) => (
                <tr key={u.id}>
                  <td>{u.username}</td>
                  <td>{u.role}</td>
                  <td>{formatTime(u.created_at, language)}</td>
                  <td class="row">
                    <button type="button" onClick={() => act(async () => {
                      const reply = await api.post(`/api/v1/users/${encodeURIComponent(u.id)}/password`, {});
                      setMessage(`${u.username}: ${t('users.password', { p: reply.password })}`);
                    })}>{t('users.reset')}</button>
                    {u.id !== auth.user.id && (
                      <button type="button" class="danger" onClick={() => confirm(t('users.confirm', { name: u.username }))
                        && act(() => api.del(`/api/v1/users/${encodeURIComponent(u.id)}`))}>{t('common.delete')}</button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Loading>
    </section>
  );
}
