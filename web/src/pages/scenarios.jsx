// The scenario picker: each scenario of each course with its customers as
// cards; choosing one shows the goal and the rubric before starting.
import { useEffect, useState } from 'preact/hooks';
import { pick } from '../i18n.js';
import { Loading, useLoad } from './common.jsx';

async function loadCatalog(api) {
  const { courses } = await api.get('/api/v1/courses');
  const out = [];
  for (const course of courses) {
    const { scenarios } = await api.get(`/api/v1/scenarios?course_id=${encodeURIComponent(course.id)}`);
    const withPersonas = await Promise.all(scenarios.map(async (s) => {
      const { personas } = await api.get(`/api/v1/personas?scenario_id=${encodeURIComponent(s.id)}`);
      return { ...s, personaList: personas };
    }));
    out.push({ course, scenarios: withPersonas });
  }
  return out;
}

function Difficulty({ t, n }) {
  return (
    <span class="difficulty" aria-label={t('scenarios.difficulty', { n })} title={t('scenarios.difficulty', { n })}>
      {'●'.repeat(n)}<span class="off">{'●'.repeat(Math.max(0, 5 - n))}</span>
    </span>
  );
}

function Rubric({ t, api, scenarioId, language }) {
  const state = useLoad(() => api.get(`/api/v1/scenarios/${encodeURIComponent(scenarioId)}/rubric?language=${language}`),
    [scenarioId, language]);
  return (
    <Loading t={t} state={state}>
      {(rubric) => (
        <ol class="rubric">
          {rubric.criteria.map((c) => (
            <li key={c.id}>
              <strong>{c.title}</strong> <span class="muted">{t('scenarios.weight', { w: c.weight })}</span>
              <div class="levels"><span class="good">{t('scenarios.good')}: {c.good}</span></div>
            </li>
          ))}
        </ol>
      )}
    </Loading>
  );
}

export function Scenarios({ t, api, language, preselect }) {
  const state = useLoad(() => loadCatalog(api), []);
  const [chosen, setChosen] = useState(null); // {scenario, persona}
  useEffect(() => {
    if (!preselect || !state.data) return;
    for (const { scenarios } of state.data) {
      const s = scenarios.find((x) => x.id === preselect);
      if (s && s.personaList.length) setChosen({ scenario: s, persona: s.personaList[0] });
    }
  }, [preselect, state.data]);
  const [sessionLanguage, setSessionLanguage] = useState(language);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const start = async () => {
    setBusy(true);
    setError('');
    try {
      const session = await api.post('/api/v1/sessions', {
        scenario_id: chosen.scenario.id, persona_id: chosen.persona.id, language: sessionLanguage,
      });
      location.hash = `#/practice/${session.id}`;
    } catch (err) {
      setError(t('common.error', { m: err.message }));
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="scenarios-title">
      <h1 id="scenarios-title">{t('scenarios.title')}</h1>
      <Loading t={t} state={state}>
        {(catalog) => catalog.map(({ course, scenarios }) => (
          <section key={course.id} class="course">
            <h2>{pick(course.title, language)}</h2>
            <div class="cards">
              {scenarios.flatMap((s) => s.personaList.map((p) => {
                const selected = chosen && chosen.scenario.id === s.id && chosen.persona.id === p.id;
                return (
                  <button type="button" key={`${s.id}/${p.id}`} class={`card persona${selected ? ' selected' : ''}`}
                    aria-pressed={selected} onClick={() => setChosen({ scenario: s, persona: p })}>
                    <span class="avatar" aria-hidden="true">{pick(p.name, language).slice(0, 1)}</span>
                    <strong>{pick(s.title, language)}</strong>
                    <span>{pick(p.name, language)} · {pick(p.title, language)}</span>
                    <Difficulty t={t} n={p.difficulty || 1} />
                    <span class="muted">{t('scenarios.turns', { n: s.max_turns })}</span>
                  </button>
                );
              }))}
            </div>
          </section>
        ))}
      </Loading>
      {chosen && (
        <section class="card brief" aria-labelledby="brief-title">
          <h2 id="brief-title">{pick(chosen.scenario.title, language)}</h2>
          <p>{pick(chosen.scenario.background, language)}</p>
          <p><strong>{t('scenarios.goal')}:</strong> {pick(chosen.scenario.goal, language)}</p>
          <p><strong>{t('scenarios.persona')}:</strong> {pick(chosen.persona.name, language)}, {pick(chosen.persona.title, language)}</p>
          <h3>{t('scenarios.rubric')}</h3>
          <Rubric t={t} api={api} scenarioId={chosen.scenario.id} language={sessionLanguage} />
          <div class="row">
            <label for="session-language">{t('scenarios.language')}</label>
            <select id="session-language" value={sessionLanguage} onChange={(e) => setSessionLanguage(e.currentTarget.value)}>
              <option value="zh">中文</option>
              <option value="en">English</option>
            </select>
            <button type="button" class="primary" onClick={start} disabled={busy}>{t('scenarios.start')}</button>
          </div>
          {error && <p class="alert" role="alert">{error}</p>}
        </section>
      )}
    </section>
  );
}
