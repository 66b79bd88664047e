import { Field, TextAreaField } from '../form-field';

export interface PlatformFormValues {
  name?: string;
  issuer?: string;
  clientId?: string;
  /** As typed: one deployment id per line. */
  deploymentIds?: string;
  authUrl?: string;
  tokenUrl?: string;
  jwksUrl?: string;
}

/** The errors of a field and of its items (`deploymentIds.1` is shown at deploymentIds). */
function errorsAt(errors: Record<string, string[]>, name: string): string[] | undefined {
  const found = Object.entries(errors)
    .filter(([key]) => key === name || key.startsWith(`${name}.`))
    .flatMap(([, messages]) => messages);
  return found.length ? [...new Set(found)] : undefined;
}

/** The fields of an LMS registration, as the LMS's developer-key screen names them. */
export function PlatformFields({ values, errors }: { values: PlatformFormValues; errors: Record<string, string[]> }) {
  const field = (name: keyof PlatformFormValues) => ({
    name,
    defaultValue: values[name] ?? '',
    errors: errorsAt(errors, name),
  });
  return (
    <>
      <Field
        label="Name"
        required
        hint="What admins and instructors see, e.g. “Canvas (district)”."
        {...field('name')}
      />
      <Field
        label="Issuer"
        type="url"
        required
        hint="The LMS's issuer (iss), e.g. https://canvas.instructure.com."
        {...field('issuer')}
      />
      <Field label="Client id" required hint="The developer key's client id." {...field('clientId')} />
      <TextAreaField
        label="Deployment ids"
        required
        rows={3}
        hint="One per line. Canvas shows them under the key's deployments; Moodle on the tool's details."
        {...field('deploymentIds')}
      />
      <Field
        label="Authorization URL"
        type="url"
        required
        hint="The LMS's OIDC authentication request URL."
        {...field('authUrl')}
      />
      <Field label="Token URL" type="url" required hint="The LMS's OAuth 2 access token URL." {...field('tokenUrl')} />
      <Field label="Keyset (JWKS) URL" type="url" required hint="The LMS's public keyset URL." {...field('jwksUrl')} />
    </>
  );
}
