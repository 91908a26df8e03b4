// docker-compose.yml and the Dockerfile are checked as text here: there is no Docker engine
// on the build machine, so these tests pin what other parts of driftwatch rely on.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (name: string): string => readFileSync(`${root}${name}`, 'utf8');

interface Service {
  image?: string;
  build?: { context?: string; dockerfile?: string };
  command?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

const compose = parse(read('docker-compose.yml')) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
const service = (name: string): Service => {
  const s = compose.services[name];
  if (s === undefined) throw new Error(`docker-compose.yml has no service "${name}"`);
  return s;
};

/** KEY=VALUE settings of the apache/kafka container as Kafka property names. */
function kafkaProps(env: Record<string, string>): Map<string, string> {
  const props = new Map<string, string>();
  for (const [k, v] of Object.entries(env)) {
    if (k.startsWith('KAFKA_') && k !== 'KAFKA_HEAP_OPTS') props.set(k.slice(6).toLowerCase().replaceAll('_', '.'), String(v));
  }
  return props;
}

describe('docker-compose.yml', () => {
  it('has exactly the four services', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['driftwatch', 'kafka', 'mailpit', 'schema-registry']);
  });

  it('kafka: official apache/kafka 3.9.1 image, single KRaft node, host port 9092', () => {
    const kafka = service('kafka');
    expect(kafka.image).toBe('apache/kafka:3.9.1');
    expect(kafka.ports).toEqual(['9092:9092']);
    const env = kafka.environment ?? {};
    const props = kafkaProps(env);
    expect(props.get('process.roles')).toBe('broker,controller');
    expect(props.get('node.id')).toBe('1');
    expect(props.get('controller.quorum.voters')).toBe('1@kafka:9093');
    expect(props.get('controller.listener.names')).toBe('CONTROLLER');
    // Host clients get localhost:9092, containers kafka:29092.
    expect(props.get('advertised.listeners')?.split(',').sort()).toEqual(['EXTERNAL://localhost:9092', 'INTERNAL://kafka:29092']);
    const listenerNames = (props.get('listeners') ?? '').split(',').map((l) => l.split('://')[0]);
    const mapped = (props.get('listener.security.protocol.map') ?? '').split(',').map((m) => m.split(':')[0]);
    expect(listenerNames.sort()).toEqual(mapped.sort());
    expect(listenerNames).toContain(props.get('inter.broker.listener.name'));
    for (const rf of ['offsets.topic.replication.factor', 'transaction.state.log.replication.factor', 'transaction.state.log.min.isr']) {
      expect(props.get(rf), rf).toBe('1');
    }
    expect(props.get('group.initial.rebalance.delay.ms')).toBe('0');
    expect(Number(props.get('message.max.bytes'))).toBeGreaterThanOrEqual(16 * 1024 * 1024);
    // CLUSTER_ID must be a Kafka Uuid: 16 bytes in URL-safe base64 without padding.
    const id = env.CLUSTER_ID ?? '';
    expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    expect(Buffer.from(id, 'base64url').toString('base64url')).toBe(id);
    expect(kafka.healthcheck?.test.join(' ')).toContain('kafka:29092');
  });

  it('schema-registry: Confluent-compatible on 8081, stored in the compose Kafka', () => {
    const sr = service('schema-registry');
    expect(sr.image).toMatch(/^confluentinc\/cp-schema-registry:\d+\.\d+\.\d+$/);
    expect(sr.ports).toEqual(['8081:8081']);
    expect(sr.environment?.SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS).toBe('PLAINTEXT://kafka:29092');
    expect(sr.environment?.SCHEMA_REGISTRY_LISTENERS).toBe('http://0.0.0.0:8081');
    expect(sr.depends_on?.kafka?.condition).toBe('service_healthy');
  });

  it('mailpit: SMTP 1025 and UI 8025, accepting the login driftwatch sends', () => {
    const mp = service('mailpit');
    expect(mp.image).toMatch(/^axllent\/mailpit:/);
    expect(mp.ports?.sort()).toEqual(['1025:1025', '8025:8025']);
    expect(mp.environment?.MP_SMTP_AUTH_ACCEPT_ANY).toBe('1');
    expect(mp.environment?.MP_SMTP_AUTH_ALLOW_INSECURE).toBe('1');
  });

  it('driftwatch: built from the Dockerfile, runs the config, reaches the others by service name', () => {
    const dw = service('driftwatch');
    expect(dw.build).toEqual({ context: '.', dockerfile: 'Dockerfile' });
    expect(dw.command).toEqual(['run', '--config', '/config/driftwatch.yaml']);
    // The variables driftwatch.example.yaml reads (${KAFKA_BROKERS}, ${SMTP_HOST}, …).
    expect(dw.environment).toMatchObject({
      KAFKA_BROKERS: 'kafka:29092',
      SCHEMA_REGISTRY_URL: 'http://schema-registry:8081',
      SMTP_HOST: 'mailpit',
      SMTP_PORT: '1025',
    });
    expect(dw.environment?.SMTP_PASSWORD).toBeTruthy();
    expect(dw.ports).toEqual(['9464:9464']);
    const volumes = dw.volumes ?? [];
    expect(volumes).toContain('./rules:/app/rules:ro');
    expect(volumes).toContain('./schemas:/app/schemas:ro');
    expect(volumes.some((v) => v.endsWith(':/config/driftwatch.yaml:ro'))).toBe(true);
    expect(volumes).toContain('driftwatch-data:/app/data');
    expect(compose.volumes).toHaveProperty('driftwatch-data');
    expect(dw.depends_on?.kafka?.condition).toBe('service_healthy');
    expect(Object.keys(dw.depends_on ?? {}).sort()).toEqual(['kafka', 'mailpit', 'schema-registry']);
  });

  it('the default config file it mounts reads the env vars compose sets', () => {
    const mount = service('driftwatch').volumes?.find((v) => v.endsWith(':/config/driftwatch.yaml:ro')) ?? '';
    const file = /^\$\{DRIFTWATCH_CONFIG:-\.\/([^}]+)\}:/.exec(mount)?.[1];
    expect(file).toBe('driftwatch.example.yaml');
    if (file === undefined || !existsSync(`${root}${file}`)) throw new Error(`${file} is missing from the repo`);
    const config = read(file);
    for (const name of ['KAFKA_BROKERS', 'SMTP_HOST', 'SMTP_PORT']) expect(config, name).toContain(`\${${name}`);
    expect(config).toMatch(/port:\s*9464\b/);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const lines = dockerfile.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));

  it('builds on node:20-slim with npm ci and npm run build', () => {
    const froms = lines.filter((l) => l.startsWith('FROM '));
    expect(froms.length).toBeGreaterThan(0);
    for (const f of froms) expect(f).toMatch(/^FROM node:20-slim\b/);
    expect(lines.some((l) => /^RUN npm ci\b/.test(l))).toBe(true);
    expect(lines).toContain('RUN npm run build');
  });

  it('runs bin/driftwatch.js with the compose config by default', () => {
    expect(lines).toContain('ENTRYPOINT ["node", "bin/driftwatch.js"]');
    expect(lines).toContain('CMD ["run", "--config", "/config/driftwatch.yaml"]');
    // Every path it copies from the repo exists (a typo would only show up in `docker build`).
    for (const l of lines.filter((x) => x.startsWith('COPY ') && !x.includes('--from='))) {
      const sources = l.split(/\s+/).slice(1, -1);
      for (const src of sources) expect(existsSync(`${root}${src}`), `${l}: ${src}`).toBe(true);
    }
  });
});
