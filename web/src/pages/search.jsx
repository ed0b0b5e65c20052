// The search playground: what knowledge search returns for a question, with
// each passage's place and score in the BM25 and vector lists and fused.
import { useState } from 'preact/hooks';

export function Search({ t, api }) {
  const [query, setQuery] = useState('');
  const [collection, setCollection] = useState('');
  const [hits, setHits] = useState(null);
  const [error, setError] = useState('');

  const run = async (e) => {
    e.preventDefault();
    setError('');
    try {
      const body = { query, k: 10 };
      if (collection) body.collection = collection;
      const reply = await api.post('/api/v1/knowledge/search', body);
      setHits(reply.hits);
    } catch (err) {
      setError(err.message);
    }
  };
  const num = (v, digits) => (v == null ? '–' : Number(v).toFixed(digits));

  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">{t('search.title')}</h1>
      <form class="card row" onSubmit={run}>
        <label for="query">{t('search.query')}</label>
        <input id="query" class="grow" value={query} required maxLength={2000} onInput={(e) => setQuery(e.currentTarget.value)} />
        <label for="search-collection">{t('docs.collection')}</label>
        <input id="search-collection" value={collection} onInput={(e) => setCollection(e.currentTarget.value)} />
        <button type="submit" class="primary">{t('search.run')}</button>
      </form>
      {error && <p class="alert" role="alert">{error}</p>}
      {hits && hits.length === 0 && <p class="muted">{t('search.none')}</p>}
      {hits && hits.length > 0 && (
        <table class="table hits">
          <thead><tr><th scope="col">#</th><th scope="col">{t('search.query')}</th><th scope="col">{t('search.bm25')}</th>
            <th scope="col">{t('search.vector')}</th><th scope="col">{t('search.fused')}</th></tr></thead>
          <tbody>
            {hits.map((h, i) => (
              <tr key={h.chunk_id}>
                <td>{i + 1}</td>
                <td><cite>{h.citation}</cite>{h.heading && <span class="muted"> · {h.heading}</span>}<p class="passage">{h.text}</p></td>
                <td>{h.sparse_rank ? `#${h.sparse_rank} · ${num(h.sparse_score, 2)}` : '–'}</td>
                <td>{h.dense_rank ? `#${h.dense_rank} · ${num(h.dense_score, 3)}` : '–'}</td>
                <td>{num(h.score, 4)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
