import { describe, expect, it } from 'vitest';
import { ingestOptionsFromConfig } from '../../src/ingest/from-config.js';
import { createStreamProcessor } from '../../src/ingest/stream.js';
import { ROOT } from './fixtures.js';

describe('config → ingest options', () => {
  it('maps the loaded config sections onto consumer options', () => {
    const o = ingestOptionsFromConfig(
      { brokers: ['k:9092'], clientId: 'dw', groupId: 'g', fromBeginning: true, sasl: { mechanism: 'plain', username: 'u', password: 'p' } },
      [
        {
          name: 'payments',
          topic: 'tx',
          encoding: 'confluent-avro',
          readerSchema: 'schemas/transactions.avsc',
          registry: { url: 'http://r:8081', timeoutMs: 2000 },
          schemaIds: { '1': 'schemas/transactions.v1.avsc' },
          eventTimeField: 'event_time',
          dlqTopic: 'tx.dead',
          extraFields: 'strip',
        },
      ],
      { baseDir: ROOT },
    );
    expect(o).toMatchObject({ brokers: ['k:9092'], groupId: 'g', fromBeginning: true, baseDir: ROOT, sasl: { mechanism: 'plain' } });
    expect(o.streams[0]).toEqual({
      name: 'payments',
      topic: 'tx',
      codec: 'confluent-avro',
      schema: undefined,
      readerSchema: 'schemas/transactions.avsc',
      registry: { url: 'http://r:8081', timeoutMs: 2000 },
      schemaIds: { '1': 'schemas/transactions.v1.avsc' },
      eventTimeField: 'event_time',
      dlqTopic: 'tx.dead',
      extraFields: 'strip',
    });
    const p = createStreamProcessor(o.streams[0]!, ROOT);
    expect(p.dlqTopic).toBe('tx.dead');
  });
});
