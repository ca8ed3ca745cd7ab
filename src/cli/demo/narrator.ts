import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

export interface NarratorOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * Plain-language output for a newcomer. On a terminal: colours and a live "waiting…" line with the
 * seconds ticking; elsewhere (a pipe, CI, a log file) plain lines only, no escape codes at all.
 */
export class Narrator {
  private readonly out: NarratorOutput;
  private readonly tty: boolean;
  private readonly colour: boolean;
  private readonly startedAt = Date.now();

  /** `noColor`: the NO_COLOR convention (https://no-color.org) turns colours off even on a terminal. */
  constructor(out: NarratorOutput, options: { noColor?: boolean } = {}) {
    this.out = out;
    this.tty = out.isTTY === true;
    this.colour = this.tty && options.noColor !== true;
  }

  /** Seconds since the demo started, for the progress stamps. */
  elapsedSeconds(): number {
    return (Date.now() - this.startedAt) / 1000;
  }

  title(text: string): void {
    this.line(this.style(['bold'], text));
  }

  step(index: number, total: number, text: string): void {
    this.line('');
    this.line(
      `${this.style(['bold', 'cyan'], `[${index}/${total}] ${text}`)}${this.style('dim', `  (+${this.elapsedSeconds().toFixed(1)} s)`)}`,
    );
  }

  say(text: string): void {
    this.line(`  ${text}`);
  }

  detail(text: string): void {
    this.line(this.style('dim', `      ${text}`));
  }

  ok(text: string): void {
    this.line(`  ${this.style('green', '✓')} ${text}`);
  }

  no(text: string): void {
    this.line(`  ${this.style('yellow', '✗')} ${text}`);
  }

  failure(text: string): void {
    this.line(this.style(['bold', 'red'], text));
  }

  blank(): void {
    this.line('');
  }

  /** Any multi-line block (the funnel report), indented. */
  block(text: string): void {
    for (const line of text.replace(/\n$/, '').split('\n')) this.line(line === '' ? '' : `    ${line}`);
  }

  /** Runs `work` while showing what is awaited; `label` may change as time passes (a countdown). */
  async waiting<T>(label: () => string, work: Promise<T>): Promise<T> {
    if (!this.tty) {
      this.line(this.style('dim', `  … ${label()}`));
      return work;
    }
    const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
    const since = Date.now();
    let frame = 0;
    const draw = () => {
      const seconds = ((Date.now() - since) / 1000).toFixed(1);
      this.out.write(`\r\x1b[2K  ${frames[frame++ % frames.length]} ${label()} ${this.style('dim', `${seconds} s`)}`);
    };
    draw();
    const timer = setInterval(draw, 100);
    try {
      return await work;
    } finally {
      clearInterval(timer);
      this.out.write('\r\x1b[2K');
    }
  }

  private style(format: Style, text: string): string {
    return this.colour ? styleText(format, text, { validateStream: false }) : text;
  }

  private line(text: string): void {
    this.out.write(`${text}\n`);
  }
}
