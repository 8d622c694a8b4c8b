/** Progress on a TTY (step, rows, elapsed), one rewritten line on stderr; silent otherwise (the logs tell the story). */
export interface Progress {
  step(name: string, index: number, total: number): void;
  rows(rows: number): void;
  finish(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, enabled = Boolean(stream.isTTY)): Progress {
  const started = Date.now();
  let label = 'starting';
  let rows: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    if (!enabled) return;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    stream.write(`\r\x1b[2K[cleanup] ${label}${rows === undefined ? '' : ` · ${rows.toLocaleString('en-US')} rows`} · ${seconds}s`);
  };
  if (enabled) {
    timer = setInterval(draw, 250);
    timer.unref();
  }
  return {
    step(name, index, total) {
      label = `step ${index}/${total} ${name}`;
      rows = undefined;
      draw();
    },
    rows(n) {
      rows = n;
      draw();
    },
    finish() {
      if (timer) clearInterval(timer);
      if (enabled) stream.write('\r\x1b[2K');
    },
  };
}
