/**
 * Cognito: the user pool, one group per ClassCast role, the web app's client (authorization
 * code + PKCE, confidential: the server holds the secret) and the hosted sign-in domain.
 */
import { Duration, RemovalPolicy, aws_cognito as cognito } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** The roles `cognito:groups` maps to; precedence decides for a user in several (lowest wins). */
export const ROLE_GROUPS = [
  { groupName: 'admin', precedence: 0, description: 'ClassCast administrators' },
  { groupName: 'instructor', precedence: 10, description: 'Instructors: run courses, set and grade assignments' },
  { groupName: 'student', precedence: 20, description: 'Students: submit video answers' },
] as const;

export interface UserDirectoryProps {
  callbackUrls: string[];
  logoutUrls: string[];
  domainPrefix: string;
  selfSignUp: boolean;
}

export class UserDirectory extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;

  constructor(scope: Construct, id: string, props: UserDirectoryProps) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      // Lite: the classic hosted UI is all sign-in needs, at the lowest per-user price.
      featurePlan: cognito.FeaturePlan.LITE,
      selfSignUpEnabled: props.selfSignUp,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        givenName: { required: false, mutable: true },
        familyName: { required: false, mutable: true },
      },
      passwordPolicy: { minLength: 12, requireSymbols: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const group of ROLE_GROUPS) {
      new cognito.UserPoolGroup(this, `Group-${group.groupName}`, { userPool: this.userPool, ...group });
    }
    this.client = this.userPool.addClient('WebClient', {
      generateSecret: true,
      // Only the hosted UI signs in: no password or SRP flows straight against the pool, just
      // refresh (an empty object would mean Cognito's defaults, SRP included).
      authFlows: { userSrp: false, userPassword: false, custom: false },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: props.callbackUrls,
        logoutUrls: props.logoutUrls,
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      enableTokenRevocation: true,
    });
    this.domain = this.userPool.addDomain('HostedDomain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
    });
  }

  /** What the app's token check names as `iss`. */
  issuer(): string {
    return `https://${this.userPool.userPoolProviderUrl}`;
  }
}
