import { describe, expect, test } from 'vitest';
import { DteReader, type DteEvent } from '../../../drivers/at-protocol/index.ts';

/** Feeds `text` in chunks cut at `cuts`, collecting echo and events. */
function run(reader: DteReader, text: string): { echo: string; events: DteEvent[] } {
  let echo = '';
  const events: DteEvent[] = [];
  for (const ch of text) {
    const step = reader.feed(ch);
    echo += step.echo;
    if (step.event !== undefined) {
      events.push(step.event);
      if (step.event.kind === 'command-line' && /^\+CMGS/i.test(step.event.body)) reader.startInput(step.event.body.includes('"'));
    }
  }
  return { echo, events };
}

describe('the modem side of the serial line', () => {
  test('command lines end at CR, keep what follows AT, and ignore other lines', () => {
    const { echo, events } = run(new DteReader(), 'AT\r\nnoise\rat+csq\r\n+++\rATE0\r');
    expect(events).toEqual([
      { kind: 'command-line', body: '' },
      { kind: 'command-line', body: '+csq' },
      { kind: 'command-line', body: 'E0' },
    ]);
    expect(echo).toBe('AT\r\nnoise\rat+csq\r\n+++\rATE0\r');
  });

  test('backspace edits the line', () => {
    expect(run(new DteReader(), 'AT+CSX\bQ\r').events).toEqual([{ kind: 'command-line', body: '+CSQ' }]);
  });

  test('PDU entry ends at ctrl-Z, ignores line breaks, and is not echoed past the data', () => {
    const { echo, events } = run(new DteReader(), 'AT+CMGS=9\r0011\r\n00AB\x1aAT\r');
    expect(events).toEqual([
      { kind: 'command-line', body: '+CMGS=9' },
      { kind: 'input-complete', data: '001100AB' },
      { kind: 'command-line', body: '' },
    ]);
    expect(echo).toBe('AT+CMGS=9\r001100ABAT\r');
  });

  test('ESC cancels entry', () => {
    expect(run(new DteReader(), 'AT+CMGS=9\r0011\x1bAT\r').events.map((e) => e.kind)).toEqual(['command-line', 'input-cancelled', 'command-line']);
  });

  test('text mode: CR is a line break of the message', () => {
    expect(run(new DteReader(), 'AT+CMGS="1"\rab\rcd\x1a').events).toEqual([
      { kind: 'command-line', body: '+CMGS="1"' },
      { kind: 'input-line-break' },
      { kind: 'input-complete', data: 'ab\ncd' },
    ]);
  });
});
