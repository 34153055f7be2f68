import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseRoomInput, roomIdFromPath, isRoomId } from './roomCode.ts';

test('parseRoomInput() accepts a bare id, trimmed and lower-cased', () => {
  assert.is(parseRoomInput('abcde-fghij-klmno'), 'abcde-fghij-klmno');
  assert.is(parseRoomInput('  ABCDE-fghij-KLMNO \n'), 'abcde-fghij-klmno');
  assert.is(parseRoomInput('abcdefghijklmno'), 'abcde-fghij-klmno');
});

test('parseRoomInput() accepts full links, with or without scheme', () => {
  assert.is(parseRoomInput('https://meet.example.org/abcde-fghij-klmno'), 'abcde-fghij-klmno');
  assert.is(parseRoomInput('http://localhost:8080/abcde-fghij-klmno/'), 'abcde-fghij-klmno');
  assert.is(parseRoomInput('http://localhost:8080/abcde-fghij-klmno?x=1#y'), 'abcde-fghij-klmno');
  assert.is(parseRoomInput('meet.example.org/abcde-fghij-klmno'), 'abcde-fghij-klmno');
});

test('parseRoomInput() rejects anything that is neither a link nor a code', () => {
  for (const bad of ['', '   ', 'hello', 'abcde-fghij', 'abcde-fghij-klmn1', 'https://x.org/', 'https://x.org/a/abcde-fghij-klmno', 'ftp://x.org/abcde-fghij-klmno', 'javascript:alert(1)']) {
    assert.is(parseRoomInput(bad), null, bad);
  }
});

test('roomIdFromPath() maps pathnames to rooms', () => {
  assert.is(roomIdFromPath('/'), null);
  assert.is(roomIdFromPath('/abcde-fghij-klmno'), 'abcde-fghij-klmno');
  assert.is(roomIdFromPath('/abcde-fghij-klmno/'), 'abcde-fghij-klmno');
  assert.is(roomIdFromPath('/nope'), null);
  assert.ok(isRoomId('aaaaa-bbbbb-ccccc'));
});

test.run();
