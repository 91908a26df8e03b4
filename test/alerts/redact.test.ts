import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from '../../src/alerts/redact.js';

describe('Redactor', () => {
  it('removes configured secrets, whole URLs and the secret parts of a webhook URL', () => {
    const url = 'http://127.0.0.1:4567/services/T0001/B0001/s3cr3tT0k3nXYZ';
    const r = new Redactor([url, 'hunter2hunter2', undefined, 'abc']);
    expect(r.redact(`POST ${url} failed`)).toBe(`POST ${REDACTED} failed`);
    expect(r.redact('path /services/T0001/B0001/s3cr3tT0k3nXYZ refused')).toBe(`path ${REDACTED} refused`);
    expect(r.redact('token s3cr3tT0k3nXYZ!')).not.toContain('s3cr3tT0k3nXYZ');
    expect(r.redact('auth failed for hunter2hunter2')).toBe(`auth failed for ${REDACTED}`);
    // Too short to be a secret worth hiding (would shred ordinary words).
    expect(r.redact('abc def')).toBe('abc def');
  });

  it('masks well-known token shapes it was not told about', () => {
    const r = new Redactor();
    const text = [
      'see https://hooks.slack.com/services/TAAA/BBBB/XXXXXXXXXXXX now',
      'Authorization: Bearer ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      'xoxb-1234-5678-abcdef',
      'password=Sup3rS3cret&user=x',
      'smtp://driftwatch:pa55word@mail:25',
      'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz',
    ].join('\n');
    const out = r.redact(text);
    for (const secret of ['XXXXXXXXXXXX', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'xoxb-1234', 'Sup3rS3cret', 'pa55word', 'github_pat_11ABCDEFG']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('Bearer [REDACTED]');
    expect(out).toContain('password=[REDACTED]&user=x');
    expect(out).toContain('smtp://driftwatch:[REDACTED]@mail:25');
  });
});
