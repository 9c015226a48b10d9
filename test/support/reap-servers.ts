import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest global setup: every server a test spawns leaves its pid in a directory, and the teardown kills any
 * still alive. A worker that times out or is killed cannot run its own `afterAll`, and its servers (with
 * their relays and NATS consumers) would otherwise live on and load the machine for every later suite.
 */
export default function reapServers(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'tillstream-test-pids-'));
  process.env.TILLSTREAM_TEST_PID_DIR = dir;
  return () => {
    for (const name of readdirSync(dir)) {
      try {
        process.kill(Number(name), 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
