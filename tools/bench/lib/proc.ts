/** What Linux says about a process: resident memory and CPU time, from /proc. */
import { readFileSync } from 'node:fs';

/** Resident set size in bytes (`VmRSS` of /proc/<pid>/status); undefined once the process is gone. */
export function readRssBytes(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) the process has used; undefined once it is gone. */
export function readCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the `(comm)`; utime and stime are fields 14 and 15 of the whole line.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return undefined;
  }
}

/** USER_HZ; 100 on every Linux we run on. */
const clockTicks = 100;

/** CPU use of several processes over a window: `end()` gives each one's share of a core. */
export function cpuMeter(pids: Record<string, number>): { end(): Record<string, number> } {
  const wall = performance.now();
  const before = Object.fromEntries(
    Object.entries(pids).map(([name, pid]) => [name, readCpuSeconds(pid) ?? 0]),
  );
  return {
    end() {
      const seconds = (performance.now() - wall) / 1000;
      return Object.fromEntries(
        Object.entries(pids).map(([name, pid]) => [
          name,
          ((readCpuSeconds(pid) ?? 0) - (before[name] ?? 0)) / seconds,
        ]),
      );
    },
  };
}
