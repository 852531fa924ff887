// Parley browser client: a dependency-free ES module speaking protocol v1 (docs/protocol.md).
//
//   import { ParleyClient, ParleyAccounts } from "/client/parley.js";
//   const { token } = await new ParleyAccounts().login("alice", "correct horse battery");
//   const chat = new ParleyClient({ token });
//   chat.addEventListener("message", (e) => console.log(e.detail.body.text));
//   await chat.connect();
//   await chat.send(conversationId, "hello");
//
// Commands return promises; server pushes are DOM events on the client (`message`,
// `typing`, `presence`, `receipt`, `conversation`, `state`). The client reconnects with
// jittered exponential backoff, resumes every conversation it has seen from its last seq,
// fills gaps with `history`, and delivers each message once, in seq order. Sends made while
// offline wait in an outbox and keep their clientMsgId, so a retry never duplicates.

export const SUBPROTOCOL = "parley.v1";

/** An error reply: `code` is the protocol's stable error code. */
export class ParleyError extends Error {
  constructor(code, message, retryable = false, retryAfterMs = undefined) {
    super(message);
    this.name = "ParleyError";
    this.code = code;
    this.retryable = retryable;
    this.retryAfterMs = retryAfterMs;
  }
}

function defaultUrl() {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  return `${proto}//${location.host}/ws`;
}

function newClientMsgId() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export class ParleyClient extends EventTarget {
  /**
   * @param {object} options
   * @param {string|function():string|Promise<string>} options.token session token, or a function returning one
   * @param {string} [options.url] WebSocket URL; defaults to /ws on this page's host
   * @param {number} [options.requestTimeoutMs=15000]
   * @param {number} [options.reconnectMinMs=250]
   * @param {number} [options.reconnectMaxMs=30000]
   * @param {number} [options.outboxMax=1000]
   * @param {number} [options.receiptDelayMs=100] receipts within this window are sent as one (the highest seq)
   */
  constructor(options) {
    super();
    this.url = options.url ?? defaultUrl();
    this.token = options.token;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 15000;
    this.reconnectMinMs = options.reconnectMinMs ?? 250;
    this.reconnectMaxMs = options.reconnectMaxMs ?? 30000;
    this.outboxMax = options.outboxMax ?? 1000;
    this.clientName = options.clientName ?? "parley-js";
    this.state = "idle";
    this.user = null;
    this.limits = null;
    this._ws = null;
    this._nextId = 1;
    this._pending = new Map(); // id -> {resolve, reject, timer, frame, resend}
    this._outbox = []; // send frames waiting for a connection
    this._lastSeq = new Map(); // conversationId -> highest seq delivered in order
    this._held = new Map(); // conversationId -> Map(seq -> message) waiting for a gap to fill
    this._filling = new Set();
    this._attempt = 0;
    this._closed = false;
    this._idleTimer = null;
    this._reconnectTimer = null;
    this._connectWaiters = [];
    this._helloReply = null;
    this._receipts = new Map(); // "conversationId kind" -> highest receipt frame not sent yet
    this._receiptTimer = null;
    this.receiptDelayMs = options.receiptDelayMs ?? 100;
    this._onOnline = () => {
      // The network is back: try now instead of waiting out the backoff.
      if (this.state === "disconnected" && !this._closed) {
        this._attempt = 0;
        this._open();
      }
    };
    globalThis.addEventListener?.("online", this._onOnline);
  }

  /** Connects (and keeps reconnecting). Resolves with the hello reply. */
  connect() {
    this._closed = false;
    if (this.state === "connected") return Promise.resolve(this._helloReply);
    return new Promise((resolve, reject) => {
      this._connectWaiters.push({ resolve, reject });
      // Already connecting: wait for that attempt instead of opening a second socket.
      if (this.state !== "connecting") this._open();
    });
  }

  /** Closes for good (code 1000); pending commands fail with `unavailable`. */
  close() {
    this._closed = true;
    clearTimeout(this._reconnectTimer);
    clearTimeout(this._idleTimer);
    globalThis.removeEventListener?.("online", this._onOnline);
    const error = new ParleyError("unavailable", "client closed", true);
    if (this._ws) this._ws.close(1000, "bye");
    this._failPending(error);
    for (const w of this._connectWaiters.splice(0)) w.reject(error);
    this._receipts.clear();
    clearTimeout(this._receiptTimer);
    this._setState("closed");
  }

  // ------------------------------------------------------------------ commands

  createDirect(userId) {
    return this.request("conversation.create", { kind: "direct", userId }).then((r) => this._seen(r.conversation));
  }

  createGroup(name, memberIds) {
    return this.request("conversation.create", { kind: "group", name, memberIds }).then((r) => this._seen(r.conversation));
  }

  addMember(conversationId, userId) {
    return this.request("conversation.addMember", { conversationId, userId });
  }

  members(conversationId) {
    return this.request("conversation.members", { conversationId }).then((r) => r.members);
  }

  async conversations(limit, cursor) {
    const r = await this.request("conversations", { limit, cursor });
    for (const c of r.conversations) this._seen(c);
    return r;
  }

  history(conversationId, { beforeSeq, afterSeq, limit } = {}) {
    return this.request("history", { conversationId, beforeSeq, afterSeq, limit });
  }

  /** Sends a text message; resolves with the stored message. Queued while offline. */
  send(conversationId, text, { clientMsgId, replyTo } = {}) {
    const frame = { type: "send", conversationId, clientMsgId: clientMsgId ?? newClientMsgId(), body: { text }, replyTo };
    return new Promise((resolve, reject) => {
      const entry = { resolve: (r) => resolve(r.message), reject, frame, resend: true };
      if (this._closed) {
        reject(new ParleyError("unavailable", "client closed", false));
      } else if (this.state === "connected") {
        this._dispatch(entry);
      } else if (this._outbox.length >= this.outboxMax) {
        reject(new ParleyError("unavailable", "outbox full while offline", true));
      } else {
        this._outbox.push(entry);
      }
    });
  }

  typing(conversationId, state) {
    this._fire({ type: "typing", conversationId, state });
  }

  markDelivered(conversationId, seq) {
    this._receipt(conversationId, "delivered", seq);
  }

  markRead(conversationId, seq) {
    this._receipt(conversationId, "read", seq);
  }

  // Cursors only move forward, so only the highest receipt per conversation and kind matters:
  // receipts are coalesced for receiptDelayMs (a burst of replayed messages costs one frame,
  // not one per message, and stays under the server's rate limit), and kept while offline so
  // that reading during an outage still moves the cursor after the reconnect.
  _receipt(conversationId, kind, seq) {
    if (this._closed) return;
    const key = `${conversationId} ${kind}`;
    if ((this._receipts.get(key)?.seq ?? -1) < seq) {
      this._receipts.set(key, { type: "receipt", conversationId, kind, seq });
    }
    if (this.state === "connected" && this._receiptTimer === null) {
      this._receiptTimer = setTimeout(() => this._flushReceipts(), this.receiptDelayMs);
    }
  }

  _flushReceipts() {
    clearTimeout(this._receiptTimer);
    this._receiptTimer = null;
    if (this.state !== "connected") return; // kept for the next connection
    for (const [key, frame] of this._receipts) {
      // "read" moves "delivered" as well: a delivered receipt at or below it says nothing new
      if (frame.kind === "delivered" && (this._receipts.get(`${frame.conversationId} read`)?.seq ?? -1) >= frame.seq) continue;
      this._ws.send(JSON.stringify(frame));
    }
    this._receipts.clear();
  }

  presence(userIds) {
    return this.request("presence", { userIds }).then((r) => r.presence);
  }

  /** Sends any command; resolves with the reply, rejects with a ParleyError. */
  request(type, fields = {}) {
    return new Promise((resolve, reject) => {
      const entry = { resolve, reject, frame: { type, ...fields }, resend: false };
      if (this.state !== "connected") {
        reject(new ParleyError("unavailable", "not connected", true));
        return;
      }
      this._dispatch(entry);
    });
  }

  /** The highest seq of a conversation delivered to listeners (0 if none). */
  lastSeq(conversationId) {
    return this._lastSeq.get(conversationId) ?? 0;
  }

  // ------------------------------------------------------------------ connection

  async _open() {
    clearTimeout(this._reconnectTimer);
    this._setState("connecting");
    let token;
    let ws;
    try {
      token = typeof this.token === "function" ? await this.token() : this.token;
      if (this._closed) return;
      ws = new WebSocket(this.url, SUBPROTOCOL);
    } catch (e) {
      this._setState("disconnected");
      this._scheduleReconnect();
      return;
    }
    this._ws = ws;
    ws.onopen = () => this._hello(ws, token);
    ws.onmessage = (e) => this._onFrame(ws, e.data);
    ws.onclose = (e) => this._onClose(ws, e);
    ws.onerror = () => {}; // onclose follows
  }

  async _hello(ws, token) {
    const id = this._nextId++;
    const frame = { id, type: "hello", token, client: { name: this.clientName, version: "1" } };
    const reply = new Promise((resolve, reject) => {
      // A server that accepts the socket but never answers must not leave us "connecting".
      const timer = setTimeout(() => {
        if (this._pending.delete(id)) reject(new ParleyError("unavailable", "hello timed out", true));
      }, this.requestTimeoutMs);
      this._pending.set(id, { resolve, reject, frame, resend: false, timer });
    });
    ws.send(JSON.stringify(frame));
    try {
      const r = await reply;
      this.user = r.user;
      this.limits = r.limits;
      this._pingIntervalMs = r.pingIntervalMs;
      this._touch();
      await this._resume();
      if (ws !== this._ws) return; // dropped while resuming: the next attempt takes over
      this._attempt = 0;
      this._helloReply = r;
      // What waited for the connection goes first, ahead of anything "state" listeners send.
      this.state = "connected";
      this._flushReceipts();
      for (const entry of this._outbox.splice(0)) this._dispatch(entry);
      this._emit("state", { state: "connected" });
      if (ws !== this._ws) return; // a state listener closed us
      for (const w of this._connectWaiters.splice(0)) w.resolve(r);
    } catch (e) {
      if (e.code === "unauthenticated") {
        this._closed = true;
        for (const w of this._connectWaiters.splice(0)) w.reject(e);
        this._setState("unauthenticated");
      }
      ws.close();
    }
  }

  async _resume() {
    if (this._lastSeq.size === 0) return;
    const conversations = Object.fromEntries(this._lastSeq);
    const r = await this._requestNow("resume", { conversations });
    for (const id of r.forbidden ?? []) {
      // no longer a member: stop resuming it
      this._lastSeq.delete(id);
      this._held.delete(id);
    }
    for (const id of r.truncated ?? []) await this._fill(id);
  }

  _onClose(ws, e) {
    if (ws !== this._ws) return;
    clearTimeout(this._idleTimer);
    this._ws = null;
    // In-flight sends go back to the front of the outbox, in their original order and with
    // the same clientMsgId; other commands fail.
    const resend = [];
    for (const entry of this._pending.values()) {
      clearTimeout(entry.timer);
      if (entry.resend) resend.push(entry);
      else entry.reject(new ParleyError("unavailable", `connection closed (${e.code})`, true));
    }
    this._pending.clear();
    this._outbox.unshift(...resend);
    if (e.code === 4401) this._closed = true;
    if (this._closed) {
      const unauthenticated = e.code === 4401 || this.state === "unauthenticated";
      // Nothing will be sent any more: settle whatever still waits.
      const error = unauthenticated
        ? new ParleyError("unauthenticated", "session revoked or invalid", false)
        : new ParleyError("unavailable", "client closed", false);
      this._failPending(error);
      for (const w of this._connectWaiters.splice(0)) w.reject(error);
      this._receipts.clear();
      this._setState(unauthenticated ? "unauthenticated" : "closed");
      return;
    }
    this._setState("disconnected");
    this._scheduleReconnect();
  }

  _scheduleReconnect() {
    clearTimeout(this._reconnectTimer);
    const cap = Math.min(this.reconnectMaxMs, this.reconnectMinMs * 2 ** this._attempt++);
    const delay = Math.random() * cap; // full jitter
    this._reconnectTimer = setTimeout(() => this._open(), delay);
  }

  _touch() {
    clearTimeout(this._idleTimer);
    if (!this._pingIntervalMs) return;
    this._idleTimer = setTimeout(() => {
      const ws = this._ws;
      if (!ws) return;
      // A dead peer may never complete the closing handshake: give up on the socket now
      // instead of waiting for its close event.
      ws.close(4000, "no frame from server");
      this._onClose(ws, { code: 4000 });
    }, 2 * this._pingIntervalMs);
  }

  _onFrame(ws, text) {
    if (ws !== this._ws) return;
    this._touch();
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if ("re" in frame) {
      const entry = this._pending.get(frame.re);
      if (!entry) return;
      this._pending.delete(frame.re);
      clearTimeout(entry.timer);
      if (frame.error) {
        const err = frame.error;
        entry.reject(new ParleyError(err.code, err.message, err.retryable, err.retryAfterMs));
      } else {
        if (frame.message) this._onMessage(frame.message);
        entry.resolve(frame);
      }
      return;
    }
    switch (frame.type) {
      case "ping":
        ws.send('{"type":"pong"}');
        break;
      case "message":
        this._onMessage(frame.message);
        break;
      case "conversation":
        this._seen(frame.conversation);
        this._emit("conversation", frame.conversation);
        break;
      case "typing":
      case "presence":
      case "receipt": {
        const { type, ...detail } = frame;
        this._emit(type, detail);
        break;
      }
      default:
        break; // unknown events are ignored (forward compatibility)
    }
  }

  // Delivers messages once and in seq order; a gap is filled from history first.
  _onMessage(message) {
    const id = message.conversationId;
    const last = this._lastSeq.get(id);
    if (last === undefined) {
      // First sight of this conversation: start from here.
      this._lastSeq.set(id, message.seq);
      this._emit("message", message);
      return;
    }
    if (message.seq <= last) return;
    if (message.seq === last + 1) {
      this._lastSeq.set(id, message.seq);
      this._emit("message", message);
      this._drainHeld(id);
      return;
    }
    if (!this._held.has(id)) this._held.set(id, new Map());
    this._held.get(id).set(message.seq, message);
    this._fill(id);
  }

  _drainHeld(id) {
    const held = this._held.get(id);
    if (!held) return;
    for (;;) {
      const next = held.get(this._lastSeq.get(id) + 1);
      if (!next) break;
      held.delete(next.seq);
      this._lastSeq.set(id, next.seq);
      this._emit("message", next);
    }
    for (const seq of held.keys()) if (seq <= this._lastSeq.get(id)) held.delete(seq);
  }

  async _fill(id) {
    if (this._filling.has(id)) return;
    this._filling.add(id);
    try {
      for (;;) {
        const r = await this._requestNow("history", { conversationId: id, afterSeq: this._lastSeq.get(id) ?? 0, limit: 100 });
        for (const m of r.messages) this._onMessage(m);
        if (!r.hasMore) break;
      }
    } catch {
      // retried on the next gap or reconnect
    } finally {
      this._filling.delete(id);
    }
  }

  _seen(conversation) {
    if (conversation && !this._lastSeq.has(conversation.id)) {
      this._lastSeq.set(conversation.id, conversation.lastSeq ?? 0);
    }
    return conversation;
  }

  _requestNow(type, fields) {
    return new Promise((resolve, reject) => this._dispatch({ resolve, reject, frame: { type, ...fields }, resend: false }));
  }

  _dispatch(entry) {
    const id = this._nextId++;
    entry.timer = setTimeout(() => {
      if (this._pending.delete(id)) entry.reject(new ParleyError("unavailable", "request timed out", true));
    }, this.requestTimeoutMs);
    this._pending.set(id, entry);
    this._ws.send(JSON.stringify({ id, ...entry.frame }));
  }

  _fire(frame) {
    if (this.state === "connected") this._ws.send(JSON.stringify(frame));
  }

  _failPending(error) {
    for (const [, entry] of this._pending) {
      clearTimeout(entry.timer);
      entry.reject(error);
    }
    this._pending.clear();
    for (const entry of this._outbox.splice(0)) entry.reject(error);
  }

  _setState(state) {
    if (this.state === state) return;
    this.state = state;
    this._emit("state", { state });
  }

  _emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

/** The account endpoints of the HTTP API (docs/http-api.md). */
export class ParleyAccounts {
  constructor(baseUrl = "") {
    this.baseUrl = baseUrl;
  }

  register(username, password, displayName) {
    return this._post("/api/v1/auth/register", { username, password, displayName });
  }

  /** Resolves `{token, userId, expiresAt}` or `{challenge: "totp", challengeId}`. */
  login(username, password) {
    return this._post("/api/v1/auth/login", { username, password });
  }

  loginTotp(challengeId, { code, recoveryCode }) {
    return this._post("/api/v1/auth/login/totp", { challengeId, code, recoveryCode });
  }

  logout(token) {
    return this._post("/api/v1/auth/logout", undefined, token);
  }

  async _post(path, body, token) {
    const headers = { "Content-Type": "application/json" };
    if (token) headers.Authorization = `Bearer ${token}`;
    const res = await fetch(this.baseUrl + path, { method: "POST", headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.status === 204) return {};
    const json = await res.json().catch(() => ({}));
    if (!res.ok) {
      const err = json.error ?? { code: "internal", message: `HTTP ${res.status}` };
      throw new ParleyError(err.code, err.message, err.retryable, err.retryAfterMs);
    }
    return json;
  }
}
