import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UI_ACTIONS, runUi } from './run.ts';

test('the ui scenario lists 12 participants in Chromium and times every panel action', async () => {
  const report = await runUi({ sizes: [4, 12], rounds: 1, opens: 2, hands: 2, burst: 2, searches: ['mart'] });
  const about = JSON.stringify(report.rows);
  // Sanity, not timing: every action of both rooms was timed, the panel listed everyone, the remote
  // changes were timed from the messages that carried them, and the figures are consistent.
  assert.equal(report.errors, []);
  assert.is(report.rows.length, UI_ACTIONS.length * 2, about);
  for (const row of report.rows) {
    assert.ok(row.samples > 0, `${row.action} (${row.participants}): no sample`);
    assert.ok(row.workP50 > 0 && row.workP50 <= row.workP95 && row.workP95 <= row.workMax, `${row.action} (${row.participants}) work ${row.workP50}/${row.workP95}/${row.workMax}`);
    assert.ok(row.paintP50 >= row.workP50 && row.paintMax < 10_000, `${row.action} (${row.participants}) paint ${row.paintP50}/${row.paintMax}`);
    assert.is(row.unattributed, 0, `${row.action} (${row.participants}): DOM changes outside a message task`);
  }
  const rows = (action: string, n: number) => report.rows.find((r) => r.action === action && r.participants === n)!.rowsListed;
  assert.is(rows('open panel', 12), 12);
  assert.is(rows('hand lower', 12), 12);
  assert.is(rows('leave (burst)', 12), 10);
  assert.is(rows('join (burst)', 12), 12);
  assert.ok(rows('search key', 12) < 12, 'the search narrowed the list');
  assert.is(rows('search clear', 12), 12);
});

test.run();
