/** The engines the suites run on: embedded always; scale-out when its servers are configured. */
export type EngineName = 'embedded' | 'scale-out';

export const scaleOutUrls = {
  pg: process.env.TILLSTREAM_TEST_PG_URL ?? '',
  nats: process.env.TILLSTREAM_TEST_NATS_URL ?? '',
};

export const scaleOutConfigured = Boolean(scaleOutUrls.pg && scaleOutUrls.nats);

export const ENGINES: EngineName[] = scaleOutConfigured ? ['embedded', 'scale-out'] : ['embedded'];
