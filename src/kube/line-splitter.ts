// Framing of a watch stream: the API server sends one JSON event per line.
// Chunks arrive cut anywhere, including inside a multi-byte UTF-8 character,
// so lines are split on bytes and decoded only once complete.

const newline = 0x0a;

export class LineSplitter {
  private pending: Buffer[] = [];

  /** The complete, non-blank lines that `chunk` finishes. */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(newline); nl >= 0; nl = chunk.indexOf(newline, start)) {
      this.pending.push(chunk.subarray(start, nl));
      const line = Buffer.concat(this.pending).toString('utf8').trim();
      this.pending = [];
      if (line !== '') lines.push(line);
      start = nl + 1;
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start));
    return lines;
  }

  /** The unterminated last line, if any (a stream that ended without a newline). */
  flush(): string | undefined {
    const line = Buffer.concat(this.pending).toString('utf8').trim();
    this.pending = [];
    return line === '' ? undefined : line;
  }
}
