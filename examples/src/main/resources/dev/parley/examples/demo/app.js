// The demo chat UI: plain DOM on top of the Parley browser client.
import { ParleyClient, ParleyAccounts, ParleyError } from "/client/parley.js";

const $ = (id) => document.getElementById(id);
const accounts = new ParleyAccounts();
const TOKEN_KEY = "parley.token";

let chat = null;
let me = null;
let current = null; // open conversation id
const conversations = new Map(); // id -> conversation-list entry
const members = new Map(); // conversationId -> Map(userId -> {deliveredSeq, readSeq})
const names = new Map(); // userId -> display name
const online = new Set();
const typingTimers = new Map();
let challengeId = null;

// ---------------------------------------------------------------- auth

function showAuth() {
  $("app").hidden = true;
  $("auth").hidden = false;
  $("login-form").hidden = false;
  $("totp-form").hidden = true;
  $("login-form").username.focus();
}

$("toggle-register").addEventListener("click", () => {
  const registering = $("auth").classList.toggle("registering");
  $("login-button").textContent = registering ? "Create account" : "Log in";
  $("toggle-register").textContent = registering ? "I have an account" : "Create an account";
});

$("login-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = e.target;
  $("auth-error").textContent = "";
  try {
    if ($("auth").classList.contains("registering")) {
      await accounts.register(f.username.value, f.password.value, f.displayName.value || undefined);
    }
    const r = await accounts.login(f.username.value, f.password.value);
    if (r.challenge === "totp") {
      challengeId = r.challengeId;
      $("login-form").hidden = true;
      $("totp-form").hidden = false;
      $("totp-form").code.focus();
      return;
    }
    start(r.token);
  } catch (err) {
    $("auth-error").textContent = err.message;
  }
});

$("totp-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const value = e.target.code.value.trim();
  const answer = /^\d{6}$/.test(value) ? { code: value } : { recoveryCode: value };
  try {
    const r = await accounts.loginTotp(challengeId, answer);
    start(r.token);
  } catch (err) {
    $("totp-error").textContent = err.message;
  }
});

$("logout").addEventListener("click", async () => {
  const token = sessionStorage.getItem(TOKEN_KEY);
  sessionStorage.removeItem(TOKEN_KEY);
  chat?.close();
  if (token) await accounts.logout(token).catch(() => {});
  location.reload();
});

// ---------------------------------------------------------------- connection

async function start(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
  chat = new ParleyClient({ token });
  chat.addEventListener("state", (e) => {
    $("conn-state").textContent = e.detail.state === "connected" ? "" : e.detail.state;
    if (e.detail.state === "unauthenticated") {
      sessionStorage.removeItem(TOKEN_KEY);
      showAuth();
    }
  });
  chat.addEventListener("message", (e) => onMessage(e.detail));
  chat.addEventListener("conversation", (e) => upsertConversation(e.detail));
  chat.addEventListener("typing", (e) => onTyping(e.detail));
  chat.addEventListener("presence", (e) => onPresence(e.detail));
  chat.addEventListener("receipt", (e) => onReceipt(e.detail));
  try {
    const hello = await chat.connect();
    me = hello.user;
    names.set(me.id, me.name);
  } catch (err) {
    sessionStorage.removeItem(TOKEN_KEY);
    showAuth();
    $("auth-error").textContent = err.message;
    return;
  }
  $("auth").hidden = true;
  $("app").hidden = false;
  $("me-name").textContent = me.name;
  const { conversations: list } = await chat.conversations(100);
  for (const c of list) upsertConversation(c);
  const others = [...new Set(list.flatMap((c) => c.memberIds))].filter((id) => id !== me.id);
  if (others.length) {
    for (const p of await chat.presence(others.slice(0, 100))) if (p.status === "online") online.add(p.userId);
  }
  renderList();
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
  const { users } = await api(`/api/v1/users?query=${encodeURIComponent(username.trim())}`);
  const exact = users.find((u) => u.username === username.trim().toLowerCase());
  if (!exact) throw new ParleyError("not_found", `no user named ${username}`);
  names.set(exact.id, exact.name);
  return exact;
}

async function nameOf(userId) {
  if (!names.has(userId)) {
    try {
      names.set(userId, (await api(`/api/v1/users/${encodeURIComponent(userId)}`)).name);
    } catch {
      names.set(userId, userId);
    }
  }
  return names.get(userId);
}

// ---------------------------------------------------------------- conversations

function upsertConversation(c) {
  const old = conversations.get(c.id) ?? { unread: 0, readSeq: 0 };
  conversations.set(c.id, { ...old, ...c });
  renderList();
}

async function titleOf(c) {
  if (c.kind === "group") return c.name;
  const other = c.memberIds.find((id) => id !== me.id);
  return nameOf(other);
}

async function renderList() {
  const ul = $("conversations");
  const sorted = [...conversations.values()].sort((a, b) =>
    (b.lastMessage?.createdAt ?? b.createdAt).localeCompare(a.lastMessage?.createdAt ?? a.createdAt));
  const items = await Promise.all(sorted.map(async (c) => {
    const li = document.createElement("li");
    li.tabIndex = 0;
    li.dataset.id = c.id;
    li.className = c.id === current ? "active" : "";
    const other = c.kind === "direct" ? c.memberIds.find((id) => id !== me.id) : null;
    const name = document.createElement("span");
    name.className = "name";
    if (other) {
      const dot = document.createElement("span");
      dot.className = online.has(other) ? "dot online" : "dot";
      name.append(dot);
    }
    name.append(await titleOf(c));
    const last = document.createElement("span");
    last.className = "last";
    last.textContent = c.lastMessage ? c.lastMessage.body.text : "No messages yet";
    li.append(name);
    if (c.unread > 0) {
      const badge = document.createElement("span");
      badge.className = "unread";
      badge.textContent = c.unread;
      badge.setAttribute("aria-label", `${c.unread} unread`);
      li.append(badge);
    }
    li.append(last);
    li.addEventListener("click", () => open(c.id));
    li.addEventListener("keydown", (e) => { if (e.key === "Enter") open(c.id); });
    return li;
  }));
  ul.replaceChildren(...items);
}

$("new-direct").addEventListener("submit", async (e) => {
  e.preventDefault();
  $("sidebar-error").textContent = "";
  try {
    const user = await userByName(e.target.username.value);
    const c = await chat.createDirect(user.id);
    upsertConversation(c);
    e.target.reset();
    open(c.id);
  } catch (err) {
    $("sidebar-error").textContent = err.message;
  }
});

$("new-group").addEventListener("submit", async (e) => {
  e.preventDefault();
  $("sidebar-error").textContent = "";
  try {
    const usernames = e.target.members.value.split(",").map((s) => s.trim()).filter(Boolean);
    const ids = [];
    for (const u of usernames) ids.push((await userByName(u)).id);
    const c = await chat.createGroup(e.target.name.value, ids);
    upsertConversation(c);
    e.target.reset();
    open(c.id);
  } catch (err) {
    $("sidebar-error").textContent = err.message;
  }
});

$("add-member").addEventListener("submit", async (e) => {
  e.preventDefault();
  try {
    const user = await userByName(e.target.username.value);
    await chat.addMember(current, user.id);
    e.target.reset();
  } catch (err) {
    $("sidebar-error").textContent = err.message;
  }
});

$("back").addEventListener("click", () => {
  current = null;
  $("app").classList.remove("in-chat");
  renderList();
});

// ---------------------------------------------------------------- messages

async function open(id) {
  current = id;
  const c = conversations.get(id);
  $("app").classList.add("in-chat");
  $("chat-title").textContent = await titleOf(c);
  $("add-member").hidden = c.kind !== "group";
  $("composer").hidden = false;
  $("typing").textContent = "";
  renderPresence();
  const list = await chat.members(id);
  members.set(id, new Map(list.map((m) => [m.userId, m])));
  const { messages } = await chat.history(id, { limit: 50 });
  $("messages").replaceChildren();
  for (const m of messages) await appendMessage(m);
  markRead(c);
  renderList();
  $("composer").text.focus();
}

function renderPresence() {
  const c = conversations.get(current);
  if (!c || c.kind !== "direct") {
    $("chat-presence").textContent = "";
    return;
  }
  const other = c.memberIds.find((id) => id !== me.id);
  $("chat-presence").textContent = online.has(other) ? "online" : "offline";
}

function ticksFor(m) {
  const cursors = members.get(m.conversationId);
  if (!cursors) return "✓";
  const others = [...cursors.values()].filter((x) => x.userId !== me.id);
  if (others.length && others.every((x) => x.readSeq >= m.seq)) return "read";
  if (others.length && others.every((x) => x.deliveredSeq >= m.seq)) return "delivered";
  return "sent";
}

function renderTicks(li, m) {
  const span = li.querySelector(".ticks");
  if (!span) return;
  const state = ticksFor(m);
  span.textContent = state === "sent" ? "✓" : "✓✓";
  span.className = `ticks ${state}`;
  span.title = state;
  span.setAttribute("aria-label", state);
}

async function appendMessage(m) {
  const ol = $("messages");
  if (ol.querySelector(`[data-seq="${m.seq}"]`)) return;
  const li = document.createElement("li");
  const mine = m.senderId === me.id;
  li.className = mine ? "msg mine" : "msg";
  li.dataset.seq = m.seq;
  li.dataset.id = m.id;
  const c = conversations.get(m.conversationId);
  if (!mine && c?.kind === "group") {
    const author = document.createElement("span");
    author.className = "author";
    author.textContent = await nameOf(m.senderId);
    li.append(author);
  }
  li.append(document.createTextNode(m.body.text));
  const meta = document.createElement("span");
  meta.className = "meta";
  meta.textContent = new Date(m.createdAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) + " ";
  if (mine) {
    const ticks = document.createElement("span");
    ticks.className = "ticks";
    meta.append(ticks);
  }
  li.append(meta);
  // keep seq order even if an older page arrives late
  const after = [...ol.children].find((x) => Number(x.dataset.seq) > m.seq);
  ol.insertBefore(li, after ?? null);
  if (mine) renderTicks(li, m);
  li._message = m;
  ol.scrollTop = ol.scrollHeight;
}

function onMessage(m) {
  const c = conversations.get(m.conversationId);
  if (c) {
    c.lastMessage = m;
    c.lastSeq = Math.max(c.lastSeq ?? 0, m.seq);
    if (m.senderId !== me.id && m.conversationId !== current) c.unread = (c.unread ?? 0) + 1;
  }
  if (m.senderId !== me.id) chat.markDelivered(m.conversationId, m.seq);
  if (m.conversationId === current) {
    appendMessage(m);
    clearTyping(m.senderId);
    if (document.visibilityState === "visible") markRead(c);
  }
  renderList();
}

function markRead(c) {
  if (!c || !c.lastSeq) return;
  if (c.readSeq >= c.lastSeq && !c.unread) return;
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
  if (r.conversationId === current) {
    for (const li of $("messages").querySelectorAll(".msg.mine")) renderTicks(li, li._message);
  }
}

// ---------------------------------------------------------------- typing and presence

let lastTypingSent = 0;
$("composer").text.addEventListener("input", () => {
  if (!current) return;
  const now = Date.now();
  if (now - lastTypingSent > 3000) {
    chat.typing(current, "start");
    lastTypingSent = now;
  }
});

$("composer").text.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey) {
    e.preventDefault();
    $("composer").requestSubmit();
  }
});

$("composer").addEventListener("submit", async (e) => {
  e.preventDefault();
  const text = e.target.text.value;
  if (!text.trim() || !current) return;
  e.target.text.value = "";
  lastTypingSent = 0;
  try {
    await chat.send(current, text);
  } catch (err) {
    $("typing").textContent = `Not sent: ${err.message}`;
  }
});

async function onTyping(t) {
  if (t.conversationId !== current) return;
  if (t.state === "start") {
    const name = await nameOf(t.userId);
    typingTimers.set(t.userId, name);
  } else {
    typingTimers.delete(t.userId);
  }
  renderTyping();
}

function clearTyping(userId) {
  typingTimers.delete(userId);
  renderTyping();
}

function renderTyping() {
  const who = [...typingTimers.values()];
  $("typing").textContent = who.length === 0 ? "" : `${who.join(", ")} ${who.length === 1 ? "is" : "are"} typing…`;
}

function onPresence(p) {
  if (p.status === "online") online.add(p.userId);
  else online.delete(p.userId);
  renderPresence();
  renderList();
}

// ---------------------------------------------------------------- boot

const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) start(saved);
else showAuth();
