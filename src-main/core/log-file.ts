import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A log file that rotates while the program runs, as logrotate's `size` and `rotate` do.
 *
 * Before a line would take the file past `maxBytes`, the file moves to `<file>.1`, the one before that to `<file>.2`, and so on; the
 * last `keep` rotated files are kept and older ones deleted. Each line is appended by path, so a
 * rotation by another process writing the same file (the CLI's processes share `cli.log`) is
 * picked up at the next line; the size is counted as lines are written and checked on disk
 * before rotating and every so many lines, so another process's lines count too.
 */
export class RotatingLogFile {
  private size: number;
  private sinceCheck = 0;

  constructor(
    private readonly file: string,
    private readonly maxBytes: number,
    private readonly keep: number,
  ) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    this.size = this.sizeOnDisk();
    if (this.size > maxBytes) this.rotate();
  }

  /** Appends one line; first rotates if the line would take the file past its limit. */
  append(line: string): void {
    const bytes = Buffer.byteLength(line);
    this.sinceCheck += 1;
    if (this.size + bytes > this.maxBytes || this.sinceCheck >= CHECK_EVERY_LINES) {
      this.sinceCheck = 0;
      this.size = this.sizeOnDisk();
      if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
    }
    appendFileSync(this.file, line, { mode: 0o600 });
    this.size += bytes;
  }

  private sizeOnDisk(): number {
    try {
      return statSync(this.file).size;
    } catch {
      return 0; // no file yet, or another process just rotated it away
    }
  }

  private rotate(): void {
    rmSync(`${this.file}.${this.keep}`, { force: true });
    for (let index = this.keep - 1; index >= 1; index -= 1)
      moveIfPresent(`${this.file}.${index}`, `${this.file}.${index + 1}`);
    moveIfPresent(this.file, `${this.file}.1`);
    this.size = 0;
  }
}

/** Lines between two looks at the file's real size. */
const CHECK_EVERY_LINES = 200;

function moveIfPresent(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
