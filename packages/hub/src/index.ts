export { createHub, type HubDeps } from './hub.context.js';
