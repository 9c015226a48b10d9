import { listDeadLetters, redriveDeadLetters, systemClock } from '@tillstream/kernel';
import { verifyLedger } from '@tillstream/erp';
import type { Config } from './config.js';
import { CONTEXTS } from './platform.js';
import { fail, type Flags } from './cli-args.js';
import { openForCommand } from './cli-engine.js';

/** `dlq list | redrive`: events a consumer gave up on, across every context's database. */
export async function dlqCommand(config: Config, flags: Flags, args: string[]) {
  const platform = await openForCommand(config, flags.engine, CONTEXTS);
  try {
    if (args[0] === 'list') {
      const letters = [];
      for (const db of platform.dbs.values()) letters.push(...(await listDeadLetters(db)));
      console.log(JSON.stringify(letters, null, 2));
    } else if (args[0] === 'redrive') {
      const consumers = [...platform.modules.values()].flatMap((module) => module.consumers);
      const results = await redriveDeadLetters(consumers, () => systemClock.now().toISOString(), {
        ...(flags['event-id'] ? { eventId: flags['event-id'] } : {}),
        ...(flags.consumer ? { consumer: flags.consumer } : {}),
      });
      console.log(JSON.stringify(results, null, 2));
      if (results.some((result) => result.outcome === 'failed')) process.exitCode = 1;
    } else {
      fail('dlq list | dlq redrive [--event-id ID] [--consumer NAME]');
    }
  } finally {
    await platform.stop();
  }
}

/** `inventory verify`: every stock balance against its ledger; exit 1 on a mismatch, for cron and CI. */
export async function inventoryCommand(config: Config, flags: Flags, args: string[]) {
  if (args[0] !== 'verify') fail('inventory verify [--engine embedded|scale-out]');
  const platform = await openForCommand(config, flags.engine, ['erp']);
  try {
    const report = await verifyLedger(platform.dbs.get('erp')!);
    console.log(JSON.stringify(report, null, 2));
    if (!report.ok) process.exitCode = 1;
  } finally {
    await platform.stop();
  }
}
