/**
 * The tool's answer to an LtiDeepLinkingRequest (Deep Linking 2.0 §4.2): a JWT signed with
 * our key, iss = our client_id, aud = the platform's issuer, carrying the chosen content
 * items and the request's `data` unchanged. The browser auto-posts it as `JWT` to the
 * request's deep_link_return_url.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { LtiPlatform } from '~/data/repository';
import { CLAIM, LTI_VERSION, MESSAGE_TYPE } from './claims';
import { TOKEN_MAX_LIFETIME_MS, TOOL_KEY_ALG } from './keys';

/** An `ltiResourceLink` content item (Deep Linking 2.0 §3.1), in our words. */
export interface LtiResourceLinkItem {
  title: string;
  url: string;
  text?: string;
  custom?: Record<string, string>;
  /** Asks the platform to create a gradebook column for the link (AGS 2.0 §3.4 via Deep Linking). */
  lineItem?: { scoreMaximum: number; label: string; resourceId?: string; tag?: string };
}

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
}

export async function signDeepLinkingResponse(p: {
  platform: Pick<LtiPlatform, 'issuer' | 'clientId'>;
  deploymentId: string;
  data: string | null;
  items: LtiResourceLinkItem[];
  signingKey: SigningKey;
  now: Date;
  message?: string;
}): Promise<string> {
  const iat = Math.floor(p.now.getTime() / 1000);
  const payload: Record<string, unknown> = {
    // The platform checks a nonce on messages the tool signs (Security Framework §5.2.3).
    nonce: randomUUID(),
    [CLAIM.messageType]: MESSAGE_TYPE.deepLinkingResponse,
    [CLAIM.version]: LTI_VERSION,
    [CLAIM.deploymentId]: p.deploymentId,
    [CLAIM.contentItems]: p.items.map(contentItem),
  };
  // `data` must come back exactly as sent, and only when it was sent.
  if (p.data !== null) payload[CLAIM.deepLinkingData] = p.data;
  if (p.message) payload[CLAIM.deepLinkingMessage] = p.message;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: TOOL_KEY_ALG, kid: p.signingKey.kid, typ: 'JWT' })
    .setIssuer(p.platform.clientId)
    .setAudience(p.platform.issuer)
    .setIssuedAt(iat)
    .setExpirationTime(iat + TOKEN_MAX_LIFETIME_MS / 1000)
    .sign(p.signingKey.privateKey);
}

function contentItem(item: LtiResourceLinkItem): Record<string, unknown> {
  return {
    type: 'ltiResourceLink',
    title: item.title,
    url: item.url,
    ...(item.text ? { text: item.text } : {}),
    ...(item.custom && Object.keys(item.custom).length > 0 ? { custom: item.custom } : {}),
    ...(item.lineItem
      ? {
          lineItem: {
            scoreMaximum: item.lineItem.scoreMaximum,
            label: item.lineItem.label,
            ...(item.lineItem.resourceId ? { resourceId: item.lineItem.resourceId } : {}),
            ...(item.lineItem.tag ? { tag: item.lineItem.tag } : {}),
          },
        }
      : {}),
  };
}
