import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { adminPageRouter } from '../../src/http/admin-page/admin-page-router.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { silentLogger } from '../../src/log.ts';
import { listenOnLoopback } from '../support/http.ts';

let server: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  const logger = silentLogger();
  server = await listenOnLoopback(
    createHttpApp({ logger, routers: [adminPageRouter({ adminToken: 'vendor-test-token-0123456789abcdef', logger })] }),
  );
});
afterAll(async () => {
  await server?.close();
});

const get = (path: string) => fetch(`${server.url}${path}`);

async function importMap(): Promise<{ text: string; imports: Record<string, string> }> {
  const html = await (await get('/admin/')).text();
  const text = /<script type="importmap">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
  return { text, imports: (JSON.parse(text) as { imports: Record<string, string> }).imports };
}

/** Every module a file imports statically or re-exports, by specifier. */
const specifiers = (source: string) =>
  [...source.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm)].map(
    (m) => m[1] ?? m[2] ?? '',
  );

describe('the code editor served by the service', () => {
  it("maps every bare name the editor's modules import, and serves every file they reach", async () => {
    const { imports } = await importMap();
    const seen = new Set<string>();
    const queue = [...Object.values(imports), '/admin/js/app.js'];
    // The module graph is finite (a few hundred files); the bound only stops a mistake from looping.
    for (let i = 0; i < queue.length && i < 2_000; i++) {
      const url = queue[i] as string;
      if (seen.has(url)) continue;
      seen.add(url);
      const response = await get(url);
      expect({ url, status: response.status }).toEqual({ url, status: 200 });
      expect(response.headers.get('content-type')).toMatch(/javascript/);
      for (const spec of specifiers(await response.text())) {
        if (spec.startsWith('.') || spec.startsWith('/')) queue.push(new URL(spec, `http://x${url}`).pathname);
        else {
          expect({ url, spec, mapped: spec in imports }).toEqual({ url, spec, mapped: true });
          queue.push(imports[spec] as string);
        }
      }
    }
    expect(seen.size).toBeGreaterThan(50);
    expect(seen.size).toBeLessThan(2_000);
  });

  it('serves only the allow-listed packages, and only their .js files', async () => {
    expect((await get('/admin/vendor/@codemirror/view/dist/index.js')).status).toBe(200);
    expect((await get('/admin/vendor/@codemirror/view/package.json')).status).toBe(404);
    expect((await get('/admin/vendor/express/index.js')).status).toBe(404);
    expect((await get('/admin/vendor/@codemirror/view/../../../package.json')).status).toBe(404);
    expect((await get('/admin/vendor/%40codemirror%2Fview%2F..%2F..%2Fexpress%2Findex.js')).status).toBe(404);
  });

  it('lets the import map run under the page policy by its hash, and no other inline script', async () => {
    const { text } = await importMap();
    const policy = (await get('/admin/')).headers.get('content-security-policy') ?? '';
    const hash = createHash('sha256').update(text).digest('base64');
    expect(policy).toContain(`script-src 'self' 'sha256-${hash}';`);
    expect(policy).not.toContain('unsafe-inline');
  });
});
