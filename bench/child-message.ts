/**
 * The next IPC message from a child process that `match` accepts (it returns undefined for the others),
 * or an error after `timeoutMs`. The benchmarks' relay and load processes answer requests this way.
 */
import type { ChildProcess } from 'node:child_process';

export function nextMessage<T>(child: ChildProcess, match: (m: any) => T | undefined, label: string, timeoutMs = 30_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (child.off('message', on), reject(new Error(`timed out waiting for ${label}`))), timeoutMs);
    const on = (m: unknown) => {
      const got = match(m);
      if (got === undefined) return;
      clearTimeout(timer);
      child.off('message', on);
      resolve(got);
    };
    child.on('message', on);
  });
}
