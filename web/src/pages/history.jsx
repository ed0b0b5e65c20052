// The trainee's sessions, newest first, with the trend of their overall scores.
import { ChartCanvas } from './chart.jsx';
import { Loading, Score, formatTime, useLoad } from './common.jsx';

async function loadHistory(api) {
  const { sessions } = await api.get('/api/v1/sessions?page=1&page_size=50');
  const reports = await Promise.all(sessions.map((s) => (s.status === 'ended'
    ? api.get(`/api/v1/sessions/${encodeURIComponent(s.id)}/report`).catch(() => null)
    : Promise.resolve(null))));
  return sessions.map((s, i) => ({ ...s, overall: reports[i] ? reports[i].overall : null }));
}

export function History({ t, api, language }) {
  const state = useLoad(() => loadHistory(api), []);
  return (
    <section aria-labelledby="history-title">
      <h1 id="history-title">{t('history.title')}</h1>
      <Loading t={t} state={state}>
        {(sessions) => {
          if (sessions.length === 0) return <p class="muted">{t('history.none')}</p>;
          const scored = sessions.filter((s) => s.overall != null).reverse();
          return (
            <>
              {scored.length > 1 && (
                <section class="card" aria-labelledby="trend-title">
                  <h2 id="trend-title">{t('history.trend')}</h2>
                  <ChartCanvas label={scored.map((s) => s.overall).join(', ')} config={{
                    type: 'line',
                    data: { labels: scored.map((s) => formatTime(s.created_at, language)),
                      datasets: [{ label: t('report.overall'), data: scored.map((s) => s.overall), borderColor: '#2563eb',
                        backgroundColor: 'rgba(37, 99, 235, 0.15)', fill: true, tension: 0.2 }] },
                    options: { scales: { y: { min: 0, max: 10 } } },
                  }} />
                </section>
              )}
              <table class="table">
                <thead><tr><th scope="col">{t('scenarios.title')}</th><th scope="col">{t('report.overall')}</th><th scope="col"> </th><th scope="col"> </th></tr></thead>
                <tbody>
                  {sessions.map((s) => (
                    <tr key={s.id}>
                      <td>{s.scenario_id}</td>
                      <td>{s.status === 'ended' ? <Score value={s.overall} /> : <span class="muted">{t('history.active')}</span>}</td>
                      <td>{formatTime(s.created_at, language)}</td>
                      <td>{s.status === 'ended'
                        ? <a href={`#/report/${s.id}`}>{t('history.open')}</a>
                        : <a href={`#/practice/${s.id}`}>{t('history.resume')}</a>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          );
        }}
      </Loading>
    </section>
  );
}
