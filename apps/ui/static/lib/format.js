// Durations, countdowns and times for people.

export function duration(ms) {
  let s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  let m = Math.floor(s / 60);
  s %= 60;
  if (m < 60) return `${m}m ${s}s`;
  let hours = Math.floor(m / 60);
  m %= 60;
  if (hours < 48) return `${hours}h ${m}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

export function countdown(ms) {
  return ms <= 0 ? 'due' : `in ${duration(ms)}`;
}

export function time(ms) {
  if (!ms) return '—';
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return `${ms} ms`;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

export function count(n) {
  return typeof n === 'number' ? n.toLocaleString() : '–';
}

export function plural(n, word) {
  return `${count(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** Time of day for today's times, else the date too: fits a table cell. */
export function shortTime(ms) {
  if (!ms) return '—';
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return `${ms} ms`;
  const today = date.toDateString() === new Date().toDateString();
  return today
    ? date.toLocaleTimeString(undefined, { timeStyle: 'medium' })
    : date.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}
