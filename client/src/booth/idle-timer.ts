/**
 * A timer that fires once after `ms` without the person touching the page: every pointer, key,
 * touch, wheel or scroll event on `target` starts the wait again. The desk's final screen uses it to
 * start over for the next voter.
 */
const ACTIVITY = ['pointerdown', 'keydown', 'touchstart', 'wheel', 'scroll'] as const;

/** Calls `onIdle` once after `ms` of quiet on `target`; returns the function that stops waiting. */
export function idleTimer(target: EventTarget, ms: number, onIdle: () => void): () => void {
  if (!(ms > 0)) throw new Error(`ms: must be positive, got ${ms}`);
  let timer: ReturnType<typeof setTimeout> | null = null;
  const arm = () => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(fire, ms);
  };
  const stop = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    for (const name of ACTIVITY) target.removeEventListener(name, arm);
  };
  const fire = () => {
    stop();
    onIdle();
  };
  // Bubbling phase: every touch and key on the page reaches the window.
  for (const name of ACTIVITY) target.addEventListener(name, arm, { passive: true });
  arm();
  return stop;
}
