/** A progress bar on stderr: redrawn in place on a terminal, a line per tenth otherwise (CI logs). No names, only counts. */
export class Progress {
  private done = 0;
  private lastTenth = -1;
  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  advance(n: number): void {
    this.done += n;
    const ratio = this.total === 0 ? 1 : this.done / this.total;
    if (this.stream.isTTY) {
      const width = 30;
      const filled = Math.round(ratio * width);
      this.stream.write(`\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done}/${this.total}`);
      if (this.done >= this.total) this.stream.write('\n');
      return;
    }
    const tenth = Math.floor(ratio * 10);
    if (tenth !== this.lastTenth) {
      this.lastTenth = tenth;
      this.stream.write(`${this.label}: ${this.done}/${this.total}\n`);
    }
  }
}
