import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.server';

const POOL = {
  COGNITO_DOMAIN: 'https://classcast.auth.eu-west-1.amazoncognito.com/',
  COGNITO_CLIENT_ID: '4abc123def456ghi789jkl0mno',
  COGNITO_REDIRECT_URI: 'https://classcast.example.edu/auth/cognito/callback',
  COGNITO_USER_POOL_ID: 'eu-west-1_AbCdEf123',
  COGNITO_REGION: 'eu-west-1',
};

describe('Cognito configuration', () => {
  it('is off when no COGNITO_* setting is given', () => {
    expect(parseConfig({ NODE_ENV: 'test' }).cognito).toBeNull();
  });

  it('derives the issuer from the pool id and the JWKS from the issuer', () => {
    expect(parseConfig({ NODE_ENV: 'test', ...POOL }).cognito).toEqual({
      domain: 'https://classcast.auth.eu-west-1.amazoncognito.com',
      clientId: POOL.COGNITO_CLIENT_ID,
      clientSecret: null,
      redirectUri: POOL.COGNITO_REDIRECT_URI,
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
      jwksUrl: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/jwks.json',
      logoutUri: undefined,
      label: 'school account',
      scopes: ['openid', 'email', 'profile'],
    });
  });

  it('takes an explicit issuer, JWKS URL, secret and label', () => {
    const cognito = parseConfig({
      NODE_ENV: 'test',
      ...POOL,
      COGNITO_USER_POOL_ID: undefined,
      COGNITO_ISSUER: 'http://127.0.0.1:9999',
      COGNITO_JWKS_URL: 'http://127.0.0.1:9999/keys',
      COGNITO_CLIENT_SECRET: 's3cret',
      COGNITO_LABEL: 'Springfield High account',
    }).cognito;
    expect(cognito).toMatchObject({
      issuer: 'http://127.0.0.1:9999',
      jwksUrl: 'http://127.0.0.1:9999/keys',
      clientSecret: 's3cret',
      label: 'Springfield High account',
    });
  });

  it('refuses half a configuration and names every missing setting', () => {
    const attempt = () => parseConfig({ NODE_ENV: 'test', COGNITO_DOMAIN: POOL.COGNITO_DOMAIN });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/COGNITO_CLIENT_ID: missing/);
    expect(attempt).toThrow(/COGNITO_REDIRECT_URI: missing/);
    expect(attempt).toThrow(/COGNITO_ISSUER: missing/);
  });

  it('rejects malformed values by name', () => {
    expect(() => parseConfig({ NODE_ENV: 'test', ...POOL, COGNITO_DOMAIN: 'not a url' })).toThrow(/COGNITO_DOMAIN/);
    expect(() => parseConfig({ NODE_ENV: 'test', ...POOL, COGNITO_USER_POOL_ID: 'nope' })).toThrow(
      /COGNITO_USER_POOL_ID/,
    );
    expect(() => parseConfig({ NODE_ENV: 'test', ...POOL, COGNITO_CLIENT_ID: 'a b' })).toThrow(/COGNITO_CLIENT_ID/);
  });
});
