/**
 * Request schemas: every body, path and query value is checked here before anything else sees it.
 * A schema both checks and converts (base64 and hex become bytes). Unknown fields are refused.
 * Failures are BAD_REQUEST naming the field.
 */
import { DecodeError, decodePoint, type Point } from '../../crypto/index.ts';
import { ApiError } from './errors.ts';

export type Schema<T> = (value: unknown, field: string) => T;
type Infer<S> = S extends Schema<infer T> ? T : never;

const bad = (field: string, what: string): never => {
  throw new ApiError('BAD_REQUEST', `${field}: ${what}`, { field });
};

export const s = {
  string(o: { min?: number; max: number; pattern?: RegExp }): Schema<string> {
    return (v, field) => {
      if (typeof v !== 'string') return bad(field, 'must be a string');
      if (v.length < (o.min ?? 0)) return bad(field, `must have at least ${o.min} characters`);
      if (v.length > o.max) return bad(field, `must have at most ${o.max} characters`);
      if (o.pattern && !o.pattern.test(v)) return bad(field, 'has the wrong form');
      return v;
    };
  },
  int(min: number, max: number): Schema<number> {
    return (v, field) => {
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) return bad(field, 'must be an integer');
      if (v < min || v > max) return bad(field, `must be from ${min} to ${max}`);
      return v;
    };
  },
  /** A query-string integer: canonical decimal digits. */
  intText(min: number, max: number): Schema<number> {
    return (v, field) => {
      if (typeof v !== 'string' || !/^(0|[1-9][0-9]{0,15})$/.test(v)) return bad(field, 'must be a whole number');
      return s.int(min, max)(Number(v), field);
    };
  },
  bool(): Schema<boolean> {
    return (v, field) => (typeof v === 'boolean' ? v : bad(field, 'must be true or false'));
  },
  literal<const L extends string>(...values: L[]): Schema<L> {
    return (v, field) => (values.includes(v as L) ? (v as L) : bad(field, `must be one of ${values.join(', ')}`));
  },
  array<T>(of: Schema<T>, o: { min?: number; max: number }): Schema<T[]> {
    return (v, field) => {
      if (!Array.isArray(v)) return bad(field, 'must be a list');
      if (v.length < (o.min ?? 0)) return bad(field, `must have at least ${o.min} items`);
      if (v.length > o.max) return bad(field, `must have at most ${o.max} items`);
      return v.map((x, i) => of(x, `${field}[${i}]`));
    };
  },
  object<F extends Record<string, Schema<unknown>>, O extends keyof F = never>(
    fields: F,
    optional?: readonly O[],
  ): Schema<{ [K in Exclude<keyof F, O>]: Infer<F[K]> } & { [K in O]?: Infer<F[K]> }> {
    return (v, field) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return bad(field, 'must be an object');
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v)) if (!Object.hasOwn(fields, key)) bad(`${field}.${key}`, 'is not a known field');
      for (const [key, schema] of Object.entries(fields)) {
        const x = (v as Record<string, unknown>)[key];
        if (x === undefined) {
          if (!((optional ?? []) as readonly string[]).includes(key)) bad(`${field}.${key}`, 'is missing');
          continue;
        }
        out[key] = schema(x, `${field}.${key}`);
      }
      return out as never;
    };
  },
  /** null, or what `of` accepts. */
  nullable<T>(of: Schema<T>): Schema<T | null> {
    return (v, field) => (v === null ? null : of(v, field));
  },
  /** Standard base64 (RFC 4648 §4, padded), canonical, decoded to bytes. */
  base64(o: { min?: number; max: number }): Schema<Uint8Array> {
    return (v, field) => {
      if (typeof v !== 'string' || !/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(v)) return bad(field, 'must be base64');
      if ((v.length / 4) * 3 > o.max + 2) return bad(field, `must be at most ${o.max} bytes`);
      const bytes = new Uint8Array(Buffer.from(v, 'base64'));
      if (Buffer.from(bytes).toString('base64') !== v) return bad(field, 'is not canonical base64');
      if (bytes.length < (o.min ?? 1)) return bad(field, 'is too short');
      if (bytes.length > o.max) return bad(field, `must be at most ${o.max} bytes`);
      return bytes;
    };
  },
  /** Lower-case hex of exactly `bytes` bytes. */
  hex(bytes: number): Schema<Uint8Array> {
    return (v, field) => {
      if (typeof v !== 'string' || v.length !== bytes * 2 || !/^[0-9a-f]*$/.test(v)) return bad(field, `must be ${bytes} bytes in lower-case hex`);
      return new Uint8Array(Buffer.from(v, 'hex'));
    };
  },
  /** A ristretto255 point (§G.2.1) in lower-case hex: canonical, not the identity. */
  point(): Schema<Point> {
    return (v, field) => {
      const bytes = s.hex(32)(v, field);
      try {
        return decodePoint(bytes, field);
      } catch (e) {
        if (e instanceof DecodeError) return bad(field, e.reason);
        throw e;
      }
    };
  },
};

/** The poll id of a path: 16 bytes in lower-case hex. */
export const pollIdParam = s.string({ min: 32, max: 32, pattern: /^[0-9a-f]{32}$/ });
