// Server time: countdowns (data-until, with data-past for the text once passed) and ages count against the server's clock, not the laptop's.
import { countdown, duration } from './format.js';

let offset = 0;

export function syncServerTime(serverNow) {
  offset = serverNow - Date.now();
}

export function now() {
  return Date.now() + offset;
}

/** Elements with data-until show a countdown, with data-since an age; refreshed every second. */
export function refreshTimes(root = document) {
  const t = now();
  for (const el of root.querySelectorAll('[data-until]')) {
    const left = Number(el.dataset.until) - t;
    el.textContent = left <= 0 && el.dataset.past ? el.dataset.past : countdown(left);
  }
  for (const el of root.querySelectorAll('[data-since]')) {
    el.textContent = duration(t - Number(el.dataset.since));
  }
}

export function startTicker() {
  setInterval(() => refreshTimes(), 1000);
}
