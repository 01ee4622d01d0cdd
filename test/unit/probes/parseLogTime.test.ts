import { parseHostClock } from '../../../src/probes/parsers/parseHostClock';
import { parseLogTime } from '../../../src/probes/parsers/parseLogTime';
import { fixture } from './fixture';

const UTC = { now: 1_796_661_112, utcOffsetMinutes: 0 };
const lines = (name: string) =>
  fixture(name)
    .split('\n')
    .filter((l) => l !== '');

describe('parseLogTime', () => {
  it('dates the captured nginx error log (host local time, UTC here)', () => {
    const [warn, emerg] = lines('nginx-error-log-eacces-lab.txt');
    expect(parseLogTime(emerg ?? '', UTC)).toBe(Date.UTC(2026, 11, 7, 16, 31, 50) / 1000);
    expect(parseLogTime(warn ?? '', UTC)).toBe(Date.UTC(2026, 11, 7, 16, 31, 50) / 1000);
  });

  it('applies the host offset to nginx local time (captured with TZ=Asia/Kolkata)', () => {
    const [warn, stderrEmerg, kolkataDate] = lines('nginx-error-log-eacces-kolkata.txt');
    const clock = parseHostClock(kolkataDate ?? '');
    expect(clock).toEqual({ now: 1796663191, utcOffsetMinutes: 330 });
    // 22:36:31 in Kolkata is 17:06:31 UTC, the second `date` ran in
    expect(parseLogTime(warn ?? '', clock)).toBe(1796663191);
    // what nginx prints on stderr (no log file yet) carries no time
    expect(parseLogTime(stderrEmerg ?? '', clock)).toBeNull();
  });

  it('cannot date local time without the host clock', () => {
    const [, emerg] = lines('nginx-error-log-eacces-lab.txt');
    expect(parseLogTime(emerg ?? '', null)).toBeNull();
  });

  it('leaves the captured HAProxy stderr undated (it prints no time)', () => {
    for (const l of lines('haproxy-log-eacces-lab.txt')) expect(parseLogTime(l, UTC)).toBeNull();
  });

  it('reads journald short-iso and rsyslog RFC 3339 with their own offsets', () => {
    const t = Date.UTC(2026, 11, 7, 16, 31, 50) / 1000;
    expect(
      parseLogTime(
        '2026-12-07T17:31:50+0100 lb-01 nginx[29]: nginx: [emerg] bind() to 0.0.0.0:80 failed (13: Permission denied)',
        null,
      ),
    ).toBe(t);
    expect(
      parseLogTime(
        '2026-12-07T16:31:50.123456+00:00 lb-03 haproxy[26]: [ALERT]    (26) : Binding …',
        null,
      ),
    ).toBe(t);
  });

  it('puts a yearless syslog line in the host year, or the one before when it would be ahead', () => {
    expect(parseLogTime('Dec  7 16:31:50 lb-03 haproxy[26]: x', UTC)).toBe(
      Date.UTC(2026, 11, 7, 16, 31, 50) / 1000,
    );
    const january = { now: Date.UTC(2027, 0, 2) / 1000, utcOffsetMinutes: 0 };
    expect(parseLogTime('Dec 31 23:59:59 lb-03 haproxy[26]: x', january)).toBe(
      Date.UTC(2026, 11, 31, 23, 59, 59) / 1000,
    );
  });
});

describe('parseHostClock', () => {
  it('reads date +%s %z, negative offsets too, and refuses anything else', () => {
    expect(parseHostClock('1796661112 +0000\n')).toEqual(UTC);
    expect(parseHostClock('1796661112 -0430')).toEqual({
      now: 1796661112,
      utcOffsetMinutes: -270,
    });
    expect(parseHostClock('')).toBeNull();
    expect(parseHostClock('date: invalid option')).toBeNull();
  });
});
