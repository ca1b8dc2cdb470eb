/**
 * Child output made readable in one terminal: each line carries the name of the process it came from, and JSON log
 * lines (the API's) are shown as `LEVEL message key=value ...` instead of raw JSON.
 */

const COLOURS = ['36', '35', '33', '32', '34', '31'];
const SKIPPED_FIELDS = new Set(['time', 'timestamp', 'level', 'levelname', 'message', 'msg', 'event']);

export function formatLine(line: string): string {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return line;
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(trimmed) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return line;
  const level = String(record.level ?? record.levelname ?? 'INFO').toUpperCase();
  const message = String(record.message ?? record.msg ?? record.event ?? '');
  const rest = Object.entries(record)
    .filter(([key, value]) => !SKIPPED_FIELDS.has(key) && value !== null && value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return [level.padEnd(5), message, ...rest].filter(Boolean).join(' ');
}

export type Prefixer = (name: string, line: string) => string;

/** `[name] line`, names padded to one width; coloured when the output is a terminal. */
export function prefixer(names: readonly string[], colour: boolean): Prefixer {
  const width = Math.max(...names.map((name) => name.length));
  return (name, line) => {
    const label = `[${name}]`.padEnd(width + 2);
    const index = Math.max(0, names.indexOf(name)) % COLOURS.length;
    return colour ? `\x1b[${COLOURS[index]}m${label}\x1b[0m ${line}` : `${label} ${line}`;
  };
}

/** Calls `onLine` for each complete line of a stream of chunks (the last partial line is flushed at the end). */
export function splitLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let pending = '';
  stream.setEncoding?.('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line.replace(/\r$/, ''));
  });
  stream.on('end', () => {
    if (pending) onLine(pending);
    pending = '';
  });
}
