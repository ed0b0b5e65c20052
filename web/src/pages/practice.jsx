// A practice session: the conversation with the customer's reply streaming
// in, the coach's tips with the passages they rest on, the stage, the
// customer's mood and the rubric. Events come over the WebSocket; after a
// drop it reconnects and continues from the last seq it saw.
import { useEffect, useReducer, useRef, useState } from 'preact/hooks';
import { SessionSocket } from '../api.js';
import { pick } from '../i18n.js';
import { Loading, useLoad } from './common.jsx';

const kStages = ['OPENING', 'NEEDS_DISCOVERY', 'PRODUCT_INTRO', 'OBJECTION_HANDLING', 'CLOSING'];

const initial = {
  ready: null, stage: 'OPENING', mood: 0.5, lines: [], tips: [], busy: false, ended: null, report: false,
  notice: null, flags: {}, criteria: {},
};

function reduce(state, event) {
  const lines = state.lines;
  const replyIndex = lines.findIndex((l) => l.speaker === 'customer' && l.turnId === event.turn_id);
  const withReply = (update) => {
    const next = lines.slice();
    if (replyIndex >= 0) next[replyIndex] = update(next[replyIndex]);
    else next.push(update({ speaker: 'customer', turnId: event.turn_id, text: '', done: false }));
    return next;
  };
  switch (event.type) {
    case 'session.ready':
      return { ...state, ready: event, stage: event.stage, mood: event.mood ?? state.mood };
    case 'turn.started':
      if (lines.some((l) => l.speaker === 'trainee' && l.turnId === event.turn_id)) return { ...state, busy: true };
      return { ...state, busy: true, notice: null,
        lines: [...lines, { speaker: 'trainee', turnId: event.turn_id, text: event.text, act: event.act }] };
    case 'npc.delta':
      return { ...state, lines: withReply((l) => ({ ...l, text: l.text + event.text })) };
    case 'npc.reset':
      return { ...state, lines: withReply((l) => ({ ...l, text: '' })) };
    case 'npc.done':
      return { ...state, lines: withReply((l) => ({ ...l, text: event.text, done: true })) };
    case 'coach.tip':
      return { ...state, tips: [{ ...event }, ...state.tips] };
    case 'stage.changed':
      return { ...state, stage: event.to };
    case 'mood':
      return { ...state, mood: event.value };
    case 'turn.scored':
      if (!event.criteria) return state;
      return { ...state, criteria: Object.fromEntries(event.criteria.map((c) => [c.id, c.result])) };
    case 'compliance.flagged':
      return { ...state, flags: { ...state.flags, [event.turn_id]: [...(state.flags[event.turn_id] || []), event] } };
    case 'turn.done':
      return { ...state, busy: false };
    case 'turn.aborted':
      return { ...state, busy: false, notice: { key: 'practice.aborted', values: { r: event.reason } },
        lines: lines.filter((l) => !(l.turnId === event.turn_id)) };
    case 'session.ended':
      return { ...state, busy: false, ended: event.reason };
    case 'report.ready':
      return { ...state, report: true };
    default:
      return state;
  }
}

function Countdown({ t, until, onDone }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(id);
  }, []);
  const left = Math.max(0, Math.ceil((until - now) / 1000));
  useEffect(() => { if (left === 0) onDone(); }, [left]);
  return <p class="notice" role="status">{t('practice.ratelimited', { s: left })}</p>;
}

function Mood({ t, value }) {
  const percent = Math.round(value * 100);
  return (
    <div class="meter">
      <span id="mood-label">{t('practice.mood')}</span>
      <div class="bar" role="meter" aria-labelledby="mood-label" aria-valuemin="0" aria-valuemax="100"
        aria-valuenow={percent}>
        <div class={`fill ${value >= 0.6 ? 'good' : value >= 0.35 ? 'fair' : 'poor'}`} style={{ width: `${percent}%` }} />
      </div>
      <span class="value">{percent}</span>
    </div>
  );
}

function Stages({ t, stage }) {
  const index = kStages.indexOf(stage);
  return (
    <ol class="stages" aria-label={t('practice.stage')}>
      {kStages.map((s, i) => (
        <li key={s} class={i < index ? 'past' : i === index ? 'current' : ''} aria-current={i === index ? 'step' : undefined}>
          {t(`stage.${s}`)}
        </li>
      ))}
      {(stage === 'COMPLETED' || stage === 'FAILED') && <li class="current" aria-current="step">{t(`stage.${stage}`)}</li>}
    </ol>
  );
}

function Tip({ t, tip }) {
  return (
    <article class={`tip ${tip.tip_type}`}>
      <header><span class="badge">{tip.technique}</span></header>
      <p>{tip.text}</p>
      {tip.example && <p class="example"><strong>{t('practice.example')}:</strong> {tip.example}</p>}
      {tip.evidence && tip.evidence.length > 0 && (
        <details>
          <summary>{t('practice.evidence')} ({tip.evidence.length})</summary>
          <ul class="evidence">
            {tip.evidence.map((e, i) => (
              <li key={i}><q>{e.text}</q> <cite>{e.citation || e.source}</cite></li>
            ))}
          </ul>
        </details>
      )}
    </article>
  );
}

export function Practice({ t, api, auth, sessionId, language }) {
  const info = useLoad(async () => {
    const session = await api.get(`/api/v1/sessions/${encodeURIComponent(sessionId)}`);
    const rubric = await api.get(`/api/v1/scenarios/${encodeURIComponent(session.scenario_id)}/rubric?language=${session.language}`);
    return { session, rubric };
  }, [sessionId]);
  const [state, dispatch] = useReducer(reduce, initial);
  const [status, setStatus] = useState('connecting');
  const [draft, setDraft] = useState('');
  const [limitedUntil, setLimitedUntil] = useState(0);
  const [refusal, setRefusal] = useState('');
  const socket = useRef(null);
  const log = useRef(null);

  useEffect(() => {
    const s = new SessionSocket({
      token: auth.token, sessionId,
      onEvent: dispatch,
      onStatus: setStatus,
      onError: (e) => {
        if (e.code === 'rate_limited') setLimitedUntil(Date.now() + (e.retry_after_ms || 1000));
        else setRefusal(e.message);
      },
    });
    socket.current = s;
    s.open();
    return () => s.close();
  }, [sessionId]);

  useEffect(() => {
    if (log.current) log.current.scrollTop = log.current.scrollHeight;
  }, [state.lines]);

  const send = (e) => {
    e.preventDefault();
    const text = draft.trim();
    if (!text || state.ended || Date.now() < limitedUntil) return;
    setRefusal('');
    socket.current.send(text);
    setDraft('');
  };
  const sessionLanguage = info.data ? info.data.session.language : language;
  const limited = limitedUntil > Date.now();

  return (
    <div class="practice">
      <section class="conversation" aria-labelledby="conversation-title">
        <header class="row spread">
          <h1 id="conversation-title">{state.ready ? pick(state.ready.scenario.title, sessionLanguage) : '…'}</h1>
          <span class={`status ${status}`} role="status">{t(`practice.status.${status}`)}</span>
        </header>
        {state.ready && (
          <p class="muted">{state.ready.persona.name} · {state.ready.persona.title} — {state.ready.scenario.goal}</p>
        )}
        <Stages t={t} stage={state.stage} />
        <ol class="log" ref={log} aria-live="polite" aria-label={t('report.transcript')} tabindex="0">
          {state.lines.map((line) => (
            <li key={`${line.speaker}-${line.turnId}`} class={`line ${line.speaker}`} data-turn={line.turnId}>
              <span class="who">{line.speaker === 'trainee' ? t('practice.you') : t('practice.customer')}</span>
              <p class={line.done === false ? 'streaming' : ''}>{line.text}</p>
              {line.speaker === 'trainee' && (state.flags[line.turnId] || []).filter((f) => f.side === 'trainee').map((f, i) => (
                <p key={i} class={`flag ${f.level}`}>⚠ {f.message}</p>
              ))}
            </li>
          ))}
          {state.busy && !state.lines.some((l) => l.speaker === 'customer' && l.done === false) && (
            <li class="line customer thinking" aria-hidden="true"><p>{t('practice.thinking')}</p></li>
          )}
        </ol>
        {state.notice && <p class="notice" role="status">{t(state.notice.key, state.notice.values)}</p>}
        {refusal && <p class="alert" role="alert">{t('practice.error', { m: refusal })}</p>}
        {limited && <Countdown t={t} until={limitedUntil} onDone={() => setLimitedUntil(0)} />}
        {state.ended ? (
          <div class="card done">
            <p>{t('practice.ended')}</p>
            <a class="button primary" href={`#/report/${sessionId}`}>{t('practice.report')}</a>
          </div>
        ) : (
          <form class="composer" onSubmit={send}>
            <label for="reply" class="sr-only">{t('practice.placeholder')}</label>
            <textarea id="reply" rows="2" value={draft} placeholder={t('practice.placeholder')}
              onInput={(e) => setDraft(e.currentTarget.value)}
              onKeyDown={(e) => { if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) send(e); }} />
            <div class="row">
              <button type="submit" class="primary" disabled={!draft.trim() || limited}>{t('practice.send')}</button>
              <button type="button" onClick={() => socket.current.end()}>{t('practice.end')}</button>
            </div>
          </form>
        )}
      </section>
      <aside class="side">
        <section class="card" aria-labelledby="mood-title">
          <h2 id="mood-title" class="sr-only">{t('practice.mood')}</h2>
          <Mood t={t} value={state.mood} />
        </section>
        <section class="card" aria-labelledby="coach-title">
          <h2 id="coach-title">{t('practice.coach')}</h2>
          <div class="tips" aria-live="polite">
            {state.tips.map((tip) => <Tip key={tip.seq} t={t} tip={tip} />)}
          </div>
        </section>
        <section class="card" aria-labelledby="rubric-title">
          <h2 id="rubric-title">{t('practice.checklist')}</h2>
          <Loading t={t} state={info}>
            {({ rubric }) => (
              <ul class="checklist">
                {rubric.criteria.map((c) => {
                  const result = state.criteria[c.id] || 'not_met';
                  // A conduct criterion holds until it is broken: not met there means broken, not "not yet".
                  const broken = result === 'not_met' && c.skill === 'conduct' && state.criteria[c.id];
                  const mark = result === 'met' ? '✓' : result === 'partly' ? '◐' : broken ? '✗' : '○';
                  return (
                    <li key={c.id} data-criterion={c.id} data-result={result} class={broken ? 'broken' : result}>
                      <span class="mark" aria-hidden="true">{mark}</span>
                      <span>{c.title}</span>
                      <span class="sr-only">{broken ? t('practice.broken') : t(`report.${result}`)}</span>
                    </li>
                  );
                })}
              </ul>
            )}
          </Loading>
        </section>
      </aside>
    </div>
  );
}
