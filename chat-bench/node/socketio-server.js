'use strict';
// Baseline: a minimal chat server on Socket.IO 4, WebSocket transport only, no compression,
// no persistence. The client signs in with `auth: {token: "dev:<user>"}`, joins rooms with
// emit("join", room, ack) and sends with emit("send", {conversationId, clientMsgId, body}, ack);
// the ack carries {ok, message} and every member of the room (the sender included, as Parley
// does) gets emit("message", message). Engine.IO heartbeats: ping every 25 s (the default).
//   node socketio-server.js  prints "PORT <n>", stops when stdin closes
const http = require('http');
const { Server } = require('socket.io');
const { makeMessage, userFromToken, serveControl } = require('./common');

const server = http.createServer();
const io = new Server(server, {
  transports: ['websocket'],
  perMessageDeflate: false,
  httpCompression: false,
  serveClient: false,
  maxHttpBufferSize: 1 << 20,
});
const rooms = new Map(); // room id -> { id, seq }

io.use((socket, next) => {
  const user = userFromToken(socket.handshake.auth && socket.handshake.auth.token);
  if (!user) {
    next(new Error('unauthenticated'));
    return;
  }
  socket.data.userId = user;
  next();
});

io.on('connection', (socket) => {
  socket.on('join', (roomId, ack) => {
    if (typeof roomId !== 'string' || typeof ack !== 'function') {
      return;
    }
    if (!rooms.has(roomId)) {
      rooms.set(roomId, { id: roomId, seq: 0 });
    }
    socket.join(roomId);
    ack({ ok: true });
  });
  socket.on('send', (cmd, ack) => {
    if (typeof ack !== 'function') {
      return;
    }
    const room = cmd && rooms.get(cmd.conversationId);
    if (!room || !socket.rooms.has(room.id)) {
      ack({ ok: false, error: { code: 'forbidden', message: 'not a member', retryable: false } });
      return;
    }
    const message = makeMessage(room, socket.data.userId, cmd.clientMsgId, cmd.body);
    ack({ ok: true, message });
    io.to(room.id).emit('message', message);
  });
});

serveControl(server);
