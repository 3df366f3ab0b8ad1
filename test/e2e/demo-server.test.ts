// scripts/demo-server.js: the stock demo pages, Debian's javascript folder, a complete
// settings.js, and nothing outside those two folders.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { DemoServer, startDemoServer } from '../helpers/chromium';

/** Raw GET (no URL normalisation by the client, unlike fetch). */
function rawGet(port: number, path: string, method = 'GET'): Promise<{ status: number; body: string; type?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body, type: res.headers['content-type'] }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('demo page server', () => {
  let demo: DemoServer;
  before(async () => {
    demo = await startDemoServer({ port: 0, janusPort: 18088 });
  });
  after(async () => {
    await demo?.close();
  });

  it('serves the stock echotest page and its scripts', async () => {
    const page = await rawGet(demo.port, '/echotest.html');
    assert.equal(page.status, 200);
    assert.match(page.type ?? '', /text\/html/);
    assert.match(page.body, /echotest\.js/);
    assert.equal((await rawGet(demo.port, '/echotest.js')).status, 200);
    const janusJs = await rawGet(demo.port, '/javascript/janus-gateway/janus.min.js');
    assert.equal(janusJs.status, 200);
    assert.match(janusJs.type ?? '', /javascript/);
    assert.equal((await rawGet(demo.port, '/javascript/webrtc-adapter/adapter.min.js')).status, 200);
  });

  it('serves the project\'s own pages (demos/) next to the stock ones', async () => {
    const page = await rawGet(demo.port, '/chatroulette.html');
    assert.equal(page.status, 200);
    assert.match(page.body, /janus-gateway\/janus\.min\.js/);
    const js = await rawGet(demo.port, '/chatroulette.js');
    assert.equal(js.status, 200);
    assert.match(js.type ?? '', /javascript/);
    assert.match(js.body, /janus\.plugin\.chatroulette/);
    assert.equal((await rawGet(demo.port, '/css/demo.css')).status, 200, 'the stock folder still answers for the rest');
  });

  it('serves its own settings.js with server, iceServers, token and apisecret', async () => {
    const { status, body } = await rawGet(demo.port, '/settings.js');
    assert.equal(status, 200);
    const globals = new Function(`const window = { location: { hostname: 'example.test' } };
      ${body}; return { server, iceServers, token, apisecret };`)();
    assert.deepEqual(globals, { server: 'http://example.test:18088/janus', iceServers: [], token: null, apisecret: null });
  });

  it('answers 404 for missing files and never serves outside its folders', async () => {
    assert.equal((await rawGet(demo.port, '/nope.html')).status, 404);
    for (const p of ['/../../../etc/passwd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/javascript/../../../etc/passwd',
      '/javascript/%2e%2e/%2e%2e/%2e%2e/etc/passwd']) {
      const r = await rawGet(demo.port, p);
      assert.notEqual(r.status, 200, `${p} must not be served`);
      assert.doesNotMatch(r.body, /root:/);
    }
  });

  it('refuses methods other than GET and HEAD', async () => {
    assert.equal((await rawGet(demo.port, '/echotest.html', 'POST')).status, 405);
    const head = await rawGet(demo.port, '/echotest.html', 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
  });
});
