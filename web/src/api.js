// The REST API and the session WebSocket, as the console uses them.

export class ApiError extends Error {
  constructor(status, code, message, details, retryAfter) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details || [];
    this.retryAfter = retryAfter;
  }
}

export class Api {
  constructor(token, onUnauthenticated) {
    this.token = token;
    this.onUnauthenticated = onUnauthenticated;
  }

  async request(method, path, body, { raw = false } = {}) {
    const headers = {};
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    let payload;
    if (body instanceof FormData) {
      payload = body;
    } else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, { method, headers, body: payload });
    } catch (e) {
      throw new ApiError(0, 'network', e.message);
    }
    if (raw && response.ok) return response;
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    if (!response.ok) {
      const error = json && json.error ? json.error : { code: 'http_' + response.status, message: text };
      const retry = Number(response.headers.get('Retry-After') || 0);
      if (response.status === 401 && this.token && this.onUnauthenticated) this.onUnauthenticated();
      throw new ApiError(response.status, error.code, error.message, error.details, retry);
    }
    return json;
  }

  get(path) { return this.request('GET', path); }
  post(path, body) { return this.request('POST', path, body); }
  put(path, body) { return this.request('PUT', path, body); }
  del(path) { return this.request('DELETE', path); }
}

export function randomId() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// One practice session over /ws: joins with the last seq seen, reconnects
// after a drop (with back-off) and joins again from there, so no event is
// lost or repeated; a turn sent before a drop is sent again with the same
// turn_id (the server runs it once).
export class SessionSocket {
  constructor({ token, sessionId, onEvent, onStatus, onError }) {
    Object.assign(this, { token, sessionId, onEvent, onStatus, onError });
    this.lastSeq = 0;
    this.pending = new Map(); // turn_id -> text, until its turn.started arrives
    this.closed = false;
    this.attempt = 0;
  }

  open() {
    if (this.closed) return;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}/ws`, ['salesboost.v1', `bearer.${this.token}`]);
    this.ws = ws;
    this.onStatus('connecting');
    ws.onopen = () => {
      this.attempt = 0;
      ws.send(JSON.stringify({ type: 'session.join', session_id: this.sessionId, last_seq: this.lastSeq }));
      for (const [turnId, text] of this.pending) ws.send(JSON.stringify({ type: 'turn', turn_id: turnId, text }));
      this.onStatus('online');
    };
    ws.onmessage = (message) => {
      let event;
      try { event = JSON.parse(message.data); } catch { return; }
      if (event.type === 'error') {
        if (event.turn_id) this.pending.delete(event.turn_id);
        this.onError(event);
        return;
      }
      if (event.type === 'pong') return;
      if (typeof event.seq === 'number') {
        if (event.seq <= this.lastSeq) return;
        this.lastSeq = event.seq;
      }
      if (event.type === 'turn.started' || event.type === 'turn.aborted') this.pending.delete(event.turn_id);
      this.onEvent(event);
    };
    ws.onclose = (close) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.closed || close.code === 4002 || close.code === 1008) {
        this.onStatus(close.code === 4002 ? 'replaced' : 'closed');
        return;
      }
      this.onStatus('offline');
      const delay = Math.min(8000, 250 * 2 ** this.attempt++);
      this.timer = setTimeout(() => this.open(), delay);
    };
  }

  send(text) {
    const turnId = randomId();
    this.pending.set(turnId, text);
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify({ type: 'turn', turn_id: turnId, text }));
    }
    return turnId;
  }

  end() {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: 'session.end' }));
  }

  // For tests and the network panel: drop the connection as a network failure would.
  drop() {
    if (this.ws) this.ws.close(4000, 'dropped');
  }

  close() {
    this.closed = true;
    clearTimeout(this.timer);
    if (this.ws) this.ws.close(1000, 'bye');
  }
}
