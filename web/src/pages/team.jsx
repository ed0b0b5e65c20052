// The trainer's view of the team: each trainee's sessions and scores with
// their trend, the criteria the team meets least, per-trainee criterion
// rates, and the sessions as a CSV download. Admins only.
import { useState } from 'preact/hooks';
import { ChartCanvas } from './chart.jsx';
import { Loading, useLoad } from './common.jsx';

const kWeakest = 6;

function percent(rate) {
  return rate == null ? '–' : `${Math.round(rate * 100)}%`;
}

// A chart label short enough for a phone; the list below the chart has the whole title.
function short(text) {
  return text.length > 24 ? `${text.slice(0, 23)}…` : text;
}

function number(value) {
  return value == null ? '–' : value.toFixed(2);
}

// Up when the latest score is above the trainee's average, down when below.
function Trend({ t, trainee }) {
  const { average_overall: average, latest_overall: latest } = trainee;
  if (average == null || latest == null || trainee.sessions_ended < 2) {
    return <span class="muted" aria-label={t('team.trend.none')}>–</span>;
  }
  const [arrow, key] = latest > average ? ['↑', 'team.trend.up'] : latest < average ? ['↓', 'team.trend.down']
    : ['→', 'team.trend.flat'];
  return <span class={`trend ${key.split('.').pop()}`} role="img" aria-label={t(key)}>{arrow}</span>;
}

async function download(api, setError) {
  try {
    const response = await api.request('GET', '/api/v1/team.csv', undefined, { raw: true });
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = 'team.csv';
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
    setError(null);
  } catch (e) {
    setError(e.message);
  }
}

export function Team({ t, api, language }) {
  const state = useLoad(() => api.get(`/api/v1/team?language=${language}`), [language]);
  const [exportError, setError] = useState(null);
  return (
    <section aria-labelledby="team-title">
      <div class="row spread">
        <h1 id="team-title">{t('team.title')}</h1>
        <button type="button" class="export" onClick={() => download(api, setError)}>{t('team.export')}</button>
      </div>
      <p class="alert-text" role="status">{exportError ? t('common.error', { m: exportError }) : ''}</p>
      <Loading t={t} state={state}>
        {({ trainees, criteria }) => {
          if (trainees.length === 0) return <p class="muted">{t('team.none')}</p>;
          const weakest = criteria.slice(0, kWeakest);
          const ids = criteria.map((c) => c.id);
          const title = (id) => (criteria.find((c) => c.id === id) || { title: id }).title || id;
          return (
            <>
              <div class="scroll" role="region" aria-labelledby="team-trainees" tabindex="0">
                <table class="table team-table">
                  <caption id="team-trainees">{t('team.trainees')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('team.trainee')}</th><th scope="col">{t('team.sessions')}</th>
                      <th scope="col">{t('team.average')}</th><th scope="col">{t('team.latest')}</th>
                      <th scope="col">{t('team.trend')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {trainees.map((u) => (
                      <tr key={u.user_id} data-user={u.user_id}>
                        <th scope="row">{u.display_name || u.username}</th>
                        <td data-field="sessions">{u.sessions_ended}/{u.sessions_started}</td>
                        <td data-field="average">{number(u.average_overall)}</td>
                        <td data-field="latest">{number(u.latest_overall)}</td>
                        <td><Trend t={t} trainee={u} /></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {weakest.length > 0 && (
                <section class="card" aria-labelledby="weakest-title">
                  <h2 id="weakest-title">{t('team.weakest')}</h2>
                  <ChartCanvas label={weakest.map((c) => `${c.title}: ${percent(c.met_rate)}`).join(', ')} config={{
                    type: 'bar',
                    data: { labels: weakest.map((c) => short(c.title || c.id)),
                      datasets: [{ label: t('team.met_rate'), data: weakest.map((c) => Math.round(c.met_rate * 100)),
                        backgroundColor: '#f59e0b' }] },
                    options: { indexAxis: 'y', scales: { x: { min: 0, max: 100 } } },
                  }} />
                  <ul class="weakest">
                    {weakest.map((c) => (
                      <li key={c.id} data-criterion={c.id}>
                        {c.title || c.id}: <span data-field="rate">{percent(c.met_rate)}</span>{' '}
                        <span class="muted">{t('team.judged', { n: c.sessions })}</span>
                      </li>
                    ))}
                  </ul>
                </section>
              )}
              {ids.length > 0 && (
                <div class="scroll" role="region" aria-labelledby="team-rates" tabindex="0">
                  <table class="table rates">
                    <caption id="team-rates">{t('team.rates')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('team.trainee')}</th>
                        {ids.map((id) => <th scope="col" key={id}>{title(id)}</th>)}
                      </tr>
                    </thead>
                    <tbody>
                      {trainees.map((u) => (
                        <tr key={u.user_id} data-user={u.user_id}>
                          <th scope="row">{u.display_name || u.username}</th>
                          {ids.map((id) => <td key={id} data-criterion={id}>{percent(u.criteria[id])}</td>)}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </>
          );
        }}
      </Loading>
    </section>
  );
}
