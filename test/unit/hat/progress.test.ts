import { strict as assert } from 'node:assert';
import { clock, EtaTracker, LineSplitter } from '../../../extension/core/hat';

const P = '2026-11-20 11:00:10,001 INFO [monitor.py:120] Node[0] ';

describe('hat: live output and ETA', () => {
  it('splits chunks into lines across partial lines, CRLF split between chunks, and \\r progress', () => {
    const s = new LineSplitter();
    assert.deepEqual(s.push('ab'), []);
    assert.deepEqual(s.push('c\r'), []);
    assert.deepEqual(s.push('\nde'), ['abc']);
    assert.deepEqual(s.push('f\n1 / 3\r2 / 3\r'), ['def', '1 / 3']);
    assert.deepEqual(s.push('3 / 3\nlast'), ['2 / 3', '3 / 3']);
    assert.deepEqual(s.flush(), ['last']);
    assert.deepEqual(s.flush(), []);
  });

  it('training: counts down from HAT\'s Remaining Time and reports the fraction', () => {
    const t0 = 1_000_000;
    const e = new EtaTracker(t0);
    assert.equal(e.estimate(t0), undefined);
    assert.equal(e.line('unrelated line', t0), false);
    assert.equal(e.line(`${P}====================BEGIN CALIBRATION STAGE====================`, t0), true);
    assert.equal(e.stage, 'calibration');
    assert.equal(e.line(`${P}Epoch[0] Step[0-99] Cost Time: 282.187s Speed: 4.25 samples/sec Remaining Time: 0:15:00`, t0 + 300_000), true);
    const a = e.estimate(t0 + 300_000)!;
    assert.equal(a.remainingSeconds, 900);
    assert.equal(a.fraction, 0.25);
    assert.match(a.text, /epoch 0, steps 0-99 · 4\.25 samples\/s · 15:00 left/);
    const b = e.estimate(t0 + 600_000)!;
    assert.equal(b.remainingSeconds, 600);
    assert.equal(b.fraction, 0.5);
    // Past the estimate: never negative, never over 100 %.
    const c = e.estimate(t0 + 10_000_000)!;
    assert.equal(c.remainingSeconds, 0);
    assert.equal(c.fraction, 1);
  });

  it('predict: fraction from i / N and a rate-based ETA', () => {
    const t0 = 0;
    const e = new EtaTracker(t0);
    e.line(`${P}100 / 400`, 10_000);
    const a = e.estimate(10_000)!;
    assert.equal(a.fraction, 0.25);
    assert.equal(a.remainingSeconds, undefined, 'no rate from one point');
    e.line(`${P}200 / 400`, 20_000);
    const b = e.estimate(20_000)!;
    assert.equal(b.fraction, 0.5);
    assert.equal(b.remainingSeconds, 20);
    assert.equal(b.text, '200 / 400 · 0:20 left');
  });

  it('clock', () => {
    assert.equal(clock(59), '0:59');
    assert.equal(clock(3661), '1:01:01');
    assert.equal(clock(-5), '0:00');
  });
});
