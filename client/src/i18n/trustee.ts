/** Texts of the trustee pages (keys start with `trustee.`). */
import { dictionary } from './dictionary.ts';

export const trustee = dictionary(
  {
    'trustee.title': 'trustee',
  },
  {
    'trustee.title': 'trustee',
  },
);
