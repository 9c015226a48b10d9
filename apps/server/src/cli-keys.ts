import { authMigrations, isScope, runMigrations, type Scope } from '@tillstream/kernel';
import type { Config } from './config.js';
import type { Platform } from './platform.js';
import { listApiKeys } from './bootstrap.js';
import { fail, type Flags } from './cli-args.js';
import { engineFor, openForCommand } from './cli-engine.js';

/** `keys create | list | revoke`: API keys, straight in the auth database; a secret is printed once only. */
export async function keysCommand(config: Config, flags: Flags, args: string[]) {
  if (args[0] === 'list') return listKeys(config, flags.engine);
  const creating = args[0] === 'create';
  // A terminal's key is bound to its store too: POS checks a terminal against the key's store.
  if (creating && flags.terminal && !flags.store)
    fail('keys create: --terminal needs --store (the store the terminal belongs to)');
  // Embedded, the store is checked in this process's ERP; scale-out, over the network (TILLSTREAM_ERP_URL).
  const inProcessErp = creating && flags.store !== undefined && flags.engine === 'embedded';
  const platform = await openForCommand(config, flags.engine, inProcessErp ? ['erp'] : []);
  try {
    if (creating) {
      const scopes = (flags.scopes ?? '')
        .split(',')
        .map((scope) => scope.trim())
        .filter(Boolean);
      const bad = scopes.filter((scope) => !isScope(scope));
      if (!flags.name || scopes.length === 0 || bad.length > 0)
        fail(`keys create --name N --scopes a,b  (unknown scopes: ${bad.join(', ') || 'none'})`);
      if (flags.store && !(await storeIsKnown(platform, config, flags.store, inProcessErp))) {
        process.exitCode = 1;
        return;
      }
      const key = await platform.apiKeys.create({
        name: flags.name,
        scopes: scopes as Scope[],
        terminalId: flags.terminal ?? null,
        storeId: flags.store ?? null,
      });
      console.log(
        JSON.stringify({ id: key.id, secret: key.secret, note: 'the secret is shown once' }, null, 2),
      );
    } else if (args[0] === 'revoke' && args[1]) {
      if (await platform.apiKeys.revoke(args[1])) console.log('revoked');
      else {
        // Exit 1, so that a script revoking a mistyped id does not carry on as if the key were gone.
        console.error(`no active key ${args[1]} (tillstream keys list shows every key)`);
        process.exitCode = 1;
      }
    } else {
      fail('keys create --name N --scopes a,b [--store S [--terminal T]] | keys list | keys revoke <keyId>');
    }
  } finally {
    await platform.stop();
  }
}

/**
 * `terminals register`: a till and its own key, through POS's own route (same checks as the API), with an admin
 * key that lives for this call only.
 */
export async function terminalsCommand(config: Config, flags: Flags, args: string[]) {
  if (args[0] !== 'register' || !flags.terminal || !flags.store)
    fail('terminals register --terminal T --store S [--name N]');
  // Embedded, POS reaches ERP in process, so ERP must be mounted too; scale-out, over the network.
  const platform = await openForCommand(
    config,
    flags.engine,
    flags.engine === 'embedded' ? ['erp', 'pos'] : ['pos'],
  );
  const admin = await platform.apiKeys.create({ name: 'cli:terminals', scopes: ['admin'] });
  try {
    const response = await platform.app.inject({
      method: 'POST',
      url: '/pos/v1/terminals',
      headers: { authorization: `Bearer ${admin.secret}` },
      payload: {
        terminalId: flags.terminal,
        storeId: flags.store,
        ...(flags.name ? { name: flags.name } : {}),
      },
    });
    console.log(JSON.stringify(response.json(), null, 2));
    if (response.statusCode !== 201) process.exitCode = 1;
  } finally {
    await platform.apiKeys.revoke(admin.id);
    await platform.stop();
  }
}

/** Reads the auth database alone: listing keys needs no context, and no running server. */
async function listKeys(config: Config, engineName: string) {
  const engine = await engineFor(config, engineName);
  const authDb = await engine.openDb('auth');
  try {
    await runMigrations(authDb, authMigrations);
    console.log(JSON.stringify(await listApiKeys(authDb), null, 2));
  } finally {
    await authDb.close();
  }
}

/**
 * Whether ERP knows `storeId` as a store, asking ERP's API with a key that lives for this call only. Scale-out
 * without TILLSTREAM_ERP_URL, or with ERP unreachable, the store is not checked (a warning; true).
 */
async function storeIsKnown(
  platform: Platform,
  config: Config,
  storeId: string,
  inProcess: boolean,
): Promise<boolean> {
  const admin = await platform.apiKeys.create({ name: 'cli:keys', scopes: ['erp:read'] });
  const path = `/erp/v1/locations/${encodeURIComponent(storeId)}`;
  const headers = { authorization: `Bearer ${admin.secret}` };
  let answer: { status: number; kind?: unknown } | null = null;
  try {
    if (inProcess) {
      const response = await platform.app.inject({ method: 'GET', url: path, headers });
      answer = {
        status: response.statusCode,
        kind: response.statusCode === 200 ? response.json().kind : null,
      };
    } else if (config.erpUrl) {
      const response = await fetch(`${config.erpUrl}${path}`, {
        headers,
        signal: AbortSignal.timeout(5_000),
      });
      answer = {
        status: response.status,
        kind: response.ok ? ((await response.json()) as { kind?: unknown }).kind : null,
      };
    }
  } catch (error) {
    console.error(`warning: could not ask ERP whether store ${storeId} exists (${String(error)})`);
  } finally {
    await platform.apiKeys.revoke(admin.id);
  }
  if (!answer) {
    if (!inProcess && !config.erpUrl)
      console.error(`warning: store ${storeId} not checked (set TILLSTREAM_ERP_URL to check it in ERP)`);
    return true;
  }
  if (answer.status === 404 || (answer.status === 200 && answer.kind !== 'store')) {
    console.error(
      `keys create: ${storeId} is not a store ERP knows (PUT /erp/v1/locations/${storeId} first)`,
    );
    return false;
  }
  if (answer.status !== 200)
    console.error(`warning: ERP answered ${answer.status} for store ${storeId}; not checked`);
  return true;
}
