/** Texts of the organiser pages (keys start with `organiser.`). */
import { dictionary } from './dictionary.ts';

export const organiser = dictionary(
  {
    'organiser.title': 'organiser',
  },
  {
    'organiser.title': 'organiser',
  },
);
