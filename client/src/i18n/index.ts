/**
 * The dictionaries, one file per part of the site, each with the same keys in English and
 * Chinese (the type makes a missing Chinese key a compile error; test/client/messages.test.ts
 * checks the same at run time). Keys start with their file's part: `booth.`, `organiser.`, …
 */
import { common } from './common.ts';
import { booth } from './booth.ts';
import { organiser } from './organiser.ts';
import { trustee } from './trustee.ts';
import { observer } from './observer.ts';
import { errors } from './errors.ts';
import { registrar } from './registrar.ts';

export const parts = { common, booth, organiser, trustee, observer, registrar, errors };

export const messages = {
  en: { ...common.en, ...booth.en, ...organiser.en, ...trustee.en, ...observer.en, ...registrar.en, ...errors.en },
  zh: { ...common.zh, ...booth.zh, ...organiser.zh, ...trustee.zh, ...observer.zh, ...registrar.zh, ...errors.zh },
};

export type MessageKey = keyof typeof messages.en;
