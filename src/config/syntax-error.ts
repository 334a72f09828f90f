// A tenant file that does not parse is reported by where the error is, never by what is there:
// tenant files hold passwords, and the parsers quote the source — yaml's message carries the lines
// around the error, V8's JSON message the text near it (`…"password": Pw-1}" is not valid JSON`).
import { YAMLError } from 'yaml';

/** Line and column (1-based) of a character offset in `text`. */
function lineCol(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const nl = before.lastIndexOf('\n');
  return { line: before.split('\n').length, col: before.length - nl };
}

/** The parse error `e` of tenant file `file` (YAML or JSON by its name) as a message without source text. */
export function syntaxErrorMessage(file: string, text: string, e: unknown): string {
  if (file.endsWith('.json')) {
    // V8 says "at position N" for most errors; for an unexpected token it quotes the text instead
    const at = /\bposition (\d+)/.exec(e instanceof Error ? e.message : '');
    if (!at?.[1]) return 'JSON syntax error (its place is not shown: the parser\'s message quotes the file)';
    const { line, col } = lineCol(text, Number(at[1]));
    return `JSON syntax error at line ${line}, column ${col}`;
  }
  if (e instanceof YAMLError) {
    const pos = e.linePos?.[0] ?? lineCol(text, e.pos[0]);
    return `YAML syntax error at line ${pos.line}, column ${pos.col} (${e.code})`;
  }
  return 'YAML syntax error';
}
