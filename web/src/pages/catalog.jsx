// The catalogue editor: a course with its personas, scenarios and rubrics,
// edited in place and saved as one course file. The server checks it as an
// import does; each problem it reports (a JSON path and a message) is shown
// at the field it names, the others above the form.
import { useEffect, useState } from 'preact/hooks';
import { pick } from '../i18n.js';
import { Loading, useLoad } from './common.jsx';

const kLanguages = ['en', 'zh'];

function getAt(object, path) {
  return path.reduce((o, key) => (o == null ? undefined : o[key]), object);
}

function setAt(object, path, value) {
  const copy = Array.isArray(object) ? object.slice() : { ...object };
  const [key, ...rest] = path;
  copy[key] = rest.length ? setAt(object[key] ?? {}, rest, value) : value;
  return copy;
}

// "personas[0].name.en" for ['personas', 0, 'name', 'en'], as the server names paths.
function pathText(path) {
  return path.reduce((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${key}` : key), '');
}

function Field({ t, file, path, label, type = 'text', step, errors, onChange }) {
  const name = pathText(path);
  const id = `f-${name.replace(/[^a-zA-Z0-9]/g, '-')}`;
  const error = errors[name];
  const value = getAt(file, path);
  return (
    <div class={`field${error ? ' invalid' : ''}`} data-path={name}>
      <label for={id}>{label}</label>
      {type === 'textarea' ? (
        <textarea id={id} rows="3" value={value ?? ''} aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onInput={(e) => onChange(path, e.currentTarget.value)} />
      ) : (
        <input id={id} type={type} step={step} value={value ?? ''} aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onInput={(e) => onChange(path, type === 'number' ? (e.currentTarget.value === '' ? '' : Number(e.currentTarget.value)) : e.currentTarget.value)} />
      )}
      {error && <p id={`${id}-error`} class="field-error" role="alert">{error}</p>}
    </div>
  );
}

// One field per language of a text object ({"en": "...", "zh": "..."}).
function Texts({ t, path, label, type, ...rest }) {
  return (
    <div class="texts">
      {kLanguages.map((lang) => (
        <Field key={lang} {...rest} t={t} type={type} path={[...path, lang]} label={`${label} (${lang})`} />
      ))}
    </div>
  );
}

// Server problems ("personas[0].difficulty: must be ...") by the field they name; the rest apart.
function placeErrors(details, file) {
  const byField = {};
  const general = [];
  for (const line of details) {
    const at = line.indexOf(': ');
    const path = at > 0 ? line.slice(0, at) : '';
    const message = at > 0 ? line.slice(at + 2) : line;
    const target = document.querySelector(`[data-path="${CSS.escape(path)}"]`) ? path
      : kLanguages.map((l) => `${path}.${l}`).find((p) => document.querySelector(`[data-path="${CSS.escape(p)}"]`));
    if (target) byField[target] = byField[target] ? `${byField[target]}; ${message}` : message;
    else general.push(line);
  }
  return { byField, general };
}

function Editor({ t, api, courseId, language }) {
  const state = useLoad(() => api.get(`/api/v1/courses/${encodeURIComponent(courseId)}/file`), [courseId]);
  const [file, setFile] = useState(null);
  const [errors, setErrors] = useState({});
  const [general, setGeneral] = useState([]);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => { if (state.data) setFile(state.data); }, [state.data]);
  useEffect(() => {
    // After a refused save, the first field to fix gets the focus.
    const first = document.querySelector('.field.invalid input, .field.invalid textarea');
    if (first) first.focus();
  }, [errors]);

  const change = (path, value) => {
    setSaved(false);
    setFile((f) => setAt(f, path, value));
  };
  const save = async (e) => {
    e.preventDefault();
    setBusy(true);
    setSaved(false);
    try {
      const stored = await api.put(`/api/v1/courses/${encodeURIComponent(courseId)}`, file);
      setFile(stored);
      setErrors({});
      setGeneral([]);
      setSaved(true);
    } catch (err) {
      const placed = placeErrors(err.details && err.details.length ? err.details : [err.message], file);
      setErrors(placed.byField);
      setGeneral(placed.general);
    } finally {
      setBusy(false);
    }
  };

  if (!file) return <Loading t={t} state={state}>{() => null}</Loading>;
  const common = { t, file, errors, onChange: change };
  return (
    <form class="editor" onSubmit={save} noValidate>
      {general.length > 0 && (
        <div class="alert card" role="alert">
          <p>{t('catalog.problems')}</p>
          <ul>{general.map((g) => <li key={g}>{g}</li>)}</ul>
        </div>
      )}
      {Object.keys(errors).length > 0 && general.length === 0 && (
        <p class="alert" role="alert">{t('catalog.fix', { n: Object.keys(errors).length })}</p>
      )}
      {saved && <p class="notice" role="status">{t('catalog.saved')}</p>}
      <section class="card">
        <h2>{t('catalog.course')}</h2>
        <Texts {...common} path={['title']} label={t('catalog.title')} />
        <Texts {...common} path={['description']} label={t('catalog.description')} type="textarea" />
      </section>
      <section class="card">
        <h2>{t('catalog.personas')}</h2>
        {(file.personas || []).map((p, i) => (
          <fieldset key={p.id} class="persona-edit">
            <legend>{pick(p.name, language)} <span class="muted">({p.id})</span></legend>
            <Texts {...common} path={['personas', i, 'name']} label={t('catalog.name')} />
            <Texts {...common} path={['personas', i, 'title']} label={t('catalog.role')} />
            <div class="row">
              <Field {...common} path={['personas', i, 'difficulty']} label={t('catalog.difficulty')} type="number" step="1" />
              <Field {...common} path={['personas', i, 'initial_mood']} label={t('catalog.mood')} type="number" step="0.05" />
              <Field {...common} path={['personas', i, 'volatility']} label={t('catalog.volatility')} type="number" step="0.05" />
            </div>
          </fieldset>
        ))}
      </section>
      <section class="card">
        <h2>{t('catalog.scenarios')}</h2>
        {(file.scenarios || []).map((s, i) => (
          <fieldset key={s.id}>
            <legend>{pick(s.title, language)} <span class="muted">({s.id})</span></legend>
            <Texts {...common} path={['scenarios', i, 'title']} label={t('catalog.title')} />
            <Texts {...common} path={['scenarios', i, 'goal']} label={t('scenarios.goal')} type="textarea" />
            <Field {...common} path={['scenarios', i, 'max_turns']} label={t('catalog.max_turns')} type="number" step="1" />
            {s.rubric && (
              <div class="rubric-edit">
                <h3>{t('scenarios.rubric')}</h3>
                {(s.rubric.criteria || []).map((c, j) => (
                  <div key={c.id} class="criterion-edit">
                    <Texts {...common} path={['scenarios', i, 'rubric', 'criteria', j, 'title']} label={`${c.id}`} />
                    <Field {...common} path={['scenarios', i, 'rubric', 'criteria', j, 'weight']} label={t('catalog.weight')} type="number" step="1" />
                  </div>
                ))}
              </div>
            )}
          </fieldset>
        ))}
      </section>
      <div class="row">
        <button type="submit" class="primary" disabled={busy}>{t('common.save')}</button>
      </div>
    </form>
  );
}

export function Catalog({ t, api, language }) {
  const courses = useLoad(() => api.get('/api/v1/courses'), []);
  const [courseId, setCourseId] = useState('');
  useEffect(() => {
    if (!courseId && courses.data && courses.data.courses.length) setCourseId(courses.data.courses[0].id);
  }, [courses.data]);
  return (
    <section aria-labelledby="catalog-title">
      <h1 id="catalog-title">{t('catalog.heading')}</h1>
      <Loading t={t} state={courses}>
        {({ courses: list }) => (
          <div class="row card">
            <label for="course">{t('scenarios.course')}</label>
            <select id="course" value={courseId} onChange={(e) => setCourseId(e.currentTarget.value)}>
              {list.map((c) => <option key={c.id} value={c.id}>{pick(c.title, language)}</option>)}
            </select>
          </div>
        )}
      </Loading>
      {courseId && <Editor key={courseId} t={t} api={api} courseId={courseId} language={language} />}
    </section>
  );
}
