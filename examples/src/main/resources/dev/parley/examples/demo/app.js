// The demo chat UI: plain DOM on top of the Parley browser client. User text only ever goes
// into the page as text nodes (textContent, or strings passed to el()), never as markup.
import { ParleyClient, ParleyAccounts, ParleyError, applyReaction, snippetParts } from "/client/parley.js";

const $ = (id) => document.getElementById(id);

/**
 * Creates an element: `props` are properties (`className`, `type`, `src`, …) or, when the
 * name has a dash or is `role`, attributes (`aria-label`); `children` are nodes or strings
 * (appended as text).
 */
function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null) continue;
    if (k.includes("-") || k === "role") e.setAttribute(k, v);
    else e[k] = v;
  }
  e.append(...children);
  return e;
}
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
  // Only with a wallet in the browser (an EIP-1193 provider such as MetaMask's).
  $("siwe").hidden = !window.ethereum;
  $("siwe-error").textContent = "";
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
      askTotp(r.challengeId);
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

function askTotp(id) {
  challengeId = id;
  $("login-form").hidden = true;
  $("siwe").hidden = true;
  $("totp-form").hidden = false;
  $("totp-error").textContent = "";
  $("totp-form").reset();
  $("totp-form").code.focus();
}

// Sign-In with Ethereum: the wallet signs an EIP-4361 message for this page's host; the server
// answers like a password login (a wallet linked to a password account signs that account in).
$("siwe-button").addEventListener("click", async () => {
  const button = $("siwe-button");
  $("siwe-error").textContent = "";
  button.disabled = true;
  try {
    const r = await accounts.signInWithEthereum(window.ethereum);
    if (r.challenge === "totp") {
      askTotp(r.challengeId);
      return;
    }
    start(r.token);
  } catch (err) {
    $("siwe-error").textContent = err.message;
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
  on("conversation", onConversation);
  on("typing", onTyping);
  on("presence", onPresence);
  on("receipt", onReceipt);
  on("message.edited", (m) => updateMessage(m.conversationId, m.id, (old) => ({ ...m, reactions: keepMine(m.reactions, old.reactions) })));
  on("message.deleted", (d) => updateMessage(d.conversationId, d.messageId, (old) => ({ ...old, deleted: true, body: { text: "" }, reactions: [], editedAt: undefined })));
  on("message.hidden", (d) => updateMessage(d.conversationId, d.messageId, (old) => ({ ...old, deleted: true, hidden: true, body: { text: "" }, reactions: [] })));
  on("reaction", (r) => updateMessage(r.conversationId, r.messageId, (old) => applyReaction(old, r, me.id)));
  on("thread", (t) => updateMessage(t.conversationId, t.rootId, (old) => ({ ...old, thread: t.thread })));
  on("message.expired", (x) => x.messageIds.forEach((id) => updateMessage(x.conversationId, id, (old) => ({ ...old, deleted: true, expired: true, body: { text: "" }, reactions: [] }))));
  on("friend", onFriend);
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
  showWallet(client).catch(() => {}); // only with chat-web3-ext on the server
  $("record").hidden = !(navigator.mediaDevices?.getUserMedia && globalThis.MediaRecorder);
  showChat(null);
  await refresh();
  loadFriends().catch(() => {});
  $("new-direct").username.focus();
}

// ---------------------------------------------------------------- wallet

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** `0xAbCd…1234` */
function shortAddress(address) {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/**
 * A wallet user's ENS name or checksummed address next to their name, and a "verified NFT" marker
 * when the server says their NFT avatar is owned (GET /users/{id}/avatar: VERIFIED).
 */
async function showWallet(client) {
  const wallet = $("me-wallet");
  const nft = $("me-nft");
  wallet.hidden = true;
  nft.hidden = true;
  const wallets = await client.http("GET", "/api/v1/me/wallets").then((r) => r.wallets).catch(() => []);
  const first = wallets[0] ?? (ADDRESS.test(me.id) ? { address: me.id, ensName: null } : null);
  if (client !== chat) return;
  if (first) {
    wallet.textContent = first.ensName ?? shortAddress(first.address);
    wallet.title = first.address; // the EIP-55 checksummed address, as the server keeps it
    wallet.dataset.address = first.address;
    wallet.hidden = false;
  }
  if (me.avatar?.startsWith("eip155:")) {
    const status = await client.avatarStatus(me.id);
    if (client !== chat) return;
    nft.hidden = status.status !== "VERIFIED";
    nft.title = `NFT avatar ${me.avatar}: owned, checked ${status.checkedAt ?? ""}`;
  }
}

function onState(state) {
  // once connected, the attempts of an outage all read "reconnecting" (no flicker between them)
  $("conn-state").textContent = everConnected && state === "connecting" ? STATE_TEXT.disconnected : (STATE_TEXT[state] ?? "");
  $("conn-state").dataset.state = state;
  if (state === "unauthenticated") {
    sessionStorage.removeItem(TOKEN_KEY);
    showAuth("Your session has ended: please log in again.");
  } else if (state === "connected") {
    if (everConnected) {
      refresh(); // back after an outage: catch up on what events we missed
      reloadShownStates();
    }
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

/**
 * Edits, deletes and reactions made during an outage are not replayed (only new messages
 * are): read the newest page of the open conversation (and thread) again and redraw what changed.
 */
async function reloadShownStates() {
  const id = current;
  if (!id) return;
  try {
    const { messages } = await chat.history(id, { limit: PAGE });
    const states = messages;
    if (panel.mode === "thread" && panel.conversationId === id) {
      const t = await chat.threadHistory(id, panel.rootId, { limit: PAGE });
      states.push(t.root, ...t.messages);
    }
    for (const m of states) updateMessage(id, m.id, () => m);
  } catch (err) {
    if (!(err instanceof ParleyError)) throw err;
  }
}

async function refreshPresence(userIds) {
  const ids = [...new Set(userIds)].filter((id) => id !== me.id);
  for (let i = 0; i < ids.length; i += 100) {
    for (const p of await chat.presence(ids.slice(i, i + 100))) presence.set(p.userId, p);
  }
  renderList();
  renderPresence();
  if (panel.mode === "friends") renderFriends();
}

// ---------------------------------------------------------------- users

async function userByName(username) {
  const wanted = username.trim().replace(/^@/, "").toLowerCase();
  if (!wanted) throw new ParleyError("bad_request", "enter a username");
  const users = await chat.users(wanted, { limit: 5 });
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
      names.set(id, (await chat.userProfile(id)).name);
    } catch (err) {
      if (err.code === "not_found") names.set(id, "Unknown user"); // else: asked again next time
    }
  }));
  renderList();
  renderHeader();
  for (const span of document.querySelectorAll(".author[data-user-id]")) span.textContent = nameOf(span.dataset.userId);
  for (const li of document.querySelectorAll("li.system")) fillMessage(li);
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

function onConversation(c) {
  if (!c.memberIds.includes(me.id)) {
    // removed from a group, or left it on another device
    conversations.delete(c.id);
    members.delete(c.id);
    if (c.id === current) {
      showChat(null);
      $("chat-error").textContent = `You are no longer a member of ${c.name ?? "this conversation"}.`;
    }
    renderList();
    return;
  }
  upsertConversation(c);
  if (c.id === current) {
    loadMembers(c.id).then(() => {
      rerenderTicks();
      if (panel.mode === "members") renderMembers();
    }).catch(() => {});
  }
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
  if (c.id === current) renderHeader();
  renderList();
}

function activity(c) {
  return c.lastMessage?.createdAt ?? c.createdAt;
}

/** One line about a message for the conversation list and search results. */
function summaryOf(m) {
  if (m.system) return systemText(m);
  if (m.hidden) return "you deleted this message";
  if (m.deleted) return "message deleted";
  const text = m.body?.text ?? "";
  if (text) return text;
  const files = m.body?.attachments ?? [];
  if (files.length === 1 && files[0].kind === "audio") return "Voice message";
  if (files.length === 1 && files[0].kind === "image") return "Photo";
  return files.length ? `Files: ${files.map((a) => a.name).join(", ")}` : "";
}

function renderList() {
  if (!me) return;
  const ul = $("conversations");
  const focusedId = document.activeElement?.closest?.("#conversations li")?.dataset.id;
  const sorted = [...conversations.values()].sort((a, b) => activity(b).localeCompare(activity(a)));
  const items = sorted.map((c) => {
    const name = el("span", { className: "name" });
    const other = otherMember(c);
    if (other) {
      const on = presence.get(other)?.status === "online";
      name.append(el("span", { className: on ? "dot online" : "dot", title: on ? "online" : "offline" }));
    } else {
      name.append(el("span", { className: "group-icon", "aria-hidden": "true" }, "#"));
    }
    name.append(titleOf(c));
    const button = el("button", { type: "button", className: "conv" }, name);
    if (c.id === current) button.setAttribute("aria-current", "true");
    if (c.unread > 0) {
      button.append(el("span", { className: "unread", "aria-label": `${c.unread} unread` }, c.unread > 99 ? "99+" : String(c.unread)));
    }
    let last = "No messages yet";
    if (c.lastMessage) {
      const lm = c.lastMessage;
      const who = lm.system || lm.deleted ? "" : lm.senderId === me.id ? "You: " : c.kind === "group" ? `${nameOf(lm.senderId)}: ` : "";
      last = who + summaryOf(c.lastMessage);
    }
    button.append(el("span", { className: "last" }, last));
    button.addEventListener("click", () => open(c.id));
    const li = el("li", { className: c.id === current ? "active" : "" }, button);
    li.dataset.id = c.id;
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
    await openDirect(user.id);
    f.reset();
  } catch (err) {
    $("sidebar-error").textContent = err.message;
  }
});

async function openDirect(userId) {
  const c = await chat.createDirect(userId);
  upsertConversation(c);
  await open(c.id);
}

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
  if (e.key !== "Escape") return;
  const menu = document.activeElement?.closest?.(".msg.menu-open");
  if (menu) {
    closeMenu(menu, true);
  } else if (editing && document.activeElement === $("composer").text) {
    cancelEdit();
  } else if (!$("panel").hidden) {
    closePanel();
  } else if (current && $("app").classList.contains("in-chat") && getComputedStyle($("back")).display !== "none") {
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
  cancelEdit();
  clearTray();
  if (panel.mode === "thread" || panel.mode === "members") closePanel({ focus: false });
  $("chat-error").textContent = "";
  $("app").classList.toggle("in-chat", id !== null);
  $("messages").replaceChildren();
  $("composer-box").hidden = id === null;
  $("add-member").hidden = true;
  $("empty-chat").hidden = id !== null;
  renderHeader();
}

function renderHeader() {
  const c = conversations.get(current);
  $("chat-title").textContent = c ? titleOf(c) : "Pick a conversation";
  $("add-member").hidden = c?.kind !== "group";
  $("members-button").hidden = c?.kind !== "group";
  $("chat-members").textContent = c?.kind === "group" ? `${c.memberIds.length} members` : "";
  renderPresence();
}

async function open(id, { highlight } = {}) {
  const c = conversations.get(id);
  if (!c) return;
  if (id !== current || !highlight) {
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
  }
  if (current !== id) return;
  const target = highlight && $("messages").querySelector(`li[data-id="${CSS.escape(highlight)}"]`);
  if (target) {
    target.scrollIntoView({ block: "center" });
    for (const li of $("messages").querySelectorAll(".highlight")) li.classList.remove("highlight");
    target.classList.add("highlight"); // fades out by itself (CSS animation)
  }
  if (!$("panel").hidden && matchMedia("(max-width: 700px)").matches) return; // the panel covers the chat
  $("composer").text.focus();
}

const PAGE = 50;

/** A "load earlier messages" button at the top of the list while older pages exist. */
function setLoadEarlier(hasMore) {
  const ol = $("messages");
  ol.querySelector("li.more")?.remove();
  if (!hasMore) return;
  const button = el("button", { type: "button", className: "link" }, "Load earlier messages");
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
  ol.prepend(el("li", { className: "more" }, button));
}

async function loadMembers(id) {
  const list = await chat.members(id);
  members.set(id, new Map(list.map((m) => [m.userId, m])));
}

function myRole(conversationId) {
  return members.get(conversationId)?.get(me.id)?.role ?? "member";
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
  const span = li.querySelector(":scope > .meta .ticks");
  if (!span || !li._message) return;
  const state = ticksFor(li._message);
  span.textContent = state === "sent" ? "✓" : "✓✓";
  span.className = `ticks ${state}`;
  span.title = state;
  span.setAttribute("aria-label", state);
}

function rerenderTicks() {
  for (const li of document.querySelectorAll("#messages .msg.mine, #panel-body .msg.mine")) renderTicks(li);
}

function systemText(m) {
  const who = m.senderId === me.id ? "You" : nameOf(m.senderId);
  const whom = m.system.userId === me.id ? "you" : nameOf(m.system.userId);
  switch (m.system.type) {
    case "member.added": return `${who} added ${whom}`;
    case "member.removed": return `${who} removed ${whom}`;
    case "member.left": return `${who} left`;
    case "member.joined": return `${who} joined by invite link`;
    case "role.changed": return `${who} made ${whom} ${m.system.role === "admin" ? "an admin" : "a member"}`;
    case "owner.changed": return `${who} made ${whom} the owner`;
    case "group.updated": return `${who} changed the group's details`;
    default: return `${who} changed the group`;
  }
}

/**
 * The list item of a stored message: author, text, attachments, reactions, thread link,
 * time, edited mark, ticks, and a menu of actions. All user text goes in as text nodes.
 */
function messageElement(m, { inThread = false } = {}) {
  const li = document.createElement("li");
  li.dataset.seq = m.seq;
  li.dataset.id = m.id;
  li._message = m;
  li._inThread = inThread;
  fillMessage(li);
  return li;
}

/** (Re)draws a message item from `li._message`, keeping focus on the control that had it. */
function fillMessage(li) {
  const m = li._message;
  const focused = li.contains(document.activeElement) ? document.activeElement.dataset.focusKey : null;
  const mine = m.senderId === me.id;
  if (m.system) {
    li.className = "system";
    li.replaceChildren(el("span", {}, systemText(m)));
    ensureNames([m.senderId, m.system.userId].filter(Boolean));
    return;
  }
  li.className = `msg${mine ? " mine" : ""}${m.deleted ? " deleted" : ""}`;
  const parts = [];
  const c = conversations.get(m.conversationId);
  if (!mine && c?.kind === "group") {
    const author = el("span", { className: "author" }, nameOf(m.senderId));
    author.dataset.userId = m.senderId;
    if (!names.has(m.senderId)) ensureNames([m.senderId]);
    parts.push(author);
  }
  if (m.deleted) {
    parts.push(el("span", { className: "text tombstone" },
      m.hidden ? "You deleted this message" : m.expired ? "This message disappeared" : "This message was deleted"));
  } else {
    if (m.body?.text) parts.push(el("span", { className: "text" }, m.body.text));
    if (m.body?.attachments?.length) parts.push(attachmentsElement(m.body.attachments));
  }
  if (m.reactions?.length) parts.push(reactionsElement(m));
  if (!li._inThread && m.thread?.replyCount) {
    const n = m.thread.replyCount;
    const link = el("button", { type: "button", className: "link thread-link" }, `${n} ${n === 1 ? "reply" : "replies"}`);
    link.dataset.focusKey = "thread";
    link.addEventListener("click", () => openThread(m.conversationId, m.id));
    parts.push(link);
  }
  const meta = el("span", { className: "meta" });
  meta.append(el("time", { dateTime: m.createdAt }, new Date(m.createdAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })));
  if (m.editedAt && !m.deleted) meta.prepend(el("span", { className: "edited", title: `edited ${formatWhen(m.editedAt)}` }, "edited "));
  if (mine) meta.append(" ", el("span", { className: "ticks" }));
  parts.push(meta);
  if (!m.hidden) {
    const toggle = el("button", { type: "button", className: "menu-toggle", title: "Message actions", "aria-label": "Message actions", "aria-expanded": "false" }, "⋯");
    toggle.dataset.focusKey = "menu";
    toggle.addEventListener("click", () => (li.classList.contains("menu-open") ? closeMenu(li, true) : openMenu(li)));
    parts.push(toggle);
  }
  li.replaceChildren(...parts);
  if (mine) renderTicks(li);
  if (focused) li.querySelector(`[data-focus-key="${CSS.escape(focused)}"]`)?.focus();
}

const QUICK_REACTIONS = ["👍", "❤️", "😂", "😮", "😢", "🎉"];

function openMenu(li) {
  for (const other of document.querySelectorAll(".msg.menu-open")) closeMenu(other, false);
  const m = li._message;
  const mine = m.senderId === me.id;
  const menu = el("div", { className: "actions", role: "group", "aria-label": "Message actions" });
  const action = (label, key, run) => {
    const b = el("button", { type: "button", className: "link" }, label);
    b.dataset.focusKey = key;
    b.addEventListener("click", async () => {
      closeMenu(li, false);
      try {
        await run();
      } catch (err) {
        showError(li, err);
      }
    });
    menu.append(b);
    return b;
  };
  if (!m.deleted) {
    for (const emoji of QUICK_REACTIONS) {
      const b = action(emoji, `react-${emoji}`, () => toggleReaction(m, emoji));
      b.classList.add("emoji");
      b.setAttribute("aria-label", `React ${emoji}`);
    }
    if (!li._inThread && !m.threadRootId) action("Reply in thread", "reply", () => openThread(m.conversationId, m.id, { focus: true }));
    if (mine) action("Edit", "edit", () => startEdit(m));
  }
  const admin = ["owner", "admin"].includes(myRole(m.conversationId)) && conversations.get(m.conversationId)?.kind === "group";
  if (!m.deleted && (mine || admin)) action("Delete for everyone", "delete-all", () => chat.delete(m.conversationId, m.id, "everyone"));
  action("Delete for me", "delete-me", () => chat.delete(m.conversationId, m.id, "me"));
  li.classList.add("menu-open");
  li.querySelector(".menu-toggle").setAttribute("aria-expanded", "true");
  li.append(menu);
  menu.querySelector("button")?.focus();
}

function closeMenu(li, focusToggle) {
  li.classList.remove("menu-open");
  li.querySelector(":scope > .actions")?.remove();
  const toggle = li.querySelector(".menu-toggle");
  toggle?.setAttribute("aria-expanded", "false");
  if (focusToggle) toggle?.focus();
}

function showError(li, err) {
  const target = li.closest("#panel") ? $("panel-error") : $("chat-error");
  target.textContent = err.message;
}

function reactionsElement(m) {
  const box = el("div", { className: "reactions" });
  for (const r of m.reactions) {
    const names_ = r.userIds.map(nameOf).join(", ") + (r.count > r.userIds.length ? ` and ${r.count - r.userIds.length} more` : "");
    const b = el("button", { type: "button", className: r.me ? "reaction me" : "reaction", title: names_, "aria-pressed": r.me ? "true" : "false",
      "aria-label": `${r.emoji} ${r.count}${r.me ? ", including you" : ""}` });
    b.append(el("span", { className: "emoji" }, r.emoji), el("span", { className: "count" }, String(r.count)));
    b.dataset.emoji = r.emoji;
    b.dataset.focusKey = `reaction-${r.emoji}`;
    b.addEventListener("click", () => toggleReaction(m, r.emoji).catch((err) => showError(b.closest("li"), err)));
    box.append(b);
  }
  ensureNames(m.reactions.flatMap((r) => r.userIds));
  return box;
}

function toggleReaction(m, emoji) {
  const li = findMessageItems(m.conversationId, m.id)[0];
  const state = li?._message ?? m;
  const mineAlready = state.reactions?.some((r) => r.emoji === emoji && r.me);
  return mineAlready ? chat.unreact(m.conversationId, m.id, emoji) : chat.react(m.conversationId, m.id, emoji);
}

/** Reaction summaries from an event carry no `me`: keep ours. */
function keepMine(reactions, old) {
  const mine = new Set((old ?? []).filter((r) => r.me).map((r) => r.emoji));
  return (reactions ?? []).map((r) => (mine.has(r.emoji) ? { ...r, me: true } : r));
}

function findMessageItems(conversationId, messageId) {
  if (conversationId !== current) return [];
  return [...document.querySelectorAll(`#messages li[data-id="${CSS.escape(messageId)}"], #panel-body li[data-id="${CSS.escape(messageId)}"]`)];
}

/** Applies an update to a message wherever it is shown (timeline, thread, list preview). */
function updateMessage(conversationId, messageId, change) {
  for (const li of findMessageItems(conversationId, messageId)) {
    li._message = change(li._message);
    fillMessage(li);
  }
  const c = conversations.get(conversationId);
  if (c?.lastMessage?.id === messageId) {
    c.lastMessage = change(c.lastMessage);
    renderList();
  }
  if (panel.mode === "thread" && panel.rootId === messageId) renderThreadTitle();
}

// ---------------------------------------------------------------- attachments

const fileUrls = new Map(); // "id" or "id preview" -> Promise of an object URL

function fileUrl(id, preview = false) {
  const key = preview ? `${id} preview` : id;
  if (!fileUrls.has(key)) {
    const p = chat.fetchFile(id, { preview }).then((blob) => URL.createObjectURL(blob));
    p.catch(() => fileUrls.delete(key)); // asked again on the next render
    fileUrls.set(key, p);
  }
  return fileUrls.get(key);
}

function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function formatDuration(ms) {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

function attachmentsElement(attachments) {
  const box = el("div", { className: "attachments" });
  for (const a of attachments) {
    if (a.kind === "image") {
      const size = a.preview ?? fit(a.width, a.height);
      const img = el("img", { alt: a.name, width: size?.width ?? 240, height: size?.height ?? 180 });
      fileUrl(a.id, Boolean(a.preview)).then((url) => { img.src = url; }, () => { img.alt = `${a.name} (could not load)`; });
      const b = el("button", { type: "button", className: "image", title: `Open ${a.name}` }, img);
      b.dataset.fileId = a.id;
      b.addEventListener("click", () => openFile(a));
      box.append(b);
    } else if (a.kind === "audio") {
      const audio = el("audio", { controls: true, preload: "metadata" });
      audio.setAttribute("aria-label", `Voice message ${a.name}`);
      fileUrl(a.id).then((url) => { audio.src = url; }, () => {});
      const voice = el("div", { className: "voice" }, audio);
      voice.dataset.fileId = a.id;
      if (a.durationMillis) voice.append(el("span", { className: "duration" }, formatDuration(a.durationMillis)));
      box.append(voice);
    } else {
      const b = el("button", { type: "button", className: "file" }, `${a.name} · ${formatSize(a.size)}`);
      b.dataset.fileId = a.id;
      b.addEventListener("click", () => openFile(a, { download: true }));
      box.append(b);
    }
  }
  return box;
}

/** At most 240 × 240, keeping the aspect ratio. */
function fit(width, height) {
  if (!width || !height) return null;
  const scale = Math.min(1, 240 / Math.max(width, height));
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}

async function openFile(a, { download = false } = {}) {
  try {
    const url = await fileUrl(a.id);
    const link = el("a", { href: url, target: "_blank", rel: "noopener" });
    if (download) link.download = a.name;
    link.click();
  } catch (err) {
    $("chat-error").textContent = `Could not open ${a.name}: ${err.message}`;
  }
}

// ---------------------------------------------------------------- timeline

function appendMessage(m, { keepScroll = false } = {}) {
  if (m.conversationId !== current || m.threadRootId) return; // replies live in their thread
  const ol = $("messages");
  if (ol.querySelector(`li[data-seq="${m.seq}"]`)) return;
  ol.querySelector(`li[data-client-msg-id="${CSS.escape(m.clientMsgId ?? "")}"]`)?.remove();
  const li = messageElement(m);
  // keep seq order even if an older page arrives late; pending sends stay last
  const after = [...ol.children].find((x) => x.classList.contains("pending") || Number(x.dataset.seq) > m.seq);
  const atBottom = ol.scrollHeight - ol.scrollTop - ol.clientHeight < 40;
  ol.insertBefore(li, after ?? null);
  const mine = m.senderId === me.id;
  if (!keepScroll && (mine || atBottom || !after)) ol.scrollTop = ol.scrollHeight;
}

function pendingElement(clientMsgId, p, conversationId) {
  const li = el("li", { className: "msg mine pending" });
  li.dataset.clientMsgId = clientMsgId;
  if (p.text) li.append(el("span", { className: "text" }, p.text));
  if (p.attachments?.length) li.append(el("span", { className: "text" }, `Files: ${p.attachments.map((a) => a.name).join(", ")}`));
  const meta = el("span", { className: "meta" });
  if (p.error) {
    li.classList.add("failed");
    meta.textContent = `Not sent: ${p.error} `;
    const retry = el("button", { type: "button", className: "link retry" }, "Retry");
    retry.addEventListener("click", () => sendMessage(conversationId, p.text, clientMsgId, p));
    meta.append(retry);
  } else {
    meta.textContent = chat.state === "connected" ? "sending…" : "waiting for connection…";
  }
  li.append(meta);
  return li;
}

/** Sends not confirmed yet, shown greyed after the stored messages (of the timeline or the thread). */
function renderPending(conversationId) {
  if (conversationId !== current) return;
  const lists = [[$("messages"), null]];
  const threadList = $("thread-messages");
  if (threadList && panel.mode === "thread") lists.push([threadList, panel.rootId]);
  for (const [ol, rootId] of lists) {
    for (const li of ol.querySelectorAll("li.pending")) li.remove();
    for (const [clientMsgId, p] of pending.get(conversationId) ?? []) {
      if ((p.threadRootId ?? null) === rootId) ol.append(pendingElement(clientMsgId, p, conversationId));
    }
    ol.scrollTop = ol.scrollHeight;
  }
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
    if (!visible && m.seq > (c.readSeq ?? 0) && !m.system) c.unread = (c.unread ?? 0) + 1;
    chat.markDelivered(m.conversationId, m.seq);
  }
  pending.get(m.conversationId)?.delete(m.clientMsgId);
  if (m.conversationId === current) {
    appendMessage(m);
    if (m.threadRootId && panel.mode === "thread" && panel.rootId === m.threadRootId) appendThreadReply(m);
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
let editing = null; // the message being edited in the composer

$("composer").text.addEventListener("input", (e) => {
  if (!current || editing) return;
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

for (const form of [$("composer"), $("thread-composer")]) {
  form.text.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
}

$("composer").addEventListener("submit", async (e) => {
  e.preventDefault();
  const text = e.target.text.value;
  if (!current) return;
  $("chat-error").textContent = "";
  if (editing) {
    const { conversationId, id } = editing;
    try {
      await chat.edit(conversationId, id, text.trim());
      cancelEdit();
    } catch (err) {
      $("chat-error").textContent = `Not edited: ${err.message}`;
    }
    return;
  }
  if (tray.some((t) => t.status === "uploading")) {
    $("chat-error").textContent = "Wait for the files to finish uploading.";
    return;
  }
  const attachments = tray.filter((t) => t.status === "done").map((t) => t.attachment);
  if (!text.trim() && !attachments.length) return;
  e.target.text.value = "";
  drafts.delete(current);
  lastTypingSent = 0;
  clearTray();
  sendMessage(current, text, newClientMsgId(), { attachments });
});

/** Sends a message (a thread reply with `threadRootId`), shown as pending until the server has it. */
async function sendMessage(conversationId, text, clientMsgId, { attachments = [], threadRootId } = {}) {
  if (!pending.has(conversationId)) pending.set(conversationId, new Map());
  pending.get(conversationId).set(clientMsgId, { text, attachments, threadRootId });
  renderPending(conversationId);
  try {
    await chat.send(conversationId, text, { clientMsgId, attachments, threadRootId });
    pending.get(conversationId)?.delete(clientMsgId); // normally gone already with the message event
  } catch (err) {
    const p = pending.get(conversationId)?.get(clientMsgId);
    if (p) p.error = err.message;
  }
  renderPending(conversationId);
}

function startEdit(m) {
  editing = m;
  $("editing").hidden = false;
  const text = $("composer").text;
  text.value = m.body?.text ?? "";
  text.focus();
  text.setSelectionRange(text.value.length, text.value.length);
  $("composer").querySelector("button[type=submit]").textContent = "Save";
}

function cancelEdit() {
  if (!editing) return;
  editing = null;
  $("editing").hidden = true;
  $("composer").text.value = drafts.get(current) ?? "";
  $("composer").querySelector("button[type=submit]").textContent = "Send";
}

$("edit-cancel").addEventListener("click", () => {
  cancelEdit();
  $("composer").text.focus();
});

// ---------------------------------------------------------------- files to send

const tray = []; // {key, file, status: "uploading"|"done"|"failed", loaded, attachment?, error?, abort, preview?}
let trayKeys = 0;

$("file-input").addEventListener("change", (e) => {
  for (const file of e.target.files) upload(file);
  e.target.value = "";
});

function upload(file) {
  const item = { key: ++trayKeys, file, status: "uploading", loaded: 0, abort: new AbortController() };
  if (file.type.startsWith("image/")) item.preview = URL.createObjectURL(file); // the local file, for the tray only
  tray.push(item);
  renderTray();
  chat.uploadFile(file, {
    signal: item.abort.signal,
    onProgress: ({ loaded }) => {
      item.loaded = loaded;
      renderTrayProgress(item);
    },
  }).then((attachment) => {
    item.status = "done";
    item.attachment = attachment;
    renderTray();
  }, (err) => {
    if (err.name === "AbortError") return;
    item.status = "failed";
    item.error = err.message;
    renderTray();
  });
}

function removeFromTray(item) {
  item.abort.abort();
  if (item.preview) URL.revokeObjectURL(item.preview);
  tray.splice(tray.indexOf(item), 1);
  renderTray();
}

function clearTray() {
  for (const item of [...tray]) {
    if (item.status === "uploading") item.abort.abort();
    if (item.preview) URL.revokeObjectURL(item.preview);
  }
  tray.length = 0;
  renderTray();
}

function renderTray() {
  const items = tray.map((item) => {
    const li = el("li", { className: `tray-item ${item.status}` });
    li.dataset.key = item.key;
    if (item.preview) li.append(el("img", { src: item.preview, alt: "", width: 48, height: 48 }));
    else li.append(el("span", { className: "file-icon", "aria-hidden": "true" }, item.file.type.startsWith("audio/") ? "♪" : "▤"));
    const info = el("span", { className: "info" }, el("span", { className: "name" }, item.file.name));
    if (item.status === "uploading") {
      info.append(el("progress", { max: item.file.size || 1, value: item.loaded, "aria-label": `Uploading ${item.file.name}` }));
    } else if (item.status === "failed") {
      info.append(el("span", { className: "error" }, item.error));
    } else {
      info.append(el("span", { className: "size" }, formatSize(item.attachment.size)));
    }
    const remove = el("button", { type: "button", className: "link", "aria-label": `Remove ${item.file.name}`, title: "Remove" }, "✕");
    remove.addEventListener("click", () => removeFromTray(item));
    li.append(info, remove);
    return li;
  });
  $("tray").replaceChildren(...items);
}

function renderTrayProgress(item) {
  const bar = $("tray").querySelector(`li[data-key="${item.key}"] progress`);
  if (bar) bar.value = item.loaded;
}

// Voice messages: recorded with MediaRecorder (Chromium: audio/webm;codecs=opus), then uploaded like a file.
let recording = null; // {recorder, stream, startedAt, timer}

$("record").addEventListener("click", async () => {
  if (recording) {
    recording.recorder.stop();
    return;
  }
  $("chat-error").textContent = "";
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch (err) {
    $("chat-error").textContent = `No microphone: ${err.message}`;
    return;
  }
  const type = MediaRecorder.isTypeSupported("audio/webm;codecs=opus") ? "audio/webm;codecs=opus" : "";
  const recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
  const chunks = [];
  recorder.ondataavailable = (e) => e.data.size && chunks.push(e.data);
  recorder.onstop = () => {
    stream.getTracks().forEach((t) => t.stop());
    clearInterval(recording.timer);
    recording = null;
    renderRecord();
    const blob = new Blob(chunks, { type: recorder.mimeType || "audio/webm" });
    if (blob.size) upload(new File([blob], `voice-message-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-")}.webm`, { type: blob.type }));
  };
  recording = { recorder, stream, startedAt: Date.now(), timer: setInterval(renderRecord, 500) };
  recorder.start(250);
  renderRecord();
});

function renderRecord() {
  const b = $("record");
  b.setAttribute("aria-pressed", recording ? "true" : "false");
  b.classList.toggle("recording", Boolean(recording));
  b.title = recording ? "Stop recording" : "Record a voice message";
  b.querySelector(".sr-only").textContent = b.title;
  b.querySelector(".rec-time").textContent = recording ? `■ ${formatDuration(Date.now() - recording.startedAt)}` : "";
}

// ---------------------------------------------------------------- side panel: thread, members, search, friends

const panel = { mode: null }; // {mode, conversationId?, rootId?, opener?}

function openPanel(mode, title, fields = {}) {
  const wasOpen = !$("panel").hidden;
  Object.assign(panel, { conversationId: null, rootId: null }, fields, { mode, opener: wasOpen ? panel.opener : document.activeElement });
  $("panel").hidden = false;
  $("panel").dataset.mode = mode;
  $("app").classList.add("with-panel");
  $("panel-title").textContent = title;
  $("panel-error").textContent = "";
  $("panel-body").replaceChildren();
  $("thread-composer").hidden = mode !== "thread";
}

function closePanel({ focus = true } = {}) {
  if ($("panel").hidden) return;
  const opener = panel.opener;
  panel.mode = null;
  $("panel").hidden = true;
  $("app").classList.remove("with-panel");
  $("panel-body").replaceChildren();
  if (focus && opener?.isConnected) opener.focus();
}

$("panel-close").addEventListener("click", () => closePanel());

// threads

async function openThread(conversationId, rootId, { focus = false } = {}) {
  openPanel("thread", "Thread", { conversationId, rootId });
  const ol = el("ol", { id: "thread-messages", className: "messages thread" });
  $("panel-body").append(ol);
  try {
    const page = await chat.threadHistory(conversationId, rootId, { limit: PAGE });
    if (panel.rootId !== rootId) return;
    ol.append(messageElement(page.root, { inThread: true }));
    ol.append(el("li", { className: "thread-divider", id: "thread-count" }));
    for (const m of page.messages) appendThreadReply(m);
    renderThreadTitle();
    renderPending(conversationId);
    markThreadRead();
  } catch (err) {
    $("panel-error").textContent = `Could not load the thread: ${err.message}`;
  }
  if (focus || !matchMedia("(max-width: 700px)").matches) $("thread-composer").text.focus();
}

function appendThreadReply(m) {
  const ol = $("thread-messages");
  if (!ol || ol.querySelector(`li[data-seq="${m.seq}"]`)) return;
  ol.querySelector(`li[data-client-msg-id="${CSS.escape(m.clientMsgId ?? "")}"]`)?.remove();
  const after = [...ol.children].find((x) => x.classList.contains("pending") || Number(x.dataset.seq) > m.seq);
  ol.insertBefore(messageElement(m, { inThread: true }), after ?? null);
  ol.scrollTop = ol.scrollHeight;
  markThreadRead();
}

function renderThreadTitle() {
  const root = $("thread-messages")?.querySelector("li[data-id]")?._message;
  const n = root?.thread?.replyCount ?? 0;
  const count = $("thread-count");
  if (count) count.textContent = n === 0 ? "No replies yet" : `${n} ${n === 1 ? "reply" : "replies"}`;
}

function markThreadRead() {
  const replies = [...($("thread-messages")?.querySelectorAll("li[data-seq]") ?? [])].slice(1);
  const last = replies.at(-1);
  if (!last || document.visibilityState !== "visible") return;
  chat.markThreadRead(panel.conversationId, panel.rootId, Number(last.dataset.seq)).catch(() => {});
}

$("thread-composer").addEventListener("submit", (e) => {
  e.preventDefault();
  const text = e.target.text.value;
  if (!text.trim() || panel.mode !== "thread") return;
  e.target.text.value = "";
  sendMessage(panel.conversationId, text, newClientMsgId(), { threadRootId: panel.rootId });
});

// members of a group

$("members-button").addEventListener("click", () => {
  if (panel.mode === "members") {
    closePanel();
    return;
  }
  openPanel("members", "Members", { conversationId: current });
  renderMembers();
  loadMembers(current).then(renderMembers).catch((err) => { $("panel-error").textContent = err.message; });
});

const ROLE_RANK = { owner: 2, admin: 1, member: 0 };

function renderMembers() {
  const id = panel.conversationId;
  const cursors = members.get(id);
  if (!cursors || panel.mode !== "members") return;
  const mine = myRole(id);
  const list = [...cursors.values()].sort((a, b) => ROLE_RANK[b.role] - ROLE_RANK[a.role] || nameOf(a.userId).localeCompare(nameOf(b.userId)));
  if (list.some((m) => !names.has(m.userId))) {
    ensureNames(list.map((m) => m.userId)).then(() => list.every((m) => names.has(m.userId)) && renderMembers());
  }
  const ul = el("ul", { id: "member-list", className: "people" });
  for (const m of list) {
    const on = presence.get(m.userId)?.status === "online" || m.userId === me.id;
    const li = el("li", {}, el("span", { className: on ? "dot online" : "dot", title: on ? "online" : "offline" }),
      el("span", { className: "who" }, m.userId === me.id ? `${nameOf(m.userId)} (you)` : nameOf(m.userId)));
    li.dataset.userId = m.userId;
    if (m.role !== "member") li.append(el("span", { className: "role" }, m.role));
    const act = (label, run) => {
      const b = el("button", { type: "button", className: "link" }, label);
      b.addEventListener("click", async () => {
        $("panel-error").textContent = "";
        b.disabled = true;
        try {
          await run();
          await loadMembers(id);
          renderMembers();
        } catch (err) {
          $("panel-error").textContent = err.message;
          b.disabled = false;
        }
      });
      li.append(b);
    };
    if (m.userId !== me.id) {
      if (mine === "owner" && m.role !== "owner") {
        if (m.role === "member") act("Make admin", () => chat.groups.setRole(id, m.userId, "admin"));
        else act("Make member", () => chat.groups.setRole(id, m.userId, "member"));
      }
      if (ROLE_RANK[mine] > ROLE_RANK[m.role]) act("Remove", () => chat.groups.removeMember(id, m.userId));
    }
    ul.append(li);
  }
  const leave = el("button", { type: "button", className: "danger", id: "leave-group" }, "Leave group");
  leave.addEventListener("click", async () => {
    try {
      await chat.groups.leave(id);
      conversations.delete(id);
      closePanel({ focus: false });
      showChat(null);
      renderList();
    } catch (err) {
      $("panel-error").textContent = err.message;
    }
  });
  $("panel-body").replaceChildren(ul, leave);
}

// search

$("search-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const query = e.target.query.value.trim();
  if (!query) return;
  openPanel("search", `Search: ${query}`);
  const status = el("p", { className: "empty", role: "status" }, "Searching…");
  $("panel-body").append(status);
  try {
    const { results } = await chat.search(query, { limit: 30 });
    if (panel.mode !== "search") return;
    await ensureNames(results.map((r) => r.message.senderId));
    const ul = el("ul", { id: "search-results", className: "results" });
    for (const r of results) {
      const c = conversations.get(r.message.conversationId);
      const snippet = el("span", { className: "snippet" });
      for (const part of snippetParts(r.snippet)) snippet.append(part.match ? el("mark", {}, part.text) : part.text);
      const b = el("button", { type: "button", className: "result" },
        el("span", { className: "where" }, `${c ? titleOf(c) : "Conversation"} · ${nameOf(r.message.senderId)} · ${formatWhen(r.message.createdAt)}`),
        snippet);
      b.addEventListener("click", () => {
        if (matchMedia("(max-width: 700px)").matches) closePanel({ focus: false });
        open(r.message.conversationId, { highlight: r.message.threadRootId ?? r.message.id })
          .then(() => r.message.threadRootId && openThread(r.message.conversationId, r.message.threadRootId));
      });
      ul.append(el("li", {}, b));
    }
    status.textContent = results.length ? `${results.length} ${results.length === 1 ? "message" : "messages"}` : "No messages found.";
    $("panel-body").append(ul);
    ul.querySelector("button")?.focus();
  } catch (err) {
    status.remove();
    $("panel-error").textContent = err.message;
  }
});

// friends

let friendsData = null;

async function loadFriends() {
  friendsData = await chat.friends();
  for (const [id, u] of Object.entries(friendsData.users ?? {})) names.set(id, u.name);
  const n = friendsData.incoming.length;
  $("friends-badge").hidden = n === 0;
  $("friends-badge").textContent = String(n);
  $("friends-badge").setAttribute("aria-label", `${n} friend ${n === 1 ? "request" : "requests"}`);
  if (panel.mode === "friends") renderFriends();
  refreshPresence(friendsData.friends).catch(() => {});
}

function onFriend() {
  loadFriends().catch(() => {});
}

$("friends-button").addEventListener("click", () => {
  if (panel.mode === "friends") {
    closePanel();
    return;
  }
  openPanel("friends", "Friends");
  renderFriends();
  loadFriends().catch((err) => { $("panel-error").textContent = err.message; });
  $("friend-add")?.username.focus();
});

function renderFriends() {
  if (panel.mode !== "friends") return;
  const focusedKey = document.activeElement?.dataset?.focusKey;
  const form = el("form", { id: "friend-add", className: "new", "aria-label": "Add a friend" },
    el("input", { name: "username", placeholder: "Add friend by username…", "aria-label": "Username to add as a friend", required: true, autocapitalize: "none", spellcheck: false }),
    el("button", { type: "submit" }, "Add"));
  form.username.dataset.focusKey = "friend-add";
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    $("panel-error").textContent = "";
    try {
      const user = await userByName(form.username.value);
      await chat.friendRequest(user.id);
      form.reset();
      await loadFriends();
    } catch (err) {
      $("panel-error").textContent = err.message;
    }
  });
  const parts = [form];
  const d = friendsData;
  if (d) {
    const section = (title, id, ids, actions) => {
      if (!ids.length) return;
      const ul = el("ul", { id, className: "people" });
      for (const userId of ids) {
        const li = el("li", {});
        li.dataset.userId = userId;
        if (id === "friends-list") {
          const on = presence.get(userId)?.status === "online";
          li.append(el("span", { className: on ? "dot online" : "dot", title: on ? "online" : "offline" }));
        }
        li.append(el("span", { className: "who" }, nameOf(userId)));
        for (const [label, key, run] of actions) {
          const b = el("button", { type: "button", className: "link" }, label);
          b.dataset.focusKey = `${key}-${userId}`;
          b.addEventListener("click", async () => {
            $("panel-error").textContent = "";
            try {
              await run(userId);
              await loadFriends();
            } catch (err) {
              $("panel-error").textContent = err.message;
            }
          });
          li.append(b);
        }
        ul.append(li);
      }
      parts.push(el("h3", {}, title), ul);
    };
    section("Requests", "friend-requests", d.incoming, [["Accept", "accept", (u) => chat.friendAccept(u)], ["Decline", "decline", (u) => chat.friendDecline(u)]]);
    section("Friends", "friends-list", d.friends, [["Message", "message", (u) => { if (matchMedia("(max-width: 700px)").matches) closePanel({ focus: false }); return openDirect(u); }],
      ["Remove", "remove", (u) => chat.friendRemove(u)]]);
    section("Sent requests", "friend-outgoing", d.outgoing, [["Cancel", "cancel", (u) => chat.friendCancel(u)]]);
    section("Blocked", "friend-blocked", d.blocked, [["Unblock", "unblock", (u) => chat.unblock(u)]]);
    if (!d.incoming.length && !d.friends.length && !d.outgoing.length) parts.push(el("p", { className: "empty" }, "No friends yet: add someone by their username."));
  }
  $("panel-body").replaceChildren(...parts);
  if (focusedKey) $("panel-body").querySelector(`[data-focus-key="${CSS.escape(focusedKey)}"]`)?.focus();
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
  if (panel.mode === "friends") renderFriends();
  if (panel.mode === "members") renderMembers();
}

// ---------------------------------------------------------------- boot

const saved = sessionStorage.getItem(TOKEN_KEY);
setRegistering(false);
if (saved) start(saved);
else showAuth();
