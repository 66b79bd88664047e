/** The `/profile` page: the caller's own profile, the no-JS avatar form, and an upload to confirm. */
import type { User } from '~/data/repository';
import { requireUser } from './access.server';
import { avatarPostForm, uploadedAvatarKey } from './avatars.server';
import type { ServiceContext } from './context';
import { BIO_MAX, profileData } from './profiles.server';

export async function ownProfilePage(ctx: ServiceContext, actor: User | null, returnedKey: string | null) {
  const user = requireUser(actor);
  return {
    profile: profileData(user, true),
    bioMax: BIO_MAX,
    avatarForm: await avatarPostForm(ctx, user),
    uploadedKey: uploadedAvatarKey(user, returnedKey),
  };
}
