export { createAnalytics } from './analytics.context.js';
