/**
 * The demo page's one read (docs/api.md "GET /api/demo"): which polls are the demonstration and the
 * open one's voter codes, public on purpose. Mounted only when the server was started with --demo
 * (`gongshi serve --demo`); otherwise the path is an unknown endpoint like any other.
 */
import { Router } from 'express';
import type { SiteDemo } from '../demo/site-demo.ts';
import { ApiError } from './errors.ts';

/** `current` gives the demo once it is made, null while it is being made. */
export function demoRoutes(current: () => SiteDemo | null): Router {
  const r = Router();
  r.get('/demo', (_req, res) => {
    const demo = current();
    if (demo === null) throw new ApiError('NOT_FOUND', 'the demonstration polls are still being made: try again in a moment');
    res.json({ finished: demo.finished, open: demo.open, codes: demo.codes });
  });
  return r;
}
