import { describe, expect, it } from 'vitest';
import { createUrlPolicy, type Resolver } from './url-policy.js';

const dns =
  (answers: Record<string, string[]>): Resolver =>
  async (host) =>
    answers[host] ?? [];
const codeOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: { code?: string }) => error.code,
  );

describe('webhook URL policy', () => {
  const policy = createUrlPolicy({
    allowedHosts: [],
    resolve: dns({
      'hooks.example.com': ['93.184.215.14'],
      'evil.example.com': ['93.184.215.14', '10.0.0.7'],
      'compatible.example.com': ['::10.0.0.7'],
    }),
  });

  it.each([
    'ftp://hooks.example.com/x',
    'not a url',
    '/relative',
    'http://user:pw@hooks.example.com/',
    'https://hooks.example.com/#frag',
    'http://hooks.example.com:0/x',
    'https://hooks.example.com:00/x',
  ])('refuses %s as invalid', async (url) =>
    expect(await codeOf(policy.check(url))).toBe('webhook_url_invalid'),
  );

  it.each([
    'http://127.0.0.1:8080/hook',
    'http://10.0.0.1/hook',
    'http://172.16.5.4/',
    'http://192.168.1.1/',
    'http://100.64.0.1/',
    'http://169.254.169.254/latest/meta-data',
    'http://0.0.0.0/',
    'http://0x7f000001/',
    'http://[::1]/',
    'http://[fe80::1]/',
    'http://[fd12:3456::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[64:ff9b::a00:1]/',
    'http://[::]/',
    'http://[::127.0.0.1]/',
    'http://[::a9fe:a9fe]/',
    'http://[::ffff:0:127.0.0.1]/',
    'http://[::ffff:0:a00:1]/',
    'http://[64:ff9b:1::a00:1]/',
    'http://[64:ff9b:1:ffff::7f00:1]/',
    'http://[2001:db8::1]/',
    'http://[3fff::1]/',
    'http://[3fff:fff:ffff::1]/',
    'http://[5f00::1]/',
    'https://evil.example.com/hook',
    'https://compatible.example.com/hook',
  ])('refuses %s as a private address', async (url) => {
    expect(await codeOf(policy.check(url))).toBe('webhook_url_not_allowed');
  });

  it('accepts public addresses and names that resolve only to them', async () => {
    expect(await codeOf(policy.check('https://hooks.example.com/tillstream'))).toBe('accepted');
    expect(await codeOf(policy.check('http://93.184.215.14:8443/x'))).toBe('accepted');
    expect(await codeOf(policy.check('https://[2606:2800:220:1::1]/'))).toBe('accepted');
  });

  it('refuses a name without an address', async () => {
    expect(await codeOf(policy.check('https://nowhere.example.com/'))).toBe('webhook_url_unresolvable');
  });

  it('lets the operator allow addresses, ranges and names', async () => {
    const allowing = createUrlPolicy({
      allowedHosts: ['127.0.0.1', '10.0.0.0/8', 'Hooks.Internal', '[::1]'],
      resolve: () => Promise.reject(new Error('an allowed name is not resolved')),
    });
    for (const url of [
      'http://127.0.0.1:9000/',
      'http://10.9.8.7/',
      'http://hooks.internal/x',
      'http://[::1]:80/',
    ])
      expect(await codeOf(allowing.check(url)), url).toBe('accepted');
    expect(await codeOf(allowing.check('http://127.0.0.2/'))).toBe('webhook_url_not_allowed');
    expect(allowing.literalRefused(new URL('http://192.168.0.1/'))).toBe(true);
    expect(allowing.literalRefused(new URL('http://127.0.0.1/'))).toBe(false);
  });

  it('checks the address a connection would use', async () => {
    const lookup = (policyHosts: string[]) =>
      new Promise<string>((resolve) =>
        createUrlPolicy({ allowedHosts: policyHosts }).lookup('localhost', { all: true }, (error) =>
          resolve(error ? ((error as { code?: string }).code ?? 'error') : 'connected'),
        ),
      );
    expect(await lookup([])).toBe('EADDRREFUSED');
    expect(await lookup(['localhost'])).toBe('connected');
    expect(await lookup(['127.0.0.0/8', '::1'])).toBe('connected');
  });
});
