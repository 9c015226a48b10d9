import { describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import { ConfigError, parseConfig } from './config.js';

const Schema = Type.Object({
  port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  ratio: Type.Number({ default: 1 }),
  verbose: Type.Boolean({ default: false }),
  name: Type.String({ default: 'till' }),
  secretKey: Type.Optional(Type.String({ minLength: 24, secret: true })),
});

const problemsOf = (raw: Record<string, unknown>): string[] => {
  try {
    parseConfig(Schema, raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return expect.unreachable('the configuration must be refused');
};

describe('parseConfig', () => {
  it('converts strings that spell the declared type exactly', () => {
    expect(parseConfig(Schema, { port: '9000', ratio: '2.5', verbose: 'true', name: '42' })).toEqual({
      port: 9000,
      ratio: 2.5,
      verbose: true,
      name: '42',
    });
    expect(parseConfig(Schema, { port: '0', verbose: 'false' })).toMatchObject({ port: 0, verbose: false });
  });

  it.each([
    { setting: 'port', value: '18204.9' },
    { setting: 'port', value: 'true' },
    { setting: 'port', value: '1e3' },
    { setting: 'port', value: ' 80' },
    { setting: 'port', value: '0x50' },
    { setting: 'port', value: '' },
    { setting: 'ratio', value: 'NaN' },
    { setting: 'ratio', value: '1.' },
    { setting: 'verbose', value: '1' },
    { setting: 'verbose', value: 'yes' },
  ])('refuses $setting=$value instead of coercing it', ({ setting, value }) => {
    expect(problemsOf({ [setting]: value })).toEqual([expect.stringMatching(new RegExp(`^${setting}: `))]);
  });

  it('reports every problem together, an undeclared key included', () => {
    const problems = problemsOf({ port: '80.5', verbose: 'maybe', hostt: 'x' });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/hostt: is not a setting/);
  });

  it('never echoes the value of a secret setting', () => {
    const [problem] = problemsOf({ secretKey: 'too-short-secret' });
    expect(problem).toMatch(/^secretKey: .*value hidden/);
    expect(problem).not.toContain('too-short-secret');
    expect(problemsOf({ port: 'eighty' })[0]).toContain('"eighty"');
  });
});
