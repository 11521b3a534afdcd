import { describe, expect, it } from 'vitest';
import { answerOnce } from './answer-once.js';

describe('answerOnce', () => {
  it('answers with the timeout answer when the work is late, and ignores the late answer', async () => {
    const answers: string[] = [];
    const answer = answerOnce(
      (value: string) => answers.push(value),
      20,
      () => ['timed out'] as const,
    );
    await new Promise((resolve) => setTimeout(resolve, 60));
    answer('late');
    expect(answers).toEqual(['timed out']);
  });

  it('passes the first answer through and ignores a second', () => {
    const answers: string[] = [];
    const answer = answerOnce(
      (value: string) => answers.push(value),
      1000,
      () => ['timed out'] as const,
    );
    answer('first');
    answer('second');
    expect(answers).toEqual(['first']);
  });
});
