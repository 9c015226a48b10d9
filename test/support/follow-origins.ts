import { followRequestOrigins } from '@tillstream/kernel';

// In-process platforms and harnesses of the tests: fail work that lost its request's origin (vitest.config.ts).
followRequestOrigins();
