import { readFile } from 'node:fs/promises';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { envSchema } from '../../src/config/env.ts';
import { loadMappings } from '../../src/config/mappings.ts';
import { splitPropertyNames } from '../../src/core/mappings/company-properties.ts';

/** The operator's files at the repository root: what a first deployment is built from. */
const read = (path: string) => readFile(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('.env.example', () => {
  it('names every variable of the environment schema', async () => {
    // A line `NAME=…`, commented out (at its default) or not.
    const listed = new Set([...(await read('.env.example')).matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]));
    const missing = Object.keys(envSchema.shape).filter((name) => !listed.has(name));
    expect(missing).toEqual([]);
  });
});

describe('docker-compose.yml', () => {
  it('runs the service on a pinned PostgreSQL with a volume, health checks on pg_isready and /readyz, and DATABASE_URL', async () => {
    const compose = parse(await read('docker-compose.yml')) as {
      services: Record<
        string,
        {
          image?: string;
          volumes?: string[];
          healthcheck?: { test: string[] };
          environment?: Record<string, string>;
          env_file?: string;
          depends_on?: Record<string, { condition: string }>;
        }
      >;
    };
    const { postgres, handoff } = compose.services;
    expect(postgres?.image).toMatch(/^postgres:\d+\.\d+/);
    expect(postgres?.volumes?.length).toBeGreaterThan(0);
    expect(postgres?.healthcheck?.test.join(' ')).toContain('pg_isready');
    expect(handoff?.env_file).toBe('.env');
    expect(handoff?.environment?.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
    expect(handoff?.depends_on?.postgres?.condition).toBe('service_healthy');
    expect(handoff?.healthcheck?.test.join(' ')).toContain('/readyz');
  });
});

describe('Dockerfile', () => {
  it('installs with npm ci, from pinned base images, and checks health on /readyz', async () => {
    const dockerfile = await read('Dockerfile');
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev\b/m);
    expect(dockerfile).not.toMatch(/npm install/);
    const images = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((match) => match[1]!);
    expect(images.length).toBeGreaterThan(0);
    // An exact version (major.minor.patch) or a digest: no floating tag such as node:24 or latest.
    for (const image of images) expect(image).toMatch(/^[\w./-]+:\d+\.\d+\.\d+[\w.-]*(@sha256:[0-9a-f]{64})?$|@sha256:[0-9a-f]{64}$/);
    const healthcheck = dockerfile.slice(dockerfile.indexOf('HEALTHCHECK'));
    expect(healthcheck.split('\nCMD [')[0]).toContain('/readyz');
    expect(dockerfile).not.toContain('/healthz');
  });

  it('builds from a context without node_modules, data, .git, tests or the bench', async () => {
    const ignored = (await read('.dockerignore')).split('\n').map((line) => line.trim());
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'data', '.git', 'test', 'bench', '.env']));
  });
});

describe('CHANGELOG.md', () => {
  it('has an Unreleased section with upgrade notes', async () => {
    const changelog = await read('CHANGELOG.md');
    const unreleased = changelog.split(/^## /m).find((section) => section.startsWith('[Unreleased]'));
    expect(unreleased).toBeDefined();
    expect(unreleased).toMatch(/^### Upgrade notes\n- /m);
  });
});

describe('docs/live-setup.md', () => {
  it('lists for webhook subscriptions exactly the contact properties the shipped mappings read', async () => {
    const guide = await read('docs/live-setup.md');
    const block = /<!-- webhook-properties:start -->\n([\s\S]*?)<!-- webhook-properties:end -->/.exec(guide);
    expect(block).not.toBeNull();
    const listed = [...block![1]!.matchAll(/^- `([^`]+)`$/gm)].map((match) => match[1]);
    const bundle = await loadMappings(new URL('../../mappings', import.meta.url).pathname);
    // What a handoff reads (handoff-contacts.ts): the bundle's properties and the recycle-after date; company
    // properties come from the company, which sends no contact event.
    const handoffReads = [...bundle.hubspotProperties, bundle.fieldMapping.hubspot.recycleAfterProperty];
    expect(listed).toEqual([...new Set(splitPropertyNames(handoffReads).contact)].sort());
  });
});

describe('SECURITY.md', () => {
  it('says how to report a weakness, and every test it names as proof exists', async () => {
    const security = await read('SECURITY.md');
    expect(security).toMatch(/^## Reporting a vulnerability$/m);
    const named = [...security.matchAll(/`(test\/[^`]+\.test\.ts)`/g)].map((match) => match[1] ?? '');
    expect(named.length).toBeGreaterThanOrEqual(15);
    const missing: string[] = [];
    for (const path of named) await read(path).catch(() => missing.push(path));
    expect(missing).toEqual([]);
  });
});
