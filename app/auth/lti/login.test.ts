import { describe, expect, it } from 'vitest';
import { authenticationRequestUrl, loginInitiationSchema } from './login';

describe('loginInitiationSchema', () => {
  it('needs iss, login_hint and target_link_uri; keeps the optional ones', () => {
    const ok = loginInitiationSchema.safeParse({
      iss: 'https://lms.example',
      login_hint: 'u-1',
      target_link_uri: 'https://tool.example/lti/launch',
      lti_message_hint: ' opaque ',
      client_id: 'c-1',
      lti_deployment_id: '',
    });
    expect(ok.success && ok.data).toMatchObject({ lti_message_hint: ' opaque ', client_id: 'c-1' });
    expect(ok.success && ok.data.lti_deployment_id).toBeUndefined();
    for (const missing of ['iss', 'login_hint', 'target_link_uri']) {
      const input: Record<string, string> = {
        iss: 'https://lms.example',
        login_hint: 'u-1',
        target_link_uri: 'https://tool.example/lti/launch',
      };
      delete input[missing];
      expect(loginInitiationSchema.safeParse(input).success).toBe(false);
    }
    const target = (target_link_uri: string) =>
      loginInitiationSchema.safeParse({ iss: 'https://lms.example', login_hint: 'u', target_link_uri }).success;
    expect(target('javascript:alert(1)')).toBe(false);
    expect(target('https://tool.example/lti/launch')).toBe(true);
    const longHint = loginInitiationSchema.safeParse({
      iss: 'https://lms.example',
      login_hint: 'x'.repeat(5000),
      target_link_uri: 'https://tool.example',
    });
    expect(longHint.success).toBe(false);
  });
});

describe('authenticationRequestUrl', () => {
  it('asks for an id_token posted back, echoing the message hint unchanged', () => {
    const url = new URL(
      authenticationRequestUrl(
        { authUrl: 'https://lms.example/auth?tenant=7', clientId: 'c-1' },
        {
          state: 's',
          nonce: 'n',
          redirectUri: 'https://tool.example/lti/launch',
          loginHint: 'u-1',
          ltiMessageHint: 'a b+c=',
        },
      ),
    );
    const q = Object.fromEntries(url.searchParams);
    expect(url.origin + url.pathname).toBe('https://lms.example/auth');
    expect(q).toEqual({
      tenant: '7',
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: 'c-1',
      redirect_uri: 'https://tool.example/lti/launch',
      login_hint: 'u-1',
      lti_message_hint: 'a b+c=',
      state: 's',
      nonce: 'n',
    });
  });

  it('leaves lti_message_hint out when the platform sent none', () => {
    const url = new URL(
      authenticationRequestUrl(
        { authUrl: 'https://lms.example/auth', clientId: 'c' },
        { state: 's', nonce: 'n', redirectUri: 'https://t.example/l', loginHint: 'u' },
      ),
    );
    expect(url.searchParams.has('lti_message_hint')).toBe(false);
  });
});
