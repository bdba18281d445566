import * as assert from 'node:assert/strict';
import { parseTimingLine, timingFromEnvironment, timingLine, TIMING_VARIABLE } from '../../src/hosts/tsserver/timing';

/* The plugin's timing lines, which only bench/javascript.ts turns on and reads back from tsserver's log. */

describe('tsserver plugin: timing lines', () => {
  it('are off unless the environment asks for them with 1', () => {
    assert.equal(timingFromEnvironment({}), false);
    assert.equal(timingFromEnvironment({ [TIMING_VARIABLE]: '0' }), false);
    assert.equal(timingFromEnvironment({ [TIMING_VARIABLE]: 'true' }), false);
    assert.equal(timingFromEnvironment({ [TIMING_VARIABLE]: '1' }), true);
  });

  it('are read back from a log line as they were written, whatever the file name', () => {
    const fileName = '/tmp/a project/src: odd/ms rules.ts';
    // As tsserver's logger writes it: its own prefix, then the plugin's.
    const line = `Info 42   [12:14:51.525] [async-lens] ${timingLine(fileName, 1.23456, 0)}`;
    assert.deepEqual(parseTimingLine(line), { rules: 1.235, compiler: 0, fileName });
  });

  it('leave every other log line alone', () => {
    assert.equal(parseTimingLine('Info 14   [12:14:51.525] [async-lens] async-lens-tsserver-plugin decorates /p/tsconfig.json (TypeScript 6.0.3)'), undefined);
    assert.equal(parseTimingLine('Info 17   [12:14:53.591] Finishing updateGraphWorker: Project: /p/tsconfig.json Elapsed: 2061.927493ms'), undefined);
  });
});
