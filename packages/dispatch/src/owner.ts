import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * `<hostname>-<pid>-<random>`: unique per loop even when two loops share a process (tests, the
 * embedded controller), and readable in `recon` listings when an operator asks who holds a key.
 */
export function defaultOwner(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}
