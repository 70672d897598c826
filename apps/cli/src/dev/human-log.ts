/**
 * Turns the services' JSON log lines into short human lines for the terminal running `recon dev`:
 * `12:00:01 INFO  attempt ended  key=demo/ok-1 outcome=success`.
 */
export function humanLogWriter(
  write: (line: string) => void,
  options: { color: boolean },
): (json: string) => void {
  const paint = (code: number, text: string) =>
    options.color ? `\u001b[${code}m${text}\u001b[0m` : text;
  const severityColor: Record<string, number> = { DEBUG: 90, INFO: 36, WARNING: 33, ERROR: 31 };
  return (json) => {
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(json) as Record<string, unknown>;
    } catch {
      write(json);
      return;
    }
    const { severity, message, time, service, ...fields } = entry;
    const sev = String(severity ?? 'INFO');
    const clock = typeof time === 'string' ? time.slice(11, 19) : '';
    const rest = Object.entries(fields)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    const who = service ? paint(90, `[${String(service)}]`) + ' ' : '';
    write(
      `${clock} ${paint(severityColor[sev] ?? 0, sev.padEnd(7))} ${who}${String(message)}${rest ? '  ' + rest : ''}`,
    );
  };
}
