// Baseline 1: a bare uWebSockets.js server doing the least a postMessage handler must do —
// read the body, JSON.parse it, answer a small JSON 200. Parley ÷ this = the cost of everything else.
import uWS from 'uWebSockets.js';
import { answer, assertNativeUws, bodyText, listen, postAnswer, readPost } from './uws-post.ts';

assertNativeUws();
let clientId = 0;

const app = uWS.App();
app.any('/*', (res, req) => {
  readPost(res, req, (p, raw) => {
    const body = bodyText(p, raw);
    if (body !== undefined) answer(p, '200 OK', postAnswer(++clientId, p.sessionId, body.length));
  });
});
listen(app, 'uws');
