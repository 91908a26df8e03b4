import { describe, expect, it } from 'vitest';
import { alertLogger, createLogger, ingestLogger } from '../../src/pipeline/logger.js';

function capture(level: Parameters<typeof createLogger>[0]['level'] = 'info') {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level, destination: { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) } });
  return { logger, lines };
}

describe('pipeline logger', () => {
  it('writes one JSON object per line with level, time and message', () => {
    const { logger, lines } = capture();
    logger.info({ stream: 'tx' }, 'window evaluated');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, name: 'driftwatch', stream: 'tx', msg: 'window evaluated' });
    expect(String(lines[0]!.time)).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('censors keys that hold secrets, top level and one level down', () => {
    const { logger, lines } = capture();
    logger.warn({ webhookUrl: 'https://hooks.slack.com/services/T/B/secret', channel: { password: 'hunter2', name: 'email' } }, 'x');
    const text = JSON.stringify(lines);
    expect(text).not.toContain('secret');
    expect(text).not.toContain('hunter2');
    expect(lines[0]).toMatchObject({ webhookUrl: '[redacted]', channel: { password: '[redacted]', name: 'email' } });
  });

  it('drops lines below the level, and adapts the ingest and alert logger shapes', () => {
    const { logger, lines } = capture('warn');
    ingestLogger(logger).info('ingest: joined group', { groupId: 'g' });
    ingestLogger(logger).warn('ingest: offset commit failed', { where: 'tx/0' });
    alertLogger(logger).error({ channel: 'slack' }, 'notification refused');
    expect(lines.map((l) => [l.module, l.msg])).toEqual([
      ['ingest', 'ingest: offset commit failed'],
      ['alerts', 'notification refused'],
    ]);
    expect(lines[0]).toMatchObject({ where: 'tx/0', level: 40 });
  });
});
