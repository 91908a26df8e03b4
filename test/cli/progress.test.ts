import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/cli/progress.js';

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { stream: { isTTY, columns: 40, write: (c: string) => chunks.push(c) }, chunks };
}

describe('createProgress', () => {
  it('writes nothing when the stream is not a terminal', () => {
    const { stream, chunks } = fakeStream(false);
    const p = createProgress({ stream });
    p.update('profiling amount', 1, 3);
    p.finish('done');
    expect(chunks).toEqual([]);
  });

  it('redraws one line on a terminal, throttling ticks but not new steps or the last tick', () => {
    const { stream, chunks } = fakeStream(true);
    let t = 0;
    const p = createProgress({ stream, minIntervalMs: 100, now: () => t });
    p.update('reading', 1, 10);
    t = 50;
    p.update('reading', 2, 10); // throttled
    p.update('writing', 1, 2); // new step: drawn
    t = 60;
    p.update('writing', 2, 2); // last tick: drawn
    p.finish();
    expect(chunks).toEqual(['\r\x1b[2Kreading 1/10', '\r\x1b[2Kwriting 1/2', '\r\x1b[2Kwriting 2/2', '\r\x1b[2K']);
  });

  it('cuts long labels to the terminal width and prints a final message', () => {
    const { stream, chunks } = fakeStream(true);
    const p = createProgress({ stream });
    p.update('x'.repeat(100));
    p.finish('built');
    expect(chunks[0]).toBe(`\r\x1b[2K${'x'.repeat(39)}`);
    expect(chunks.slice(1)).toEqual(['\r\x1b[2K', 'built\n']);
  });
});
