import { describe, expect, it } from 'vitest';
import { LineIndex, hostOffset } from '../../../src/model/span';
import { diagnostic, formatDiagnostic, compareDiagnostics } from '../../../src/model/diagnostic';

describe('LineIndex', () => {
  it('maps offsets to 1-based lines and columns across LF, CRLF and CR line ends', () => {
    const idx = new LineIndex('ab\ncd\r\nef\rg');
    expect(idx.position(0)).toEqual({ offset: 0, line: 1, column: 1 });
    expect(idx.position(3)).toEqual({ offset: 3, line: 2, column: 1 });
    expect(idx.position(4)).toEqual({ offset: 4, line: 2, column: 2 });
    expect(idx.position(7)).toEqual({ offset: 7, line: 3, column: 1 });
    expect(idx.position(10)).toEqual({ offset: 10, line: 4, column: 1 });
  });
  it('clamps offsets outside the text', () => {
    const idx = new LineIndex('x\ny');
    expect(idx.position(-5)).toEqual({ offset: 0, line: 1, column: 1 });
    expect(idx.position(99)).toEqual({ offset: 3, line: 2, column: 2 });
  });
});

describe('hostOffset', () => {
  it('maps linearly for literal strings and through the table for escaped ones', () => {
    expect(hostOffset({ file: 'f', base: 100 }, 7)).toBe(107);
    expect(hostOffset({ file: 'f', base: 100, table: [100, 102, 103] }, 1)).toBe(102);
    expect(hostOffset({ file: 'f', base: 100, table: [100, 102, 103] }, 9)).toBe(103);
  });
});

describe('diagnostics', () => {
  it('formats with file, line and column and sorts by place', () => {
    const a = diagnostic('error', 'toml-syntax', 'b.toml', { line: 3, column: 4 }, 'bad');
    const b = diagnostic('warning', 'x', 'a.toml', null, 'meh');
    expect(formatDiagnostic(a)).toBe('b.toml:3:4: error [toml-syntax] bad');
    expect(formatDiagnostic(b)).toBe('a.toml: warning [x] meh');
    expect([a, b].sort(compareDiagnostics)).toEqual([b, a]);
  });
});
