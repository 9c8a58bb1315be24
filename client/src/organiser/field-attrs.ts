/** The attributes that tie a poll-editor field to its problem: id, aria-invalid, aria-describedby. */
import { fieldId, type Problems } from './draft-form.ts';

export function fieldAttrs(field: string, problems: Problems): { id: string; 'aria-invalid': 'true' | undefined; 'aria-describedby': string | undefined } {
  const bad = problems.has(field);
  return { id: fieldId(field), 'aria-invalid': bad ? 'true' : undefined, 'aria-describedby': bad ? `${fieldId(field)}-error` : undefined };
}
