// CSV files for a test file's imports, in a temporary folder of its own: rows joined with CRLF, as spreadsheets save them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function csvFiles(prefix: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  let files = 0;
  return {
    /** A new file holding these rows; its path. */
    write(lines: string[]): string {
      const file = path.join(dir, `file-${++files}.csv`);
      fs.writeFileSync(file, lines.join('\r\n') + '\r\n');
      return file;
    },
    remove(): void { fs.rmSync(dir, { recursive: true, force: true }); },
  };
}
