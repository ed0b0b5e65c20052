// A session's report: the overall score, a radar of the turn dimensions, the
// scorecard with the trainee's own words, the stages, and what to practise next.
import { pick } from '../i18n.js';
import { ChartCanvas } from './chart.jsx';
import { Loading, Score, useLoad } from './common.jsx';

function Criterion({ t, c }) {
  return (
    <li class={`criterion ${c.result}`}>
      <div class="row spread">
        <strong>{c.title}</strong>
        <span class={`result ${c.result}`}>{t(`report.${c.result}`)}</span>
      </div>
      <p class="muted">{c.level}</p>
      {c.why && <p>{c.why}</p>}
      {c.quote && <blockquote>{c.quote}</blockquote>}
    </li>
  );
}

function Turn({ t, title, turn }) {
  if (!turn) return null;
  return (
    <section class="card">
      <h3>{title}</h3>
      <blockquote>{turn.quote}</blockquote>
      <p class="muted">{turn.why}</p>
    </section>
  );
}

export function Report({ t, api, sessionId, language }) {
  const state = useLoad(() => api.get(`/api/v1/sessions/${encodeURIComponent(sessionId)}/report`), [sessionId]);
  return (
    <Loading t={t} state={state}>
      {(report) => {
        const card = report.scorecard || {};
        const dims = report.dimensions || {};
        const names = Object.keys(dims);
        const next = report.recommended_next_scenario;
        return (
          <article class="report" aria-labelledby="report-title">
            <header class="row spread">
              <h1 id="report-title">{t('report.title')}</h1>
              <div class="overall">
                <span class="muted">{t('report.overall')}</span> <Score value={report.overall} /> <span class="muted">/ 10</span>
              </div>
            </header>
            {card.cap != null && <p class="notice">{t('report.cap', { c: card.cap })}</p>}
            {card.outcome && (
              <p><strong>{t('report.outcome')}:</strong> {t(`outcome.${card.outcome.result}`)} · {t(`stage.${card.outcome.stage_reached}`)}</p>
            )}
            <div class="grid two">
              <section class="card" aria-labelledby="dims-title">
                <h2 id="dims-title">{t('report.dimensions')}</h2>
                {names.length > 0 ? (
                  <ChartCanvas label={names.map((n) => `${t(`dim.${n}`)} ${dims[n]}`).join(', ')} config={{
                    type: 'radar',
                    data: { labels: names.map((n) => t(`dim.${n}`)), datasets: [{ label: t('report.dimensions'), data: names.map((n) => dims[n]),
                      backgroundColor: 'rgba(37, 99, 235, 0.2)', borderColor: '#2563eb' }] },
                    options: { scales: { r: { min: 0, max: 10, ticks: { stepSize: 2 } } } },
                  }} />
                ) : <p class="muted">–</p>}
              </section>
              <section class="card" aria-labelledby="timeline-title">
                <h2 id="timeline-title">{t('report.timeline')}</h2>
                <ol class="timeline">
                  {(report.stage_timeline || []).map((s) => <li key={s.seq}>{t(`stage.${s.stage}`)}</li>)}
                </ol>
                {next && (
                  <div class="next">
                    <h3>{t('report.next')}</h3>
                    <p><strong>{pick(next.title, language)}</strong></p>
                    <p class="muted">{next.why}</p>
                    <a class="button primary" href={`#/start/${encodeURIComponent(next.scenario_id)}`}>{t('report.again')}</a>
                  </div>
                )}
              </section>
            </div>
            <section aria-labelledby="card-title">
              <h2 id="card-title">{t('report.scorecard')} <Score value={card.score} /></h2>
              <ul class="criteria">{(card.criteria || []).map((c) => <Criterion key={c.id} t={t} c={c} />)}</ul>
            </section>
            {card.blockers && card.blockers.length > 0 && (
              <section class="card alert" aria-labelledby="blockers-title">
                <h2 id="blockers-title">{t('report.blockers')}</h2>
                <ul>{card.blockers.map((b) => <li key={b.seq}>{b.message}: <q>{b.quote}</q></li>)}</ul>
              </section>
            )}
            <div class="grid two">
              <Turn t={t} title={t('report.strongest')} turn={report.strongest_turn} />
              <Turn t={t} title={t('report.weakest')} turn={report.weakest_turn} />
            </div>
            <details class="card">
              <summary>{t('report.transcript')}</summary>
              <ol class="log plain">
                {(report.transcript || []).map((line) => (
                  <li key={line.seq} class={`line ${line.speaker}`}>
                    <span class="who">{line.speaker === 'trainee' ? t('practice.you') : t('practice.customer')}</span>
                    <p>{line.text}</p>
                  </li>
                ))}
              </ol>
            </details>
          </article>
        );
      }}
    </Loading>
  );
}
