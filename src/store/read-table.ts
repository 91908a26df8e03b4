/**
 * Read a Parquet, CSV or JSON Lines file through DuckDB: list its columns and pull whole
 * columns out fast (numeric as Float64Array, text as string arrays or category counts).
 */
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { endianness } from 'node:os';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection, DuckDBMaterializedResult } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import { InputError, InputNotFoundError, UnknownFeatureError, errorMessage } from '../errors.js';

export const TableFormats = { parquet: 'parquet', csv: 'csv', jsonl: 'jsonl' } as const;
export type TableFormat = (typeof TableFormats)[keyof typeof TableFormats];

/** How a column can be used as a feature, judged from its DuckDB type. */
export const ColumnClasses = { numeric: 'numeric', categorical: 'categorical', other: 'other' } as const;
export type ColumnClass = (typeof ColumnClasses)[keyof typeof ColumnClasses];

export interface TableColumn {
  readonly name: string;
  /** DuckDB type as DESCRIBE prints it, e.g. DOUBLE, VARCHAR, DECIMAL(10,2). */
  readonly duckdbType: string;
  readonly columnClass: ColumnClass;
}

/** A column read as doubles, row-aligned. NaN and ±Inf are kept as they are. */
export interface NumericColumn {
  /** One slot per row; a null row holds NaN here and 1 in `nulls`. */
  readonly values: Float64Array;
  /** 1 = SQL NULL; null when the column has no nulls. */
  readonly nulls: Uint8Array | null;
  readonly nullCount: number;
}

/** Distinct values of a column and how often each occurs (NULL counted apart). */
export interface ValueCounts {
  readonly counts: ReadonlyMap<string, number>;
  readonly nullCount: number;
  readonly rowCount: number;
}

export interface TableReader {
  readonly path: string;
  readonly format: TableFormat;
  readonly columns: readonly TableColumn[];
  column(name: string): TableColumn;
  rowCount(): Promise<number>;
  /** Reads a column as doubles; non-numeric text in it is an InputError naming examples. */
  readNumeric(name: string): Promise<NumericColumn>;
  /** Reads a column as text (any type is cast to VARCHAR). */
  readStrings(name: string): Promise<(string | null)[]>;
  /** Counts distinct values in DuckDB (GROUP BY), ~15x faster than readStrings on 1M rows. */
  countValues(name: string): Promise<ValueCounts>;
  close(): void;
}

export interface OpenTableOptions {
  /** Overrides detection by file extension. */
  format?: TableFormat;
}

const extensionFormats: Readonly<Record<string, TableFormat>> = {
  '.parquet': 'parquet',
  '.pq': 'parquet',
  '.csv': 'csv',
  '.tsv': 'csv',
  '.txt': 'csv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.json': 'jsonl',
};

export function isTableFormat(value: string): value is TableFormat {
  return Object.values(TableFormats).includes(value as TableFormat);
}

/** Format from the extension (compression suffixes .gz/.zst are looked through). */
export function formatFromPath(path: string, override?: TableFormat): TableFormat {
  if (override !== undefined) return override;
  const base = path.replace(/\.(gz|zst)$/i, '');
  const format = extensionFormats[extname(base).toLowerCase()];
  if (format === undefined) {
    throw new InputError(
      `${path}: cannot tell the file format from its extension; use .parquet, .csv or .jsonl, or pass the format explicitly (parquet|csv|jsonl)`,
      { details: { path } },
    );
  }
  return format;
}

const numericType = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL\(\d+,\s*\d+\))$/;
const categoricalType = /^(VARCHAR|BOOLEAN|ENUM\(.*\))$/s;

export function columnClassOf(duckdbType: string): ColumnClass {
  if (numericType.test(duckdbType)) return ColumnClasses.numeric;
  if (categoricalType.test(duckdbType)) return ColumnClasses.categorical;
  return ColumnClasses.other;
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function scanSql(path: string, format: TableFormat): string {
  const p = quoteString(path);
  switch (format) {
    case 'parquet':
      return `read_parquet(${p})`;
    case 'csv':
      return `read_csv(${p}, auto_detect = true)`;
    case 'jsonl':
      return extname(path.replace(/\.(gz|zst)$/i, '')).toLowerCase() === '.json'
        ? `read_json_auto(${p}, format = 'auto')`
        : `read_json_auto(${p}, format = 'newline_delimited')`;
  }
}

/** DuckDB appends the SQL and a caret after the reason; users only need the reason. */
function duckdbReason(err: unknown): string {
  return errorMessage(err).split(/\n\s*\n|\nLINE \d+:/)[0]!.trim();
}

/** Opens a data file. Close the reader when done (or use withTable). */
export async function openTable(path: string, options: OpenTableOptions = {}): Promise<TableReader> {
  const format = formatFromPath(path, options.format);
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new InputError(`${path}: is a directory, expected a ${format} file`, { details: { path } });
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputNotFoundError(`${path}: file not found`, { cause: err, details: { path } });
  }
  const instance = await DuckDBInstance.create(':memory:');
  let connection: DuckDBConnection | undefined;
  try {
    connection = await instance.connect();
    // Parquet is columnar, so a view scans only the column asked for. CSV/JSON would be
    // re-parsed for every column read, so they are loaded once into a table.
    const kind = format === 'parquet' ? 'VIEW' : 'TABLE';
    await connection.run(`CREATE ${kind} src AS SELECT * FROM ${scanSql(path, format)}`);
    const described = await connection.runAndReadAll('DESCRIBE src');
    const columns = described.getRows().map((row): TableColumn => {
      const duckdbType = String(row[1]);
      return { name: String(row[0]), duckdbType, columnClass: columnClassOf(duckdbType) };
    });
    return new DuckDBTableReader(path, format, columns, instance, connection);
  } catch (err) {
    connection?.closeSync();
    instance.closeSync();
    throw new InputError(`${path}: cannot read as ${format}: ${duckdbReason(err)}`, { cause: err, details: { path, format } });
  }
}

/** Opens, runs `fn`, and always closes. */
export async function withTable<T>(path: string, options: OpenTableOptions, fn: (table: TableReader) => Promise<T>): Promise<T> {
  const table = await openTable(path, options);
  try {
    return await fn(table);
  } finally {
    table.close();
  }
}

const littleEndianHost = endianness() === 'LE';

class DuckDBTableReader implements TableReader {
  private readonly byName: ReadonlyMap<string, TableColumn>;

  constructor(
    readonly path: string,
    readonly format: TableFormat,
    readonly columns: readonly TableColumn[],
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {
    this.byName = new Map(columns.map((c) => [c.name, c]));
  }

  column(name: string): TableColumn {
    const column = this.byName.get(name);
    if (column === undefined) {
      throw new UnknownFeatureError(
        `${this.path}: no column "${name}"; columns are: ${this.columns.map((c) => c.name).join(', ') || '(none)'}`,
        { details: { path: this.path, feature: name } },
      );
    }
    return column;
  }

  async rowCount(): Promise<number> {
    const result = await this.query('SELECT count(*)::DOUBLE FROM src');
    return Number(result.getChunk(0).getColumnVector(0).getItem(0));
  }

  async readNumeric(name: string): Promise<NumericColumn> {
    const column = this.column(name);
    const id = quoteIdent(column.name);
    if (column.columnClass !== ColumnClasses.numeric) await this.assertCastsToDouble(column);
    const result = await this.query(`SELECT TRY_CAST(${id} AS DOUBLE) FROM src`);
    return doublesFromResult(result);
  }

  async readStrings(name: string): Promise<(string | null)[]> {
    const id = quoteIdent(this.column(name).name);
    const result = await this.query(`SELECT CAST(${id} AS VARCHAR) FROM src`);
    const out = new Array<string | null>(result.rowCount);
    let row = 0;
    for (let c = 0; c < result.chunkCount; c++) {
      const chunk = result.getChunk(c);
      const vector = chunk.getColumnVector(0);
      for (let i = 0; i < chunk.rowCount; i++) out[row++] = vector.getItem(i) as string | null;
    }
    return out;
  }

  async countValues(name: string): Promise<ValueCounts> {
    const id = quoteIdent(this.column(name).name);
    const result = await this.query(`SELECT CAST(${id} AS VARCHAR) AS v, count(*)::DOUBLE AS n FROM src GROUP BY 1 ORDER BY 2 DESC, 1`);
    const counts = new Map<string, number>();
    let nullCount = 0;
    let rowCount = 0;
    for (let c = 0; c < result.chunkCount; c++) {
      const chunk = result.getChunk(c);
      const values = chunk.getColumnVector(0);
      const ns = chunk.getColumnVector(1);
      for (let i = 0; i < chunk.rowCount; i++) {
        const value = values.getItem(i) as string | null;
        const n = ns.getItem(i) as number;
        rowCount += n;
        if (value === null) nullCount += n;
        else counts.set(value, n);
      }
    }
    return { counts, nullCount, rowCount };
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  /** TRY_CAST turns 'abc' into NULL silently; refuse instead, naming what was found. */
  private async assertCastsToDouble(column: TableColumn): Promise<void> {
    const id = quoteIdent(column.name);
    const result = await this.query(
      `SELECT CAST(${id} AS VARCHAR) AS v, count(*) OVER ()::DOUBLE AS n FROM src WHERE ${id} IS NOT NULL AND TRY_CAST(${id} AS DOUBLE) IS NULL LIMIT 3`,
    );
    if (result.rowCount === 0) return;
    const chunk = result.getChunk(0);
    const examples = chunk.getColumnVector(0).toArray().map((v) => JSON.stringify(v));
    const bad = Number(chunk.getColumnVector(1).getItem(0));
    throw new InputError(
      `${this.path}: feature "${column.name}" is read as numeric but has ${bad} non-numeric value(s) (column type ${column.duckdbType}), e.g. ${examples.join(', ')}`,
      { details: { path: this.path, feature: column.name, nonNumeric: bad } },
    );
  }

  private async query(sql: string): Promise<DuckDBMaterializedResult> {
    try {
      return await this.connection.run(sql);
    } catch (err) {
      throw new InputError(`${this.path}: cannot read as ${this.format}: ${duckdbReason(err)}`, {
        cause: err,
        details: { path: this.path, format: this.format },
      });
    }
  }
}

/**
 * Copies a one-column DOUBLE result into a Float64Array straight from DuckDB's vector
 * memory. On 1M rows: ~15-35 ms, against ~110-150 ms for the public per-item getItem
 * loop and ~300+ ms for runAndReadAll().getColumns() (measured on this 2-core box).
 */
function doublesFromResult(result: DuckDBMaterializedResult): NumericColumn {
  const values = new Float64Array(result.rowCount);
  let nulls: Uint8Array | null = null;
  let nullCount = 0;
  let row = 0;
  for (let c = 0; c < result.chunkCount; c++) {
    const chunk = result.getChunk(c);
    const n = chunk.rowCount;
    const vector = duckdb.data_chunk_get_vector(chunk.chunk, 0);
    const bytes = duckdb.vector_get_data(vector, n * 8);
    if (littleEndianHost && bytes.byteOffset % 8 === 0) {
      values.set(new Float64Array(bytes.buffer, bytes.byteOffset, n), row);
    } else {
      const view = new DataView(bytes.buffer, bytes.byteOffset, n * 8);
      for (let i = 0; i < n; i++) values[row + i] = view.getFloat64(i * 8, littleEndianHost);
    }
    // Validity is a uint64 bitmask (bit set = valid); null pointer when all rows are valid.
    const validity = duckdb.vector_get_validity(vector, Math.ceil(n / 64) * 8);
    if (validity !== null && validity.byteLength > 0) {
      for (let i = 0; i < n; i++) {
        const word = i >> 6;
        const bit = i & 63;
        const byte = validity[word * 8 + (littleEndianHost ? bit >> 3 : 7 - (bit >> 3))]!;
        if (((byte >> (bit & 7)) & 1) === 0) {
          nulls ??= new Uint8Array(result.rowCount);
          nulls[row + i] = 1;
          values[row + i] = Number.NaN;
          nullCount++;
        }
      }
    }
    row += n;
  }
  return { values, nulls, nullCount };
}

/** The non-null values of a column (NaN/±Inf kept), compacted. */
export function nonNullValues(column: NumericColumn): Float64Array {
  const { values, nulls } = column;
  if (nulls === null) return values;
  const out = new Float64Array(values.length - column.nullCount);
  let j = 0;
  for (let i = 0; i < values.length; i++) if (nulls[i] === 0) out[j++] = values[i]!;
  return out;
}
