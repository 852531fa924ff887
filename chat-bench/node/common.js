'use strict';
// Shared parts of the two baseline chat servers: the message shape (the same JSON fields as
// a Parley `message`), the dev token check, and the control channel on standard input.

let nextId = 0;

/** A message as Parley sends it: id, conversationId, per-room seq, sender, clientMsgId, body, … */
function makeMessage(room, senderId, clientMsgId, body) {
  room.seq += 1;
  nextId += 1;
  return {
    id: 'm' + nextId.toString(36).padStart(10, '0'),
    conversationId: room.id,
    seq: room.seq,
    senderId,
    clientMsgId,
    body,
    replyTo: null,
    createdAt: new Date().toISOString(),
    editedAt: null,
    deleted: false,
    reactions: [],
  };
}

/** `dev:<user>` → user id; anything else → null. */
function userFromToken(token) {
  return typeof token === 'string' && token.startsWith('dev:') && token.length > 4 ? token.slice(4) : null;
}

/** Prints `PORT <n>` once listening; `gc` on stdin runs a full GC (with --expose-gc) and answers `GC`; EOF stops. */
function serveControl(httpServer) {
  httpServer.listen(0, '127.0.0.1', () => {
    process.stdout.write('PORT ' + httpServer.address().port + '\n');
  });
  let pending = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => {
    pending += chunk;
    let nl;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl).trim();
      pending = pending.slice(nl + 1);
      if (line === 'gc') {
        if (typeof global.gc === 'function') {
          global.gc();
        }
        process.stdout.write('GC\n');
      }
    }
  });
  process.stdin.on('end', () => process.exit(0));
}

module.exports = { makeMessage, userFromToken, serveControl };
