import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ProcMemory {
  /** Resident set now, MB. */
  rssMb: number;
  /** Peak resident set since the process started, MB. */
  hwmMb: number;
}

/** VmRSS and VmHWM from /proc (Linux only; kB there). */
export async function procMemory(pid: number): Promise<ProcMemory> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

/** The resident set once start-up garbage has had `settleMs` to be collected, as an idle server sits. */
export async function idleMemory(pid: number, settleMs: number): Promise<ProcMemory> {
  await sleep(settleMs);
  return procMemory(pid);
}
