// Small pieces the pages share.
import { useEffect, useState } from 'preact/hooks';

// Runs `load` when `deps` change: {data, error, loading, reload}.
export function useLoad(load, deps) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error) => live && setState({ data: null, error, loading: false }),
    );
    return () => { live = false; };
  }, [...deps, tick]);
  return { ...state, reload: () => setTick((n) => n + 1) };
}

export function Loading({ t, state, children }) {
  if (state.loading && !state.data) return <p class="muted" role="status">{t('common.loading')}</p>;
  if (state.error) {
    return (
      <div class="alert" role="alert">
        {t('common.error', { m: state.error.message })}{' '}
        <button type="button" onClick={state.reload}>{t('common.retry')}</button>
      </div>
    );
  }
  return children(state.data);
}

export function Score({ value }) {
  if (value == null) return <span class="score none">–</span>;
  const band = value >= 7 ? 'good' : value >= 4 ? 'fair' : 'poor';
  return <span class={`score ${band}`}>{value.toFixed(1)}</span>;
}

export function formatTime(iso, language) {
  if (!iso) return '';
  return new Date(iso).toLocaleString(language === 'zh' ? 'zh-CN' : 'en-GB', {
    dateStyle: 'medium', timeStyle: 'short',
  });
}
