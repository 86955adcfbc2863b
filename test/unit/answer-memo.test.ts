import { AnswerMemo } from '../../src/integrations/clio/answer-memo';

const bytes = (text: string) => Buffer.from(text);

describe('AnswerMemo: list pages revalidated by content', () => {
  test('when Clio answers the same bytes again, then the earlier parse is reused and not run again', () => {
    const memo = new AnswerMemo(1_000_000);
    let parses = 0;
    const parse = (text: string) => () => {
      parses++;
      return JSON.parse(text) as { data: { id: number; tags: string[] }[] };
    };
    const text = JSON.stringify({ data: [{ id: 1, tags: ['a'] }] });
    const first = memo.parse('/matters.json?limit=1', bytes(text), parse(text));
    const again = memo.parse('/matters.json?limit=1', bytes(text), parse(text));
    expect(again).toBe(first);
    expect(parses).toBe(1);

    const changed = JSON.stringify({ data: [{ id: 1, tags: ['b'] }] });
    const third = memo.parse('/matters.json?limit=1', bytes(changed), parse(changed));
    expect(parses).toBe(2);
    expect(third.data[0]!.tags).toEqual(['b']);
    // Another query is its own entry, even with the same answer.
    memo.parse('/matters.json?limit=2', bytes(changed), parse(changed));
    expect(parses).toBe(3);
  });

  test('when a value is shared, then it is frozen all the way down', () => {
    const memo = new AnswerMemo(1_000_000);
    const value = memo.parse('k', bytes('{"data":[{"id":1,"tags":["a"]}]}'), () => ({
      data: [{ id: 1, tags: ['a'] }],
    }));
    expect(Object.isFrozen(value.data[0]!.tags)).toBe(true);
    expect(() => {
      'use strict';
      value.data[0]!.tags.push('b');
    }).toThrow(TypeError);
  });

  test('when a parse throws, then nothing is kept and the next identical answer is parsed again', () => {
    const memo = new AnswerMemo(1_000_000);
    let calls = 0;
    const failing = () => {
      calls++;
      throw new Error('unexpected shape');
    };
    expect(() => memo.parse('k', bytes('same'), failing)).toThrow('unexpected shape');
    expect(() => memo.parse('k', bytes('same'), failing)).toThrow('unexpected shape');
    expect(calls).toBe(2);
  });

  test('when the memo is full, then the least recently read answers make room', () => {
    const memo = new AnswerMemo(10);
    let parses = 0;
    const parse = () => ++parses;
    memo.parse('a', bytes('aaaaa'), parse);
    memo.parse('b', bytes('bbbbb'), parse);
    memo.parse('c', bytes('ccccc'), parse); // 15 bytes: 'a' goes
    memo.parse('b', bytes('bbbbb'), parse);
    expect(parses).toBe(3);
    memo.parse('a', bytes('aaaaa'), parse);
    expect(parses).toBe(4);
    // Larger than the whole memo: parsed every time, never kept.
    memo.parse('big', bytes('x'.repeat(11)), parse);
    memo.parse('big', bytes('x'.repeat(11)), parse);
    expect(parses).toBe(6);
  });
});
