// Knowledge documents: upload many files (drag and drop or choose), watch
// each one ingest through the job API, list and delete documents.
import { useEffect, useRef, useState } from 'preact/hooks';
import { Loading, formatTime, useLoad } from './common.jsx';

const kTypes = ['', 'product', 'faq', 'case', 'comparison', 'playbook', 'compliance'];

// Sends the form with upload progress (fetch has none); resolves the JSON answer.
function upload(token, form, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/knowledge/documents');
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { body = null; }
      if (xhr.status === 202) resolve(body);
      else reject(new Error(body && body.error ? body.error.message : `HTTP ${xhr.status}`));
    };
    xhr.onerror = () => reject(new Error('network error'));
    xhr.send(form);
  });
}

function JobView({ t, api, jobId, onDone }) {
  const [job, setJob] = useState(null);
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    const poll = async () => {
      try {
        const j = await api.get(`/api/v1/knowledge/jobs/${encodeURIComponent(jobId)}`);
        if (!live) return;
        setJob(j);
        if (j.status === 'done' || j.status === 'failed') onDone();
        else setTimeout(poll, 400);
      } catch (e) {
        if (live) setError(e.message);
      }
    };
    poll();
    return () => { live = false; };
  }, [jobId]);
  if (error) return <p class="alert" role="alert">{error}</p>;
  if (!job) return null;
  return (
    <section class="card job" aria-label={t('docs.job', { id: jobId, status: job.status })} data-status={job.status}>
      <p><strong>{t('docs.job', { id: jobId.slice(0, 8), status: job.status })}</strong></p>
      <progress max="1" value={job.progress} aria-label={`${Math.round(job.progress * 100)}%`} />
      <ul class="files">
        {job.files.map((f) => (
          <li key={f.name} class={f.status || 'running'}>
            <span>{f.name}</span>{' '}
            {f.status ? <span class={`badge ${f.status}`}>{f.status}</span>
              : <span class="muted">{f.pages_total ? `${f.pages_done}/${f.pages_total}` : '…'}</span>}
            {f.error && <span class="alert"> {f.error}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function Documents({ t, api, auth, language }) {
  const docs = useLoad(() => api.get('/api/v1/knowledge/documents'), []);
  const [files, setFiles] = useState([]);
  const [collection, setCollection] = useState('default');
  const [type, setType] = useState('');
  const [progress, setProgress] = useState(null);
  const [jobs, setJobs] = useState([]);
  const [error, setError] = useState('');
  const [dragging, setDragging] = useState(false);
  const input = useRef(null);

  const submit = async (e) => {
    e.preventDefault();
    if (files.length === 0) return;
    const form = new FormData();
    form.append('collection', collection);
    if (type) form.append('type', type);
    for (const f of files) form.append('file', f, f.name);
    setError('');
    setProgress(0);
    try {
      const reply = await upload(auth.token, form, setProgress);
      setJobs((j) => [reply.job_id, ...j]);
      setFiles([]);
    } catch (err) {
      setError(err.message);
    } finally {
      setProgress(null);
    }
  };

  const remove = async (doc) => {
    if (!confirm(t('docs.confirm', { name: doc.name }))) return;
    try {
      await api.del(`/api/v1/knowledge/documents/${encodeURIComponent(doc.id)}`);
      docs.reload();
    } catch (err) {
      setError(err.message);
    }
  };

  return (
    <section aria-labelledby="docs-title">
      <h1 id="docs-title">{t('docs.title')}</h1>
      <form class="card upload" onSubmit={submit}>
        <div class={`drop${dragging ? ' over' : ''}`}
          onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => { e.preventDefault(); setDragging(false); setFiles([...files, ...e.dataTransfer.files]); }}>
          <p>{t('docs.drop')}</p>
          <label class="button" for="files">{t('docs.choose')}</label>
          <input id="files" ref={input} type="file" multiple class="sr-only"
            onChange={(e) => setFiles([...files, ...e.currentTarget.files])} />
          {files.length > 0 && <ul class="chosen">{files.map((f) => <li key={f.name}>{f.name}</li>)}</ul>}
        </div>
        <div class="row">
          <label for="collection">{t('docs.collection')}</label>
          <input id="collection" value={collection} pattern="[A-Za-z0-9_.\-]{1,64}" required
            onInput={(e) => setCollection(e.currentTarget.value)} />
          <label for="type">{t('docs.type')}</label>
          <select id="type" value={type} onChange={(e) => setType(e.currentTarget.value)}>
            {kTypes.map((k) => <option key={k} value={k}>{k || '—'}</option>)}
          </select>
          <button type="submit" class="primary" disabled={files.length === 0 || progress != null}>{t('docs.upload')}</button>
        </div>
        {progress != null && <progress max="1" value={progress} aria-label={t('docs.upload')} />}
        {error && <p class="alert" role="alert">{error}</p>}
      </form>
      {jobs.map((id) => <JobView key={id} t={t} api={api} jobId={id} onDone={docs.reload} />)}
      <Loading t={t} state={docs}>
        {({ documents }) => (documents.length === 0 ? <p class="muted">{t('docs.none')}</p> : (
          <table class="table">
            <thead><tr><th scope="col">{t('docs.title')}</th><th scope="col">{t('docs.collection')}</th>
              <th scope="col">{t('docs.type')}</th><th scope="col"> </th><th scope="col"> </th></tr></thead>
            <tbody>
              {documents.map((d) => (
                <tr key={d.id}>
                  <td>{d.name} {d.format === 'pdf' && d.pages > 0 && <span class="muted">{t('docs.pages', { n: d.pages })}</span>}</td>
                  <td>{d.collection}</td>
                  <td>{d.type}</td>
                  <td>{formatTime(d.updated_at, language)}</td>
                  <td><button type="button" class="danger" onClick={() => remove(d)}
                    aria-label={`${t('common.delete')} ${d.name}`}>{t('common.delete')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </Loading>
    </section>
  );
}
