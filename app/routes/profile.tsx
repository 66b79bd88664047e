import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { requireActor } from '~/auth/current-user.server';
import { AvatarUpload } from '~/components/avatar-upload';
import { CsrfField } from '~/components/csrf-field';
import { Field, FormError, TextAreaField } from '~/components/form-field';
import { PersonAvatar } from '~/components/person-avatar';
import { completeAvatarUpload, removeAvatar } from '~/services/avatars.server';
import { ownProfilePage } from '~/services/profile-page.server';
import { updateProfile } from '~/services/profiles.server';
import { handleForm, loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction = () => [{ title: 'Your profile · ClassCast' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  // After a no-JS upload S3 appends `key` (the last one is S3's).
  const returnedKey = new URL(request.url).searchParams.getAll('key').pop() ?? null;
  return loadOrThrow(() => ownProfilePage(context.services, actor, returnedKey));
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  const ctx = context.services;
  return handleForm(request, {
    save: async (v) => {
      await updateProfile(ctx, actor, { firstName: v.firstName, lastName: v.lastName, bio: v.bio ?? '' });
      return { redirectTo: '/profile', toast: 'Your profile was saved.' };
    },
    'use-avatar': async (v) => {
      await completeAvatarUpload(ctx, actor, { key: v.key });
      return { redirectTo: '/profile', toast: 'Your profile picture was updated.' };
    },
    'remove-avatar': async () => {
      await removeAvatar(ctx, actor);
      return { redirectTo: '/profile', toast: 'Your profile picture was removed.' };
    },
  });
}

export default function ProfilePage() {
  const { profile, bioMax, avatarForm, uploadedKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const errors = result?.intent === 'save' ? (result.fieldErrors ?? {}) : {};
  const values = result?.intent === 'save' ? result.values : {};
  return (
    <div className="mx-auto max-w-2xl space-y-8">
      <div>
        <h1 className="text-2xl font-bold">Your profile</h1>
        <p className="mt-1 text-slate-700">
          This is how classmates see you.{' '}
          <Link to={`/users/${profile.id}`} className="font-semibold text-brand-700 underline">
            View your public profile
          </Link>
        </p>
      </div>
      <FormError message={result?.formError} />

      <section aria-labelledby="picture" className="card space-y-4">
        <h2 id="picture" className="text-lg font-semibold">
          Profile picture
        </h2>
        <div className="flex flex-wrap items-center gap-4">
          <PersonAvatar person={{ name: profile.fullName, avatar: profile.avatar }} size="lg" />
          {profile.avatar ? (
            <Form method="post">
              <CsrfField />
              <button type="submit" name="intent" value="remove-avatar" className="btn-secondary" disabled={busy}>
                Remove picture
              </button>
            </Form>
          ) : null}
        </div>
        {uploadedKey ? (
          <Form method="post" className="rounded-md border border-brand-100 bg-brand-50 p-4">
            <CsrfField />
            <input type="hidden" name="key" value={uploadedKey} />
            <p className="text-sm">Your picture is uploaded. Use it as your profile picture?</p>
            <button type="submit" name="intent" value="use-avatar" className="btn-primary mt-2" disabled={busy}>
              Use this picture
            </button>
          </Form>
        ) : null}
        <AvatarUpload maxBytes={avatarForm.maxBytes} types={avatarForm.types} noJsForm={avatarForm} />
      </section>

      <section aria-labelledby="details" className="card">
        <h2 id="details" className="text-lg font-semibold">
          About you
        </h2>
        <p className="mt-1 text-sm text-slate-700">
          Signed in as <span className="break-all font-medium">{profile.email}</span> ({profile.role})
        </p>
        <Form method="post" className="mt-4 space-y-4" noValidate>
          <CsrfField />
          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              label="First name"
              name="firstName"
              autoComplete="given-name"
              defaultValue={values.firstName ?? profile.firstName}
              errors={errors.firstName}
            />
            <Field
              label="Last name"
              name="lastName"
              autoComplete="family-name"
              defaultValue={values.lastName ?? profile.lastName}
              errors={errors.lastName}
            />
          </div>
          <TextAreaField
            label="Bio"
            name="bio"
            rows={5}
            hint={`Up to ${bioMax.toLocaleString('en-US')} characters. Line breaks are kept.`}
            defaultValue={values.bio ?? profile.bio ?? ''}
            errors={errors.bio}
          />
          <button type="submit" name="intent" value="save" className="btn-primary" disabled={busy}>
            Save profile
          </button>
        </Form>
      </section>
    </div>
  );
}
