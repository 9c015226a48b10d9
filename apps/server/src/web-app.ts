import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** The built terminal app (npm run build:web, run by `npm install`): apps/web/dist. */
export const WEB_APP_DIR = resolve(import.meta.dirname, '../../web/dist');

/**
 * Serves the POS terminal web app at /pos/app/ when it has been built. Its files are public (the app asks for
 * the terminal's key at setup); everything it does after that goes through the API with that key.
 */
export async function registerWebApp(app: FastifyInstance, root = WEB_APP_DIR): Promise<boolean> {
  if (!existsSync(resolve(root, 'index.html'))) return false;
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...(route.config as object), scope: 'public' };
    });
    await scope.register(fastifyStatic, { root, prefix: '/pos/app/', wildcard: true });
    // The router ignores trailing slashes, so /pos/app/ never reaches the wildcard route: serve the app here,
    // after a redirect that gives relative URLs (the manifest, the service worker scope) the right base.
    scope.get('/pos/app', { schema: { hide: true } }, (request, reply) =>
      request.url.split('?')[0]!.endsWith('/') ? reply.sendFile('index.html') : reply.redirect('/pos/app/'),
    );
  });
  return true;
}
