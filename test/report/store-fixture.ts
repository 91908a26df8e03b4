/**
 * Writes ReportData into a DuckDB file with the real store and alert DDL (src/store/schema.ts,
 * src/alerts/ddl.ts), the way the pipeline would have: drift_results, feature_windows,
 * alert_history. Rows go in with plain INSERTs: fine for a few thousand test rows.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { createAlertTables } from '../../src/alerts/ddl.js';
import { ensureSchema } from '../../src/store/schema.js';
import type { ReportData } from '../../src/report/types.js';

const q = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const ts = (ms: number): string => `make_timestamp(${ms * 1000}::BIGINT)`;

export const WINDOW_ROWS = 10_000;

export async function writeStore(path: string, datasets: readonly ReportData[]): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  try {
    await ensureSchema(conn, path, []);
    await createAlertTables(conn);
    for (const data of datasets) {
      const hour = data.windowMs ?? 3_600_000;
      const drift = data.features.flatMap((f) =>
        f.series.map((p) => `(${q(data.stream)}, ${ts(p.windowStart)}, ${ts(p.windowStart + hour)}, ${q(f.name)}, ${q(p.metric)}, ${q(String(p.value))}::DOUBLE, NULL, ${q(p.status)}, ${ts(data.generatedAt)})`),
      );
      // A result without a value (e.g. insufficient data) must not become a point.
      drift.push(`(${q(data.stream)}, ${ts(data.from!)}, ${ts(data.from! + hour)}, 'amount', 'psi_nan', NULL, NULL, 'insufficient_data', ${ts(data.generatedAt)})`);
      for (let i = 0; i < drift.length; i += 500) await conn.run(`INSERT INTO drift_results VALUES ${drift.slice(i, i + 500).join(', ')}`);

      const windows = data.features.flatMap((f) =>
        f.nullRate.map((n) => {
          const missing = Math.round(n.value * WINDOW_ROWS);
          const cats = f.kind === 'categorical' && f.current?.kind === 'categorical' ? q(JSON.stringify(Object.fromEntries(f.current.categories.map((c) => [c.name, Math.round(c.proportion * f.current!.count)])))) : 'NULL';
          const bins = f.kind === 'numeric' && f.current?.kind === 'numeric' ? q(JSON.stringify(f.current.proportions.map((p) => Math.round(p * f.current!.count)))) : 'NULL';
          return `(${q(data.stream)}, ${ts(n.windowStart)}, ${ts(n.windowStart + hour)}, ${q(f.name)}, ${q(f.kind)}, ${WINDOW_ROWS}, ${missing}, 0, 0,
            NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, ${cats}, ${bins}, ${ts(n.windowStart + hour)})`;
        }),
      );
      for (let i = 0; i < windows.length; i += 500) await conn.run(`INSERT INTO feature_windows VALUES ${windows.slice(i, i + 500).join(', ')}`);

      const last = new Map<string, string>();
      const history = data.alerts.map((a) => {
        const from = last.get(a.feature) ?? 'pending';
        last.set(a.feature, a.state);
        const notification = from === 'firing' && a.state === 'firing' ? 'escalated' : a.state === 'firing' ? 'firing' : a.state === 'resolved' ? 'resolved' : null;
        return `(${q(data.stream)}, ${q(a.feature)}, ${q(`${data.stream}/${a.feature}`)}, ${a.time - hour}, ${a.time}, ${q(from)}, ${q(a.state)}, ${a.severity ? q(a.severity) : 'NULL'}, ${notification ? q(notification) : 'NULL'}, '[]', ${a.time})`;
      });
      // A pending step and a repeat notification: neither is a timeline event.
      history.push(`(${q(data.stream)}, 'amount', ${q(`${data.stream}/amount`)}, ${data.from!}, ${data.from! + hour}, 'ok', 'pending', 'warn', NULL, '[]', 0)`);
      if (history.length) await conn.run(`INSERT INTO alert_history VALUES ${history.join(', ')}`);
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
