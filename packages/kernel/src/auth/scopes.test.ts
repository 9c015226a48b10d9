import { describe, expect, it } from 'vitest';
import { hasScope, type Principal, type Scope } from './scopes.js';

const keyWith = (...scopes: Scope[]): Principal => ({
  keyId: 'k',
  name: 'k',
  scopes,
  terminalId: null,
  storeId: null,
});

describe('hasScope', () => {
  it('grants a scope a key holds, and every scope to admin', () => {
    expect(hasScope(keyWith('pos:write'), 'pos:write')).toBe(true);
    expect(hasScope(keyWith('admin'), 'analytics:read')).toBe(true);
    expect(hasScope(keyWith('pos:write'), 'pos:read')).toBe(false);
  });

  it('grants erp:hold to erp:write, but never erp:write to erp:hold', () => {
    expect(hasScope(keyWith('erp:write'), 'erp:hold')).toBe(true);
    expect(hasScope(keyWith('erp:read', 'erp:hold'), 'erp:write')).toBe(false);
    expect(hasScope(keyWith('erp:read'), 'erp:hold')).toBe(false);
  });
});
