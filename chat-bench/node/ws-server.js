'use strict';
// Baseline: a minimal chat server on Node.js `ws`. Plain JSON text frames with the same
// command/reply/event shapes as Parley (a subset: hello, join, send, ping/pong), rooms kept in
// memory, no persistence, no compression. Heartbeat: a WebSocket ping every 25 s; a socket that
// missed the previous pong is terminated.
//   node ws-server.js        prints "PORT <n>", stops when stdin closes
const http = require('http');
const { WebSocketServer, WebSocket } = require('ws');
const { makeMessage, userFromToken, serveControl } = require('./common');

const rooms = new Map(); // room id -> { id, seq, members: Set<WebSocket> }
const server = http.createServer((req, res) => {
  res.writeHead(404).end();
});
const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 1 << 20 });

function reply(ws, id, fields) {
  ws.send(JSON.stringify(Object.assign({ re: id, ok: true }, fields)));
}

function error(ws, id, code, message) {
  ws.send(JSON.stringify({ re: id, error: { code, message, retryable: false } }));
}

wss.on('connection', (ws) => {
  ws.isAlive = true;
  ws.userId = null;
  ws.rooms = new Set();
  ws.on('pong', () => {
    ws.isAlive = true;
  });
  ws.on('message', (data, isBinary) => {
    let cmd;
    try {
      cmd = JSON.parse(isBinary ? '' : data.toString());
    } catch (e) {
      error(ws, null, 'bad_request', 'not JSON');
      return;
    }
    const id = cmd.id;
    if (cmd.type === 'pong') {
      return;
    }
    if (cmd.type === 'hello') {
      const user = userFromToken(cmd.token);
      if (!user) {
        error(ws, id, 'unauthenticated', 'token must be dev:<user>');
        return;
      }
      ws.userId = user;
      reply(ws, id, { userId: user });
      return;
    }
    if (ws.userId === null) {
      error(ws, id, 'unauthenticated', 'hello first');
      return;
    }
    if (cmd.type === 'join') {
      if (typeof cmd.conversationId !== 'string') {
        error(ws, id, 'bad_request', 'conversationId');
        return;
      }
      let room = rooms.get(cmd.conversationId);
      if (!room) {
        room = { id: cmd.conversationId, seq: 0, members: new Set() };
        rooms.set(room.id, room);
      }
      room.members.add(ws);
      ws.rooms.add(room);
      reply(ws, id, {});
    } else if (cmd.type === 'send') {
      const room = rooms.get(cmd.conversationId);
      if (!room || !ws.rooms.has(room)) {
        error(ws, id, 'forbidden', 'not a member');
        return;
      }
      const message = makeMessage(room, ws.userId, cmd.clientMsgId, cmd.body);
      reply(ws, id, { message });
      // every member's connection, the sender's included (as Parley does); one JSON string for all
      const event = JSON.stringify({ type: 'message', message });
      for (const member of room.members) {
        if (member.readyState === WebSocket.OPEN) {
          member.send(event);
        }
      }
    } else {
      error(ws, id, 'bad_request', 'unknown type ' + cmd.type);
    }
  });
  ws.on('close', () => {
    for (const room of ws.rooms) {
      room.members.delete(ws);
    }
  });
});

const heartbeat = setInterval(() => {
  for (const ws of wss.clients) {
    if (!ws.isAlive) {
      ws.terminate();
    } else {
      ws.isAlive = false;
      ws.ping();
    }
  }
}, 25000);
heartbeat.unref();

serveControl(server);
