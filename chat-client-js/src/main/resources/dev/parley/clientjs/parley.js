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
// `message.edited`, `message.deleted`, `reaction`, `thread`, `typing`, `presence`, `receipt`,
// `conversation`, `friend`, `state`, …; docs/browser-client.md lists them). The client
// reconnects with jittered exponential backoff, resumes every conversation it has seen from its
// last seq, fills gaps with `history`, and delivers each message once, in seq order; updates of
// messages (edits, deletes, reactions) reach listeners only for messages already delivered.
// Sends made while offline wait in an outbox and keep their clientMsgId, so a retry never
// duplicates. Files go over HTTP (`uploadFile`, `fetchFile`), with the same token.

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

function httpError(status, json) {
  const err = json?.error ?? { code: "internal", message: `HTTP ${status}` };
  return new ParleyError(err.code, err.message, err.retryable, err.retryAfterMs);
}

function defaultUrl() {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  return `${proto}//${location.host}/ws`;
}

function httpOrigin(wsUrl) {
  const u = new URL(wsUrl);
  return `${u.protocol === "wss:" ? "https:" : "http:"}//${u.host}`;
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
   * @param {string} [options.httpUrl] base URL of the HTTP API; defaults to the origin of `url`
   */
  constructor(options) {
    super();
    this.url = options.url ?? defaultUrl();
    this.httpUrl = options.httpUrl ?? httpOrigin(this.url);
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
    /** Group administration (`group.*` commands); see {@link GroupAdmin}. */
    this.groups = new GroupAdmin(this);
    this._reconnectTimer = null;
    this._connectWaiters = [];
    this._helloReply = null;
    this._currentToken = null; // the token of the last hello, for HTTP calls
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

  /**
   * Sends a message; resolves with the stored message. Queued while offline.
   * `attachments` are upload ids (or the attachments `uploadFile` resolved with); with them,
   * `text` may be empty.
   */
  send(conversationId, text, { clientMsgId, replyTo, threadRootId, mentions, ttlSeconds, attachments } = {}) {
    const body = { text: text ?? "" };
    if (attachments?.length) body.attachments = attachments.map((a) => ({ id: typeof a === "string" ? a : a.id }));
    const frame = {
      type: "send", conversationId, clientMsgId: clientMsgId ?? newClientMsgId(), body,
      replyTo, threadRootId, mentions: mentions?.length ? mentions : undefined, ttlSeconds,
    };
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

  /** Replies in the thread of `rootId` (a message of the same conversation); as `send`. */
  replyInThread(conversationId, rootId, text, options = {}) {
    return this.send(conversationId, text, { ...options, threadRootId: rootId });
  }

  /** Changes a message's text (author only, within the edit window); resolves with the edited message. */
  edit(conversationId, messageId, text) {
    return this.request("message.edit", { conversationId, messageId, body: { text } }).then((r) => r.message);
  }

  /** The texts a message had before its edits, oldest first: `[{body:{text}, editedAt}]`. */
  edits(conversationId, messageId) {
    return this.request("message.edits", { conversationId, messageId }).then((r) => r.edits);
  }

  /** Deletes a message for everyone (`"everyone"`, the default) or hides it for this user (`"me"`). */
  delete(conversationId, messageId, scope = "everyone") {
    return this.request("message.delete", { conversationId, messageId, scope }).then(() => undefined);
  }

  react(conversationId, messageId, emoji) {
    return this.request("reaction.add", { conversationId, messageId, emoji }).then(() => undefined);
  }

  unreact(conversationId, messageId, emoji) {
    return this.request("reaction.remove", { conversationId, messageId, emoji }).then(() => undefined);
  }

  pin(conversationId, messageId) {
    return this.request("message.pin", { conversationId, messageId }).then(() => undefined);
  }

  unpin(conversationId, messageId) {
    return this.request("message.unpin", { conversationId, messageId }).then(() => undefined);
  }

  /** The pinned messages, most recently pinned first. */
  pins(conversationId) {
    return this.request("pins", { conversationId }).then((r) => r.messages);
  }

  /**
   * Full-text search over the caller's conversations: plain words (docs/protocol.md, search).
   * Resolves `{results:[{message, snippet, rank}], nextCursor?}`; `snippet` is plain text with
   * matches between « and » (see `snippetParts`).
   */
  search(query, { conversationId, senderId, after, before, hasAttachment, limit, cursor } = {}) {
    return this.request("search", { query, conversationId, senderId, after, before, hasAttachment, limit, cursor });
  }

  /** Sets the disappearing-messages timer (0 = off, else 5–31536000 s); resolves with the seconds. */
  setExpiry(conversationId, seconds) {
    return this.request("conversation.setExpiry", { conversationId, seconds }).then((r) => r.seconds);
  }

  /** A page of a thread: `{root, readSeq, unread, messages, hasMore}`. */
  threadHistory(conversationId, rootId, { beforeSeq, afterSeq, limit } = {}) {
    return this.request("thread.history", { conversationId, rootId, beforeSeq, afterSeq, limit });
  }

  /** The conversation's threads, newest reply first: `[{root, readSeq, unread}]`. */
  threads(conversationId, { beforeLastReplySeq, limit } = {}) {
    return this.request("threads", { conversationId, beforeLastReplySeq, limit }).then((r) => r.threads);
  }

  /** Moves this user's read cursor of a thread; resolves with the cursor after the command. */
  markThreadRead(conversationId, rootId, seq) {
    return this.request("thread.read", { conversationId, rootId, seq }).then((r) => r.readSeq);
  }

  /** The files of one kind sent in a conversation, newest first: `[{attachment, messageId, seq, senderId, sentAt}]`. */
  gallery(conversationId, kind, { beforeSeq, limit } = {}) {
    return this.request("gallery", { conversationId, kind, beforeSeq, limit }).then((r) => r.items);
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

  // ------------------------------------------------------------------ HTTP: files, users, friends

  /**
   * Uploads a file (a `File` or `Blob`) over HTTP: `POST /api/v1/files?name=…`. Resolves with
   * the attachment the server detected (`{id, name, type, kind, size, width?, height?, …}`);
   * pass it (or its id) to `send` in `attachments`. `onProgress({loaded, total})` follows the
   * upload; `signal` (an AbortSignal) cancels it (the promise rejects with an `AbortError`).
   */
  uploadFile(file, { name, onProgress, signal } = {}) {
    return this._httpToken().then((token) => new Promise((resolve, reject) => {
      const fileName = name ?? file.name;
      const query = fileName ? `?name=${encodeURIComponent(fileName)}` : "";
      const xhr = new XMLHttpRequest();
      xhr.open("POST", `${this.httpUrl}/api/v1/files${query}`);
      xhr.setRequestHeader("Authorization", `Bearer ${token}`);
      xhr.setRequestHeader("Content-Type", "application/octet-stream"); // the server reads the type from the bytes
      xhr.responseType = "text";
      if (onProgress) {
        xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
      }
      xhr.onload = () => {
        let json = {};
        try {
          json = JSON.parse(xhr.responseText || "{}");
        } catch {
          // a proxy's HTML error page: reported by status below
        }
        if (xhr.status === 201 && json.file) {
          onProgress?.({ loaded: file.size, total: file.size });
          resolve(json.file);
        } else {
          reject(httpError(xhr.status, json));
        }
      };
      xhr.onerror = () => reject(new ParleyError("unavailable", "upload failed: network error", true));
      xhr.onabort = () => reject(new DOMException("upload cancelled", "AbortError"));
      if (signal) {
        if (signal.aborted) {
          reject(new DOMException("upload cancelled", "AbortError"));
          return;
        }
        signal.addEventListener("abort", () => xhr.abort(), { once: true });
      }
      xhr.send(file);
    }));
  }

  /**
   * Downloads a file (or its preview, `{preview: true}`) with the token in a header; resolves
   * with a `Blob` (use `URL.createObjectURL` for `<img>`, `<audio>` or a download link).
   */
  async fetchFile(fileId, { preview = false, signal } = {}) {
    const res = await this._fetch(`/api/v1/files/${encodeURIComponent(fileId)}${preview ? "/preview" : ""}`, { signal });
    return res.blob();
  }

  /**
   * A URL of a file (or its preview) that carries the current token as `?access_token=`, for
   * elements that cannot send headers. It ends up in logs and history: prefer `fetchFile`.
   */
  fileUrl(fileId, { preview = false } = {}) {
    if (!this._currentToken) throw new ParleyError("unauthenticated", "not connected yet", false);
    return `${this.httpUrl}/api/v1/files/${encodeURIComponent(fileId)}${preview ? "/preview" : ""}`
      + `?access_token=${encodeURIComponent(this._currentToken)}`;
  }

  /** Users by username (exact match first) or display name: `[{id, name, username?, avatar?}]`. */
  users(query, { limit } = {}) {
    const q = new URLSearchParams({ query });
    if (limit) q.set("limit", String(limit));
    return this.http("GET", `/api/v1/users?${q}`).then((r) => r.users);
  }

  /** One user's profile: `{id, name, avatar?, bio?, createdAt, username?}`. */
  userProfile(userId) {
    return this.http("GET", `/api/v1/users/${encodeURIComponent(userId)}`);
  }

  /** `{friends, incoming, outgoing, blocked, users}` (user ids, and `users` naming them all). */
  friends() {
    return this.http("GET", "/api/v1/me/friends");
  }

  friendRequest(userId) { return this._friend(userId, "request"); }
  friendAccept(userId) { return this._friend(userId, "accept"); }
  friendDecline(userId) { return this._friend(userId, "decline"); }
  friendCancel(userId) { return this._friend(userId, "cancel"); }
  friendRemove(userId) { return this._friend(userId, "remove"); }
  block(userId) { return this._friend(userId, "block"); }
  unblock(userId) { return this._friend(userId, "unblock"); }

  /**
   * Sets the caller's avatar to an NFT they own (`eip155:<chainId>/erc721:<contract>/<tokenId>`,
   * or `erc1155`): the server checks ownership on the chain first. Resolves
   * `{userId, avatar, status: "VERIFIED", owner, checkedAt, user}`; rejects with a ParleyError whose
   * message starts with the reason (`not_owned: …`, `malformed_input: …`). Needs `ChainHttpApi`.
   */
  setNftAvatar(assetId) {
    return this.http("PUT", "/api/v1/me/avatar", { assetId });
  }

  /**
   * Whether a user's NFT avatar is owned: `{userId, avatar, status, owner?, checkedAt?, detail?}`
   * with `status` `VERIFIED`, `NOT_OWNED`, `UNVERIFIABLE`, or `NONE` (the avatar is not an NFT).
   */
  avatarStatus(userId) {
    return this.http("GET", `/api/v1/users/${encodeURIComponent(userId)}/avatar`);
  }

  /**
   * Gates a group (owners and admins): joining needs at least `minimum` of an ERC-20 (smallest
   * unit) or ERC-721 (token count) on `chainId`. `minimum` may be a string, number or bigint.
   * Resolves `{chainId, standard, contract, minimum}`.
   */
  setGate(conversationId, { chainId, standard, contract, minimum }) {
    return this.http("PUT", `/api/v1/conversations/${encodeURIComponent(conversationId)}/gate`,
      { chainId, standard, contract, minimum: String(minimum) }).then((r) => r.gate);
  }

  /** The group's gate `{chainId, standard, contract, minimum}`, or `null` (members only). */
  gate(conversationId) {
    return this.http("GET", `/api/v1/conversations/${encodeURIComponent(conversationId)}/gate`).then((r) => r.gate);
  }

  /** Removes the group's gate (owners and admins); rejects with `not_found` when it has none. */
  removeGate(conversationId) {
    return this.http("DELETE", `/api/v1/conversations/${encodeURIComponent(conversationId)}/gate`)
      .then(() => undefined);
  }

  /**
   * Posts a tip backed by a transaction the caller's wallet sent to `recipientId`'s: the server
   * verifies it on the chain, then posts the tip message. `token` is the ERC-20 contract (left out
   * for ether); `amount` (string, number or bigint) is in the smallest unit. Resolves
   * `{tip: {chainId, txHash, from, to, token, amount, blockNumber}, message}`; rejects e.g. with
   * `unavailable` / `tx_not_confirmed: …` (retry later) or `conflict` / `tx_already_used: …`.
   */
  postTip(conversationId, { recipientId, chainId, txHash, token, amount }) {
    const body = { recipientId, chainId, txHash, amount: String(amount) };
    if (token) body.token = token;
    return this.http("POST", `/api/v1/conversations/${encodeURIComponent(conversationId)}/tips`, body);
  }

  _friend(userId, action) {
    return this.http("POST", `/api/v1/friends/${encodeURIComponent(userId)}/${action}`).then(() => undefined);
  }

  /**
   * Calls the HTTP API with this client's token: resolves with the JSON answer (`{}` for 204),
   * rejects with a ParleyError carrying the API's error code.
   */
  async http(method, path, body) {
    const init = { method };
    if (body !== undefined) {
      init.headers = { "Content-Type": "application/json" };
      init.body = JSON.stringify(body);
    }
    const res = await this._fetch(path, init);
    if (res.status === 204) return {};
    return res.json();
  }

  async _fetch(path, init = {}) {
    const token = await this._httpToken();
    const headers = { ...(init.headers ?? {}), Authorization: `Bearer ${token}` };
    let res;
    try {
      res = await fetch(this.httpUrl + path, { ...init, headers });
    } catch (e) {
      if (e.name === "AbortError") throw e;
      throw new ParleyError("unavailable", `network error: ${e.message}`, true);
    }
    if (!res.ok) throw httpError(res.status, await res.json().catch(() => ({})));
    return res;
  }

  async _httpToken() {
    if (this._currentToken) return this._currentToken;
    return typeof this.token === "function" ? await this.token() : this.token;
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
      this._currentToken = token;
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
        // a send's reply is the stored message: ordered with the pushes (others only reflect state)
        if (frame.message && entry.frame.type === "send") this._onMessage(frame.message);
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
      case "receipt":
      case "pin":
      case "conversation.expiry":
      case "thread.read":
      case "friend": {
        const { type, ...detail } = frame;
        this._emit(type, detail);
        break;
      }
      case "message.edited": {
        const edited = frame.message;
        // a copy held back as a hidden stub stays a stub
        this._update(edited.conversationId, edited.seq, (held) => (held.hidden ? held : edited), "message.edited", edited);
        break;
      }
      case "message.deleted":
        this._update(frame.conversationId, frame.seq, tombstone, "message.deleted", detailOf(frame));
        break;
      case "message.hidden":
        this._update(frame.conversationId, frame.seq, hiddenStub, "message.hidden", detailOf(frame));
        break;
      case "reaction":
        this._update(frame.conversationId, frame.seq, (held) => applyReaction(held, frame, this.user?.id), "reaction", detailOf(frame));
        break;
      case "thread":
        this._update(frame.conversationId, frame.rootSeq, (held) => ({ ...held, thread: frame.thread }), "thread", detailOf(frame));
        break;
      case "message.expired": {
        const delivered = [];
        frame.seqs.forEach((seq, i) => {
          if (this._update(frame.conversationId, seq, expiredTombstone, null, null)) delivered.push(i);
        });
        // listeners hear of the messages they have; the others come as tombstones from history
        if (delivered.length) {
          this._emit("message.expired", {
            conversationId: frame.conversationId,
            messageIds: delivered.map((i) => frame.messageIds[i]),
            seqs: delivered.map((i) => frame.seqs[i]),
          });
        }
        break;
      }
      default:
        break; // unknown events are ignored (forward compatibility)
    }
  }

  /**
   * An update of the message at `seq` (it takes no seq of its own). A message listeners have
   * (or of a conversation not tracked) gets the event; one held back above a gap gets the
   * change on its copy, delivered later; one never received means it was missed: history is
   * paged, which brings its current state, and the update is dropped. Returns whether the
   * event was emitted.
   */
  _update(conversationId, seq, change, type, detail) {
    const last = this._lastSeq.get(conversationId);
    if (last === undefined || seq <= last) {
      if (type) this._emit(type, detail);
      return true;
    }
    const held = this._held.get(conversationId);
    if (held?.has(seq)) {
      held.set(seq, change(held.get(seq)));
    } else {
      this._fill(conversationId);
    }
    return false;
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

function detailOf(frame) {
  const { type, ...detail } = frame;
  return detail;
}

// The changes an update makes to a message (docs/protocol.md, Message), applied to copies
// the client holds back above a gap.
function tombstone(m) {
  const { editedAt, ...rest } = m;
  return { ...rest, deleted: true, body: { text: "" }, reactions: [], mentions: undefined };
}

function expiredTombstone(m) {
  const { editedAt, replyTo, ...rest } = m;
  return { ...rest, deleted: true, expired: true, body: { text: "" }, reactions: [], mentions: undefined };
}

function hiddenStub(m) {
  const { editedAt, replyTo, ...rest } = m;
  return { ...rest, deleted: true, hidden: true, body: { text: "" }, reactions: [], mentions: undefined };
}

const MAX_REACTION_USER_IDS = 10;

/**
 * A message's reactions after a `reaction` event (`{userId, emoji, action}`); `selfId` is this
 * user, whose reactions set `me`. Idempotent for an addition the message already counts.
 */
export function applyReaction(message, event, selfId) {
  const self = event.userId === selfId;
  const added = event.action === "added";
  const out = [];
  let found = false;
  for (const r of message.reactions ?? []) {
    if (r.emoji !== event.emoji) {
      out.push(r);
      continue;
    }
    found = true;
    if (added) {
      if (r.userIds.includes(event.userId) || (self && r.me)) {
        out.push(r); // read after the reaction: counted already
        continue;
      }
      const userIds = r.userIds.length < MAX_REACTION_USER_IDS ? [...r.userIds, event.userId] : r.userIds;
      out.push({ ...r, count: r.count + 1, userIds, me: r.me || self || undefined });
    } else if (r.count > 1) {
      out.push({ ...r, count: r.count - 1, userIds: r.userIds.filter((id) => id !== event.userId), me: (r.me && !self) || undefined });
    }
  }
  if (!found && added) out.push({ emoji: event.emoji, count: 1, userIds: [event.userId], me: self || undefined });
  return { ...message, reactions: out };
}

/**
 * Splits a search `snippet` into `[{text, match}]` parts at its « » markers, so that a page
 * can put each part in a text node (the snippet is plain text, never HTML).
 */
export function snippetParts(snippet) {
  const parts = [];
  const re = /«([^»]*)»/g;
  let at = 0;
  for (let m; (m = re.exec(snippet)) !== null;) {
    if (m.index > at) parts.push({ text: snippet.slice(at, m.index), match: false });
    parts.push({ text: m[1], match: true });
    at = re.lastIndex;
  }
  if (at < snippet.length) parts.push({ text: snippet.slice(at), match: false });
  return parts;
}

/** The `group.*` commands (docs/protocol.md, group administration): `chat.groups.setRole(…)`. */
export class GroupAdmin {
  constructor(client) {
    this._client = client;
  }

  /** `role`: "admin" or "member" (owner only). */
  setRole(conversationId, userId, role) {
    return this._void("group.setRole", { conversationId, userId, role });
  }

  transferOwnership(conversationId, userId) {
    return this._void("group.transferOwnership", { conversationId, userId });
  }

  removeMember(conversationId, userId) {
    return this._void("group.removeMember", { conversationId, userId });
  }

  leave(conversationId) {
    return this._void("group.leave", { conversationId });
  }

  /** `{name?, description?, avatar?}` (`""` clears description or avatar); resolves with the conversation. */
  update(conversationId, { name, description, avatar } = {}) {
    return this._client.request("group.update", { conversationId, name, description, avatar }).then((r) => r.conversation);
  }

  /** `{whoCanPost?, whoCanAdd?, infoEditors?}` ("all" or "admins"), `slowModeSeconds?`; resolves with the conversation. */
  setPermissions(conversationId, { whoCanPost, whoCanAdd, infoEditors, slowModeSeconds } = {}) {
    return this._client.request("group.setPermissions", { conversationId, whoCanPost, whoCanAdd, infoEditors, slowModeSeconds })
      .then((r) => r.conversation);
  }

  /** Resolves with the end of the mute (RFC 3339). */
  mute(conversationId, userId, seconds) {
    return this._client.request("group.mute", { conversationId, userId, seconds }).then((r) => r.mutedUntil);
  }

  unmute(conversationId, userId) {
    return this._void("group.unmute", { conversationId, userId });
  }

  ban(conversationId, userId) {
    return this._void("group.ban", { conversationId, userId });
  }

  unban(conversationId, userId) {
    return this._void("group.unban", { conversationId, userId });
  }

  /** Resolves with `{code, expiresAt?, maxUses?, uses}`. */
  createInvite(conversationId, { expiresInSeconds, maxUses } = {}) {
    return this._client.request("group.invite.create", { conversationId, expiresInSeconds, maxUses }).then((r) => r.invite);
  }

  revokeInvite(conversationId, code) {
    return this._void("group.invite.revoke", { conversationId, code });
  }

  /** Joins by invite code; resolves with the conversation. */
  join(code) {
    return this._client.request("group.join", { code }).then((r) => this._client._seen(r.conversation));
  }

  _void(type, fields) {
    return this._client.request(type, fields).then(() => undefined);
  }
}

// ---------------------------------------------------------------- Sign-In with Ethereum

/** `new ParleyAccounts(options.baseUrl).signInWithEthereum(provider, options)`. */
export function signInWithEthereum(provider, options = {}) {
  return new ParleyAccounts(options.baseUrl ?? "").signInWithEthereum(provider, options);
}

/**
 * The EIP-4361 text of `fields` ({scheme?, domain, address, statement?, uri, version = "1", chainId,
 * nonce, issuedAt, expirationTime?, notBefore?, requestId?, resources?}), line by line as the EIP's ABNF
 * has it. The address must be EIP-55 checksummed (see toChecksumAddress).
 */
export function siweMessage(f) {
  const lines = [`${f.scheme ? f.scheme + "://" : ""}${f.domain} wants you to sign in with your Ethereum account:`, f.address, ""];
  if (f.statement !== undefined && f.statement !== null) lines.push(f.statement);
  lines.push("", `URI: ${f.uri}`, `Version: ${f.version ?? "1"}`, `Chain ID: ${f.chainId}`, `Nonce: ${f.nonce}`, `Issued At: ${f.issuedAt}`);
  if (f.expirationTime) lines.push(`Expiration Time: ${f.expirationTime}`);
  if (f.notBefore) lines.push(`Not Before: ${f.notBefore}`);
  if (f.requestId !== undefined && f.requestId !== null) lines.push(`Request ID: ${f.requestId}`);
  if (f.resources) lines.push("Resources:", ...f.resources.map((r) => `- ${r}`));
  return lines.join("\n");
}

async function walletRequest(provider, method, params) {
  try {
    return await provider.request(params === undefined ? { method } : { method, params });
  } catch (err) {
    // EIP-1193: 4001 is "user rejected the request".
    throw new ParleyError("wallet_refused", `${method}: ${err?.message ?? err}`, false);
  }
}

async function signSiwe(provider, nonce, options) {
  if (!provider || typeof provider.request !== "function") throw new ParleyError("bad_request", "an EIP-1193 provider is required", false);
  const [account] = await walletRequest(provider, "eth_requestAccounts");
  if (!account) throw new ParleyError("wallet_refused", "the wallet gave no account", false);
  const chainId = BigInt(await walletRequest(provider, "eth_chainId")).toString();
  const now = new Date();
  const minutes = options.expirationMinutes ?? 10;
  const message = siweMessage({
    // EIP-4361: without a scheme, https is assumed; name any other (http on a local demo).
    scheme: location.protocol === "https:" ? undefined : location.protocol.slice(0, -1),
    domain: location.host,
    address: toChecksumAddress(account),
    statement: options.statement ?? "Sign in to Parley.",
    uri: location.origin,
    chainId,
    nonce,
    issuedAt: now.toISOString(),
    expirationTime: minutes ? new Date(now.getTime() + minutes * 60_000).toISOString() : undefined,
    resources: options.resources,
  });
  const hex = "0x" + Array.from(new TextEncoder().encode(message), (b) => b.toString(16).padStart(2, "0")).join("");
  const signature = await walletRequest(provider, "personal_sign", [hex, account]);
  return { message, signature };
}

// Keccak-256 (Ethereum's hash, not FIPS SHA3-256), for EIP-55 checksums only: BigInt lanes, one
// short input per sign-in, so clarity wins over speed.
const MASK64 = (1n << 64n) - 1n;
const KECCAK_RC = [
  0x0000000000000001n, 0x0000000000008082n, 0x800000000000808an, 0x8000000080008000n,
  0x000000000000808bn, 0x0000000080000001n, 0x8000000080008081n, 0x8000000000008009n,
  0x000000000000008an, 0x0000000000000088n, 0x0000000080008009n, 0x000000008000000an,
  0x000000008000808bn, 0x800000000000008bn, 0x8000000000008089n, 0x8000000000008003n,
  0x8000000000008002n, 0x8000000000000080n, 0x000000000000800an, 0x800000008000000an,
  0x8000000080008081n, 0x8000000000008080n, 0x0000000080000001n, 0x8000000080008008n,
];
const KECCAK_ROT = [1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44];
const KECCAK_PI = [10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1];
const rotl64 = (x, n) => ((x << BigInt(n)) | (x >> BigInt(64 - n))) & MASK64;

function keccak256(bytes) {
  const rate = 136;
  const padded = new Uint8Array(Math.floor(bytes.length / rate) * rate + rate);
  padded.set(bytes);
  padded[bytes.length] ^= 0x01;
  padded[padded.length - 1] ^= 0x80;
  const s = new Array(25).fill(0n);
  for (let off = 0; off < padded.length; off += rate) {
    for (let i = 0; i < rate / 8; i++) {
      let lane = 0n;
      for (let b = 7; b >= 0; b--) lane = (lane << 8n) | BigInt(padded[off + i * 8 + b]);
      s[i] ^= lane;
    }
    for (let round = 0; round < 24; round++) {
      const c = [0, 1, 2, 3, 4].map((x) => s[x] ^ s[x + 5] ^ s[x + 10] ^ s[x + 15] ^ s[x + 20]);
      for (let x = 0; x < 5; x++) {
        const d = c[(x + 4) % 5] ^ rotl64(c[(x + 1) % 5], 1);
        for (let y = 0; y < 25; y += 5) s[y + x] ^= d;
      }
      let t = s[1];
      for (let i = 0; i < 24; i++) {
        const j = KECCAK_PI[i];
        const tmp = s[j];
        s[j] = rotl64(t, KECCAK_ROT[i]);
        t = tmp;
      }
      for (let y = 0; y < 25; y += 5) {
        const row = s.slice(y, y + 5);
        for (let x = 0; x < 5; x++) s[y + x] = row[x] ^ (~row[(x + 1) % 5] & MASK64 & row[(x + 2) % 5]);
      }
      s[0] ^= KECCAK_RC[round];
    }
  }
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((s[i >> 3] >> BigInt(8 * (i & 7))) & 0xffn);
  return out;
}

/** The EIP-55 mixed-case checksum form of a `0x` address given in any case. */
export function toChecksumAddress(address) {
  if (typeof address !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(address)) throw new ParleyError("bad_request", `not an address: ${address}`, false);
  const lower = address.slice(2).toLowerCase();
  const hash = keccak256(new TextEncoder().encode(lower));
  let out = "0x";
  for (let i = 0; i < 40; i++) {
    const nibble = (hash[i >> 1] >> (i % 2 === 0 ? 4 : 0)) & 0x0f;
    out += nibble >= 8 ? lower[i].toUpperCase() : lower[i];
  }
  return out;
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

  /**
   * Sign-In with Ethereum (EIP-4361) through an EIP-1193 provider (`window.ethereum`): asks the
   * wallet for its account and chain, fetches a nonce, has the wallet `personal_sign` the
   * message (domain `location.host`, URI `location.origin`) and signs in. Resolves like
   * `login`: `{token, userId, sessionId, expiresAt}` or `{challenge: "totp", challengeId}`.
   * Rejects with a ParleyError: the server's (e.g. `unauthenticated`, message `domain_mismatch: …`),
   * or `wallet_refused` when the wallet refused a request (the user closed the prompt).
   *
   * @param provider an EIP-1193 provider
   * @param options  `{statement, expirationMinutes (10), resources}`
   */
  async signInWithEthereum(provider, options = {}) {
    const { nonce } = await this._post("/api/v1/auth/siwe/nonce", {});
    const { message, signature } = await signSiwe(provider, nonce, options);
    return this._post("/api/v1/auth/siwe/login", { message, signature });
  }

  /**
   * Links the provider's wallet to the signed-in account (`token`): the wallet signs a message over
   * a nonce issued to this account only. Resolves `{address, ensName, linkedAt}`; rejects with
   * `conflict` when the wallet belongs to another account.
   */
  async linkWallet(token, provider, options = {}) {
    const { nonce } = await this._post("/api/v1/me/wallets/nonce", {}, token);
    const { message, signature } = await signSiwe(provider, nonce, { statement: "Link this wallet to my Parley account.", ...options });
    return this._post("/api/v1/me/wallets", { message, signature }, token);
  }

  /** The wallets linked to a user (`userId`), or to the caller when it is left out: `[{address, ensName, linkedAt}]`. */
  async wallets(token, userId) {
    const path = userId === undefined ? "/api/v1/me/wallets" : `/api/v1/users/${encodeURIComponent(userId)}/wallets`;
    const res = await fetch(this.baseUrl + path, { headers: { Authorization: `Bearer ${token}` } });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw httpError(res.status, json);
    return json.wallets;
  }

  async unlinkWallet(token, address) {
    const res = await fetch(this.baseUrl + `/api/v1/me/wallets/${encodeURIComponent(address)}`,
      { method: "DELETE", headers: { Authorization: `Bearer ${token}` } });
    if (!res.ok) throw httpError(res.status, await res.json().catch(() => ({})));
  }

  async _post(path, body, token) {
    const headers = { "Content-Type": "application/json" };
    if (token) headers.Authorization = `Bearer ${token}`;
    const res = await fetch(this.baseUrl + path, { method: "POST", headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.status === 204) return {};
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw httpError(res.status, json);
    return json;
  }
}
