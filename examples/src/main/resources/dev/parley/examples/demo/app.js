// The demo chat UI: plain DOM on top of the Parley browser client.
import { ParleyClient, ParleyAccounts, ParleyError } from "/client/parley.js";

const $ = (id) => document.getElementById(id);
const accounts = new ParleyAccounts();
const TOKEN_KEY = "parley.token";
const TYPING_SEND_EVERY_MS = 3000; // the server turns a start into stop after 5 s without refresh
const TYPING_SHOW_MAX_MS = 7000; // a start whose stop we missed (connection lost) fades anyway

let chat = null;
let me = null;
let current = null; // open conversation id
let everConnected = false;
const conversations = new Map(); // id -> conversation-list entry
const members = new Map(); // conversationId -> Map(userId -> {userId, deliveredSeq, readSeq})
const names = new Map(); // userId -> display name
const presence = new Map(); // userId -> {status, lastSeenAt?}
const typing = new Map(); // userId -> {name, timer} for the open conversation
const pending = new Map(); // conversationId -> Map(clientMsgId -> {text, error?})
let challengeId = null;

function newClientMsgId() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

// ---------------------------------------------------------------- auth

function setRegistering(registering) {
  $("auth").classList.toggle("registering", registering);
  $("login-button").textContent = registering ? "Create account" : "Log in";
  $("toggle-register").textContent = registering ? "I have an account" : "Create an account";
  $("login-form").password.autocomplete = registering ? "new-password" : "current-password";
  $("login-form").displayName.disabled = !registering;
  $("auth-error").textContent = "";
}

function showAuth(message = "") {
  $("app").hidden = true;
  $("auth").hidden = false;
  $("login-form").hidden = false;
  $("totp-form").hidden = true;
  $("auth-error").textContent = message;
  $("login-form").username.focus();
}

$("toggle-register").addEventListener("click", () => {
  setRegistering(!$("auth").classList.contains("registering"));
  $("login-form").username.focus();
});

$("login-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = e.target;
  const button = $("login-button");
  $("auth-error").textContent = "";
  button.disabled = true;
  try {
    const username = f.username.value.trim();
    if ($("auth").classList.contains("registering")) {
      await accounts.register(username, f.password.value, f.displayName.value.trim() || undefined);
    }
    const r = await accounts.login(username, f.password.value);
    if (r.challenge === "totp") {
      challengeId = r.challengeId;
      $("login-form").hidden = true;
      $("totp-form").hidden = false;
      $("totp-error").textContent = "";
      $("totp-form").reset();
      $("totp-form").code.focus();
      return;
    }
    f.password.value = "";
    start(r.token);
  } catch (err) {
    $("auth-error").textContent = err.message;
  } finally {
    button.disabled = false;
  }
});

$("totp-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const value = e.target.code.value.trim();
  const answer = /^\d{6}$/.test(value.replace(/\s/g, "")) ? { code: value.replace(/\s/g, "") } : { recoveryCode: value };
  $("totp-error").textContent = "";
  try {
    const r = await accounts.loginTotp(challengeId, answer);
    $("login-form").password.value = "";
    start(r.token);
  } catch (err) {
    $("totp-error").textContent = err.message;
    e.target.code.select();
  }
});

$("totp-cancel").addEventListener("click", () => {
  challengeId = null;
  showAuth();
});

$("logout").addEventListener("click", async () => {
  const token = sessionStorage.getItem(TOKEN_KEY);
  sessionStorage.removeItem(TOKEN_KEY);
  chat?.close();
  if (token) await accounts.logout(token).catch(() => {});
  location.reload();
});

// ---------------------------------------------------------------- connection

const STATE_TEXT = {
  connecting: "connecting…",
  disconnected: "reconnecting…",
  closed: "offline",
};

async function start(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
  chat?.close();
  for (const m of [conversations, members, names, presence, typing, pending]) m.clear();
  current = null;
  everConnected = false;
  // A chat UI wants a quick way back after an outage: cap the backoff at 5 s (default 30 s).
  const client = new ParleyClient({ token, reconnectMaxMs: 5000 });
  chat = client;
  const on = (type, handler) => client.addEventListener(type, (e) => {
    if (client === chat) handler(e.detail); // events of a client we replaced are stale
  });
  on("state", (d) => onState(d.state));
  on("message", onMessage);
  on("conversation", upsertConversation);
  on("typing", onTyping);
  on("presence", onPresence);
  on("receipt", onReceipt);
  try {
    const hello = await client.connect();
    me = hello.user;
    names.set(me.id, me.name);
  } catch (err) {
    sessionStorage.removeItem(TOKEN_KEY);
    showAuth(err.code === "unauthenticated" ? "Your session has ended: please log in again." : err.message);
    return;
  }
  $("auth").hidden = true;
  $("app").hidden = false;
  $("me-name").textContent = me.name;
  showChat(null);
  await refresh();
  $("new-direct").username.focus();
}

function onState(state) {
  // once connected, the attempts of an outage all read "reconnecting" (no flicker between them)
  $("conn-state").textContent = everConnected && state === "connecting" ? STATE_TEXT.disconnected : (STATE_TEXT[state] ?? "");
  $("conn-state").dataset.state = state;
  if (state === "unauthenticated") {
    sessionStorage.removeItem(TOKEN_KEY);
    showAuth("Your session has ended: please log in again.");
  } else if (state === "connected") {
    if (everConnected) refresh(); // back after an outage: catch up on what events we missed
    everConnected = true;
  } else {
    // offline: who is typing or online is unknown until the refresh after the reconnect
    for (const t of typing.values()) clearTimeout(t.timer);
    typing.clear();
    renderTyping();
    presence.clear();
    renderList();
    renderPresence();
  }
}

/** Reloads the list, unread counts, presence and the open conversation's receipts. */
async function refresh() {
  try {
    const { conversations: list } = await chat.conversations(100);
    for (const c of list) conversations.set(c.id, { ...conversations.get(c.id), ...c });
    if (current && conversations.has(current)) {
      const c = conversations.get(current);
      await loadMembers(current);
      markRead(c);
      rerenderTicks();
    }
    await refreshPresence([...conversations.values()].flatMap((c) => c.memberIds));
    await ensureNames([...conversations.values()].flatMap((c) => c.memberIds));
  } catch (err) {
    if (!(err instanceof ParleyError)) throw err;
    // disconnected again: the next "connected" refreshes
  }
  renderList();
  renderPresence();
}

async function refreshPresence(userIds) {
  const ids = [...new Set(userIds)].filter((id) => id !== me.id);
  for (let i = 0; i < ids.length; i += 100) {
    for (const p of await chat.presence(ids.slice(i, i + 100))) presence.set(p.userId, p);
  }
  renderList();
  renderPresence();
}

// ---------------------------------------------------------------- users

async function api(path, init = {}) {
  const headers = { Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}`, ...(init.headers ?? {}) };
  const res = await fetch(path, { ...init, headers });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new ParleyError(json.error?.code ?? "internal", json.error?.message ?? `HTTP ${res.status}`);
  return json;
}

async function userByName(username) {
  const wanted = username.trim().replace(/^@/, "").toLowerCase();
  if (!wanted) throw new ParleyError("bad_request", "enter a username");
  const { users } = await api(`/api/v1/users?query=${encodeURIComponent(wanted)}&limit=5`);
  const exact = users.find((u) => u.username === wanted);
  if (!exact) throw new ParleyError("not_found", `no user named ${wanted}`);
  names.set(exact.id, exact.name);
  return exact;
}

/** Fetches the display names not known yet, then re-renders what shows them. */
async function ensureNames(userIds) {
  const missing = [...new Set(userIds)].filter((id) => !names.has(id));
  if (!missing.length) return;
  await Promise.all(missing.map(async (id) => {
    try {
      names.set(id, (await api(`/api/v1/users/${encodeURIComponent(id)}`)).name);
    } catch (err) {
      if (err.code === "not_found") names.set(id, "Unknown user"); // else: asked again next time
    }
  }));
  renderList();
  renderHeader();
}

function nameOf(userId) {
  return names.get(userId) ?? "…";
}

// ---------------------------------------------------------------- conversations

function otherMember(c) {
  return c.kind === "direct" ? (c.memberIds.find((id) => id !== me.id) ?? me.id) : null;
}

function titleOf(c) {
  return c.kind === "group" ? c.name : nameOf(otherMember(c));
}

function upsertConversation(c) {
  const old = conversations.get(c.id);
  conversations.set(c.id, { unread: 0, readSeq: 0, deliveredSeq: 0, ...old, ...c });
  const newIds = c.memberIds.filter((id) => !old?.memberIds.includes(id));
  if (newIds.length) {
    // Presence is only pushed on changes: ask for the people we just started to share a conversation with.
    refreshPresence(newIds).catch(() => {});
    ensureNames(newIds);
  }
  if (c.id === current) {
    renderHeader();
    if (newIds.length && old) loadMembers(c.id).then(rerenderTicks).catch(() => {});
  }
  renderList();
}

function activity(c) {
  return c.lastMessage?.createdAt ?? c.createdAt;
}

function renderList() {
  if (!me) return;
  const ul = $("conversations");
  const focusedId = document.activeElement?.closest?.("#conversations li")?.dataset.id;
  const sorted = [...conversations.values()].sort((a, b) => activity(b).localeCompare(activity(a)));
  const items = sorted.map((c) => {
    const li = document.createElement("li");
    li.dataset.id = c.id;
    if (c.id === current) li.className = "active";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "conv";
    if (c.id === current) button.setAttribute("aria-current", "true");
    const name = document.createElement("span");
    name.className = "name";
    const other = otherMember(c);
    if (other) {
      const dot = document.createElement("span");
      const on = presence.get(other)?.status === "online";
      dot.className = on ? "dot online" : "dot";
      dot.title = on ? "online" : "offline";
      name.append(dot);
    } else {
      const icon = document.createElement("span");
      icon.className = "group-icon";
      icon.setAttribute("aria-hidden", "true");
      icon.textContent = "#";
      name.append(icon);
    }
    name.append(titleOf(c));
    const last = document.createElement("span");
    last.className = "last";
    if (c.lastMessage) {
      const who = c.lastMessage.senderId === me.id ? "You: " : c.kind === "group" ? `${nameOf(c.lastMessage.senderId)}: ` : "";
      last.textContent = who + (c.lastMessage.deleted ? "message deleted" : (c.lastMessage.body?.text ?? ""));
    } else {
      last.textContent = "No messages yet";
    }
    button.append(name);
    if (c.unread > 0) {
      const badge = document.createElement("span");
      badge.className = "unread";
      badge.textContent = c.unread > 99 ? "99+" : String(c.unread);
      badge.setAttribute("aria-label", `${c.unread} unread`);
      button.append(badge);
    }
    button.append(last);
    button.addEventListener("click", () => open(c.id));
    li.append(button);
    return li;
  });
  ul.replaceChildren(...items);
  $("no-conversations").hidden = items.length > 0;
  if (focusedId) ul.querySelector(`li[data-id="${CSS.escape(focusedId)}"] .conv`)?.focus();
  const unread = sorted.reduce((n, c) => n + (c.unread > 0 ? c.unread : 0), 0);
  document.title = unread ? `(${unread}) Parley chat` : "Parley chat";
}

$("new-direct").addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = e.target;
  $("sidebar-error").textContent = "";
  try {
    const user = await userByName(f.username.value);
    if (user.id === me.id) throw new ParleyError("bad_request", "that is you: pick someone else");
    const c = await chat.createDirect(user.id);
    upsertConversation(c);
    f.reset();
    await open(c.id);
  } catch (err) {
    $("sidebar-error").textContent = err.message;
  }
});

$("new-group").addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = e.target;
  $("sidebar-error").textContent = "";
  try {
    const usernames = [...new Set(f.members.value.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean))];
    const ids = [];
    for (const u of usernames) {
      const user = await userByName(u);
      if (user.id !== me.id) ids.push(user.id);
    }
    const c = await chat.createGroup(f.elements.namedItem("name").value.trim(), ids);
    upsertConversation(c);
    f.reset();
    f.closest("details").open = false;
    await open(c.id);
  } catch (err) {
    $("sidebar-error").textContent = err.message;
  }
});

$("add-member").addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = e.target;
  $("chat-error").textContent = "";
  try {
    const user = await userByName(f.username.value);
    await chat.addMember(current, user.id);
    f.reset();
  } catch (err) {
    $("chat-error").textContent = err.message;
  }
});

$("back").addEventListener("click", () => {
  const was = current;
  showChat(null);
  renderList();
  $("conversations").querySelector(`li[data-id="${CSS.escape(was ?? "")}"] .conv`)?.focus();
});

document.addEventListener("keydown", (e) => {
  if (e.key === "Escape" && current && $("app").classList.contains("in-chat") && getComputedStyle($("back")).display !== "none") {
    $("back").click();
  }
});

// ---------------------------------------------------------------- messages

/** Shows one conversation (or none) in the chat pane. */
function showChat(id) {
  current = id;
  for (const t of typing.values()) clearTimeout(t.timer);
  typing.clear();
  renderTyping();
  $("chat-error").textContent = "";
  $("app").classList.toggle("in-chat", id !== null);
  $("messages").replaceChildren();
  $("composer").hidden = id === null;
  $("add-member").hidden = true;
  $("empty-chat").hidden = id !== null;
  renderHeader();
}

function renderHeader() {
  const c = conversations.get(current);
  $("chat-title").textContent = c ? titleOf(c) : "Pick a conversation";
  $("add-member").hidden = c?.kind !== "group";
  $("chat-members").textContent = c?.kind === "group" ? `${c.memberIds.length} members` : "";
  renderPresence();
}

async function open(id) {
  const c = conversations.get(id);
  if (!c) return;
  showChat(id);
  renderList();
  const text = $("composer").text;
  text.value = drafts.get(id) ?? "";
  try {
    await loadMembers(id);
    const { messages, hasMore } = await chat.history(id, { limit: PAGE });
    if (current !== id) return; // another conversation was opened meanwhile
    for (const m of messages) appendMessage(m);
    setLoadEarlier(hasMore);
    renderPending(id);
    markRead(conversations.get(id));
    renderList();
  } catch (err) {
    if (current === id) $("chat-error").textContent = `Could not load messages: ${err.message}`;
  }
  if (current === id) text.focus();
}

const PAGE = 50;

/** A "load earlier messages" button at the top of the list while older pages exist. */
function setLoadEarlier(hasMore) {
  const ol = $("messages");
  ol.querySelector("li.more")?.remove();
  if (!hasMore) return;
  const li = document.createElement("li");
  li.className = "more";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "link";
  button.textContent = "Load earlier messages";
  button.addEventListener("click", async () => {
    const id = current;
    const first = ol.querySelector("li[data-seq]");
    if (!first) return;
    button.disabled = true;
    try {
      const { messages, hasMore: more } = await chat.history(id, { beforeSeq: Number(first.dataset.seq), limit: PAGE });
      if (current !== id) return;
      const height = ol.scrollHeight;
      const top = ol.scrollTop;
      for (const m of messages) appendMessage(m, { keepScroll: true });
      ol.scrollTop = top + (ol.scrollHeight - height); // keep what was on screen in place
      setLoadEarlier(more);
      ol.querySelector("li.more button")?.focus();
    } catch (err) {
      $("chat-error").textContent = err.message;
      button.disabled = false;
    }
  });
  li.append(button);
  ol.prepend(li);
}

async function loadMembers(id) {
  const list = await chat.members(id);
  members.set(id, new Map(list.map((m) => [m.userId, m])));
}

function renderPresence() {
  const c = conversations.get(current);
  const el = $("chat-presence");
  if (!c || c.kind !== "direct") {
    el.textContent = "";
    el.className = "presence";
    return;
  }
  const p = presence.get(otherMember(c));
  if (p?.status === "online") {
    el.textContent = "online";
  } else if (p?.lastSeenAt) {
    el.textContent = `last seen ${formatWhen(p.lastSeenAt)}`;
  } else {
    el.textContent = p ? "offline" : "";
  }
  el.className = p?.status === "online" ? "presence online" : "presence";
}

function formatWhen(iso) {
  const d = new Date(iso);
  const time = d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  return d.toDateString() === new Date().toDateString() ? `at ${time}` : `${d.toLocaleDateString()} ${time}`;
}

function ticksFor(m) {
  const cursors = members.get(m.conversationId);
  if (!cursors) return "sent";
  const others = [...cursors.values()].filter((x) => x.userId !== me.id);
  if (others.length && others.every((x) => x.readSeq >= m.seq)) return "read";
  if (others.length && others.every((x) => x.deliveredSeq >= m.seq)) return "delivered";
  return "sent";
}

function renderTicks(li) {
  const span = li.querySelector(".ticks");
  if (!span || !li._message) return;
  const state = ticksFor(li._message);
  span.textContent = state === "sent" ? "✓" : "✓✓";
  span.className = `ticks ${state}`;
  span.title = state;
  span.setAttribute("aria-label", state);
}

function rerenderTicks() {
  for (const li of $("messages").querySelectorAll(".msg.mine")) renderTicks(li);
}

function messageItem(text, mine) {
  const li = document.createElement("li");
  li.className = mine ? "msg mine" : "msg";
  const body = document.createElement("span");
  body.className = "text";
  body.textContent = text;
  li.append(body);
  const meta = document.createElement("span");
  meta.className = "meta";
  li.append(meta);
  return li;
}

function appendMessage(m, { keepScroll = false } = {}) {
  if (m.conversationId !== current) return;
  const ol = $("messages");
  if (ol.querySelector(`li[data-seq="${m.seq}"]`)) return;
  ol.querySelector(`li[data-client-msg-id="${CSS.escape(m.clientMsgId ?? "")}"]`)?.remove();
  const mine = m.senderId === me.id;
  const li = messageItem(m.deleted ? "message deleted" : (m.body?.text ?? ""), mine);
  li.dataset.seq = m.seq;
  li.dataset.id = m.id;
  li._message = m;
  const c = conversations.get(m.conversationId);
  if (!mine && c?.kind === "group") {
    const author = document.createElement("span");
    author.className = "author";
    author.dataset.userId = m.senderId;
    author.textContent = nameOf(m.senderId);
    li.prepend(author);
    if (!names.has(m.senderId)) {
      ensureNames([m.senderId]).then(() => { author.textContent = nameOf(m.senderId); });
    }
  }
  const meta = li.querySelector(".meta");
  const time = document.createElement("time");
  time.dateTime = m.createdAt;
  time.textContent = new Date(m.createdAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  meta.append(time);
  if (mine) {
    const ticks = document.createElement("span");
    ticks.className = "ticks";
    meta.append(" ", ticks);
  }
  // keep seq order even if an older page arrives late; pending sends stay last
  const after = [...ol.children].find((x) => x.classList.contains("pending") || Number(x.dataset.seq) > m.seq);
  const atBottom = ol.scrollHeight - ol.scrollTop - ol.clientHeight < 40;
  ol.insertBefore(li, after ?? null);
  if (mine) renderTicks(li);
  if (!keepScroll && (mine || atBottom || !after)) ol.scrollTop = ol.scrollHeight;
}

/** Sends not confirmed yet, shown greyed after the stored messages. */
function renderPending(conversationId) {
  if (conversationId !== current) return;
  const ol = $("messages");
  for (const li of ol.querySelectorAll("li.pending")) li.remove();
  for (const [clientMsgId, p] of pending.get(conversationId) ?? []) {
    const li = messageItem(p.text, true);
    li.classList.add("pending");
    li.dataset.clientMsgId = clientMsgId;
    const meta = li.querySelector(".meta");
    if (p.error) {
      li.classList.add("failed");
      meta.textContent = `Not sent: ${p.error} `;
      const retry = document.createElement("button");
      retry.type = "button";
      retry.className = "link retry";
      retry.textContent = "Retry";
      retry.addEventListener("click", () => sendText(conversationId, p.text, clientMsgId));
      meta.append(retry);
    } else {
      meta.textContent = chat.state === "connected" ? "sending…" : "waiting for connection…";
    }
    ol.append(li);
  }
  ol.scrollTop = ol.scrollHeight;
}

function onMessage(m) {
  let c = conversations.get(m.conversationId);
  if (!c) {
    refresh(); // a conversation we have not heard of: reload the list
    return;
  }
  const visible = m.conversationId === current && document.visibilityState === "visible";
  c.lastMessage = m;
  c.lastSeq = Math.max(c.lastSeq ?? 0, m.seq);
  if (m.senderId !== me.id) {
    if (!visible && m.seq > (c.readSeq ?? 0)) c.unread = (c.unread ?? 0) + 1;
    chat.markDelivered(m.conversationId, m.seq);
  }
  pending.get(m.conversationId)?.delete(m.clientMsgId);
  if (m.conversationId === current) {
    appendMessage(m);
    clearTyping(m.senderId);
    if (visible) markRead(c);
  }
  renderList();
}

function markRead(c) {
  if (!c || !c.lastSeq) return;
  if ((c.readSeq ?? 0) >= c.lastSeq && !c.unread) return;
  chat.markRead(c.id, c.lastSeq);
  c.readSeq = c.lastSeq;
  c.unread = 0;
}

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && current) {
    markRead(conversations.get(current));
    renderList();
  }
});

function onReceipt(r) {
  const cursors = members.get(r.conversationId);
  if (!cursors) return;
  const m = cursors.get(r.userId) ?? { userId: r.userId, deliveredSeq: 0, readSeq: 0 };
  if (r.kind === "read") m.readSeq = Math.max(m.readSeq, r.seq);
  m.deliveredSeq = Math.max(m.deliveredSeq, r.seq);
  cursors.set(r.userId, m);
  if (r.conversationId === current) rerenderTicks();
}

// ---------------------------------------------------------------- composing

const drafts = new Map(); // conversationId -> unsent text
let lastTypingSent = 0;

$("composer").text.addEventListener("input", (e) => {
  if (!current) return;
  const text = e.target.value;
  drafts.set(current, text);
  const now = Date.now();
  if (!text.trim()) {
    if (lastTypingSent) chat.typing(current, "stop");
    lastTypingSent = 0;
  } else if (now - lastTypingSent > TYPING_SEND_EVERY_MS) {
    chat.typing(current, "start");
    lastTypingSent = now;
  }
});

$("composer").text.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    $("composer").requestSubmit();
  }
});

$("composer").addEventListener("submit", (e) => {
  e.preventDefault();
  const text = e.target.text.value;
  if (!text.trim() || !current) return;
  e.target.text.value = "";
  drafts.delete(current);
  lastTypingSent = 0;
  sendText(current, text, newClientMsgId());
});

async function sendText(conversationId, text, clientMsgId) {
  if (!pending.has(conversationId)) pending.set(conversationId, new Map());
  pending.get(conversationId).set(clientMsgId, { text });
  renderPending(conversationId);
  try {
    await chat.send(conversationId, text, { clientMsgId });
    pending.get(conversationId)?.delete(clientMsgId); // normally gone already with the message event
  } catch (err) {
    const p = pending.get(conversationId)?.get(clientMsgId);
    if (p) p.error = err.message;
  }
  renderPending(conversationId);
}

// ---------------------------------------------------------------- typing and presence

function onTyping(t) {
  if (t.conversationId !== current || t.userId === me.id) return;
  clearTimeout(typing.get(t.userId)?.timer);
  if (t.state === "start") {
    const timer = setTimeout(() => clearTyping(t.userId), TYPING_SHOW_MAX_MS);
    typing.set(t.userId, { timer });
    ensureNames([t.userId]).then(renderTyping);
  } else {
    typing.delete(t.userId);
  }
  renderTyping();
}

function clearTyping(userId) {
  clearTimeout(typing.get(userId)?.timer);
  typing.delete(userId);
  renderTyping();
}

function renderTyping() {
  const who = [...typing.keys()].map(nameOf);
  $("typing").textContent = who.length === 0 ? "" : `${who.join(", ")} ${who.length === 1 ? "is" : "are"} typing…`;
}

function onPresence(p) {
  presence.set(p.userId, p);
  renderPresence();
  renderList();
}

// ---------------------------------------------------------------- boot

const saved = sessionStorage.getItem(TOKEN_KEY);
setRegistering(false);
if (saved) start(saved);
else showAuth();
