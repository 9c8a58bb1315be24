/** Texts of the booth pages (keys start with `booth.`). */
import { dictionary } from './dictionary.ts';

export const booth = dictionary(
  {
    'booth.title': 'booth',
  },
  {
    'booth.title': 'booth',
  },
);
