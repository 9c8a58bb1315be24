/** A progress bar on stderr when it is a terminal; a start and an end line otherwise (CI logs). */

export interface Progress {
  tick(n?: number): void;
  done(): void;
}

export function progress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  let count = 0;
  let last = -1;
  const tty = stream.isTTY === true;
  if (!tty) stream.write(`${label}…\n`);
  const draw = () => {
    const pct = total === 0 ? 100 : Math.floor((count / total) * 100);
    if (pct === last) return;
    last = pct;
    const width = 30;
    const full = Math.round((pct / 100) * width);
    stream.write(`\r${label} [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${pct}% (${count}/${total})`);
  };
  return {
    tick(n = 1) {
      count += n;
      if (tty) draw();
    },
    done() {
      if (tty) {
        draw();
        stream.write('\n');
      } else stream.write(`${label}: done (${count}/${total})\n`);
    },
  };
}
