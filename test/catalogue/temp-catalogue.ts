// Copies the package's catalogue into a fresh temp folder so a test can change or extend it as files only.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCatalogueDir } from '../../src/catalogue/index.js';

export interface TempCatalogue {
  dir: string;
  read(file: string): string;
  write(file: string, text: string): void;
  /** Replaces one exact piece of text in a file; fails the test when the text is not there. */
  edit(file: string, from: string, to: string): void;
  remove(): void;
}

export function copyCatalogue(): TempCatalogue {
  const dir = mkdtempSync(join(tmpdir(), 'snconnect-catalogue-'));
  const source = defaultCatalogueDir();
  cpSync(join(source, 'connector.xml'), join(dir, 'connector.xml'));
  cpSync(join(source, 'operations'), join(dir, 'operations'), { recursive: true });
  cpSync(join(source, 'templates'), join(dir, 'templates'), { recursive: true });
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  const write = (file: string, text: string) => writeFileSync(join(dir, file), text);
  return {
    dir,
    read,
    write,
    edit(file, from, to) {
      const text = read(file);
      if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
      write(file, text.replace(from, to));
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
