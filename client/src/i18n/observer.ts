/** Texts of the observer pages (keys start with `observer.`). */
import { dictionary } from './dictionary.ts';

export const observer = dictionary(
  {
    'observer.title': 'observer',
  },
  {
    'observer.title': 'observer',
  },
);
