import { describe, expect, it } from 'vitest';
import { languageOf, messagesOf, t, useLanguage } from '../lib/i18n.js';
import { hintsDrift, messagesDrift, readmeDrift } from '../maintainer/lib/parity.js';

const english = [
  '# Chapter 01',
  '',
  '## Tasks',
  '',
  '### 1 · DNS — `zone.ts`',
  '',
  'Run `npm test -- 01` after each file.',
  '',
  '| rcode | when |',
  '|---|---|',
  '| NXDOMAIN | no such name |',
  '',
  '```sh',
  'npm test -- 01',
  '```',
  '',
  '```mermaid',
  'flowchart LR',
  '  user --> dns',
  '```',
].join('\n');

const korean = [
  '# 01장',
  '',
  '## 과제',
  '',
  '### 1 · DNS — `zone.ts`',
  '',
  '파일마다 `npm test -- 01`을 실행하세요.',
  '',
  '| rcode | 언제 |',
  '|---|---|',
  '| NXDOMAIN | 없는 이름 |',
  '',
  '```sh',
  'npm test -- 01',
  '```',
  '',
  '```mermaid',
  'flowchart LR',
  '  user["사용자"] --> dns',
  '```',
].join('\n');

describe('the Korean edition keeps in step with the English one', () => {
  it('accepts a translation that keeps headings, tables, code and commands, with diagram labels translated', () => {
    expect(readmeDrift(english, korean)).toEqual([]);
  });

  it('fails a drifted translation: a task heading, a table row, a code block or a command out of step', () => {
    expect(readmeDrift(english, korean.replace('### 1 · DNS', '### DNS'))).toEqual([
      'headings differ: 3 (# ## ### 1) against 3 (# ## ###)',
    ]);
    expect(readmeDrift(english, korean.replace('| NXDOMAIN | 없는 이름 |', ''))[0]).toContain(
      'tables differ: rows 3 against 2',
    );
    expect(readmeDrift(english, korean.replace('```sh\nnpm test -- 01', '```sh\nnpm test -- 02'))).toEqual([
      'code block 1 differs: code and commands stay as they are',
    ]);
    expect(
      readmeDrift(english.replace('Run `npm test -- 01`', 'Run `npm test -- 01 -t DNS`'), korean),
    ).toEqual([
      'commands missing: `npm test -- 01 -t DNS`',
      'commands the original does not have: `npm test -- 01`',
    ]);
  });

  it('keeps the same tasks in the hints, three tiers each', () => {
    const tiers = (n: string) =>
      `## ${n} · x\n\n### 1 · a\n\nnudge text long enough\n\n### 2 · b\n\napproach text long enough\n\n### 3 · c\n\nsolution text long enough\n`;
    expect(hintsDrift(tiers('1') + tiers('2'), tiers('1') + tiers('2'))).toEqual([]);
    expect(hintsDrift(tiers('1') + tiers('2'), tiers('1'))).toEqual(['tasks differ: 1,2 against 1']);
  });

  it('has every runner message in both languages, and speaks Korean with KATA_LANG=ko or a Korean locale', () => {
    expect(messagesDrift(messagesOf('en'), messagesOf('ko'))).toEqual([]);
    expect(messagesDrift({ a: 'x', b: 'y' }, { a: 'x', 'title.01': 't' })).toEqual(['messages missing: b']);
    expect(languageOf({ KATA_LANG: 'ko' })).toBe('ko');
    expect(languageOf({ LANG: 'ko_KR.UTF-8' })).toBe('ko');
    expect(languageOf({ LANG: 'ko_KR.UTF-8', KATA_LANG: 'en' })).toBe('en');
    expect(languageOf({ LANG: 'en_US.UTF-8' })).toBe('en');
    useLanguage('ko');
    expect(t('chapter.passing', { passed: 2, total: 5 })).toBe('테스트 5개 중 2개 통과');
    useLanguage('en');
    expect(t('chapter.passing', { passed: 2, total: 5 })).toBe('2/5 tests pass');
  });
});
