/**
 * Room ids: three groups of five lowercase letters, e.g. `kvbzt-hmrcw-pdfqa`. Letters that are easily
 * confused when read aloud or handwritten (i, l, o) are left out, so each letter carries log2(23) bits
 * and an id carries 15 × 4.52 ≈ 67.9 bits from a CSPRNG: unguessable, and easy to dictate.
 */
import { randomInt } from 'node:crypto';

export const ROOM_ALPHABET = 'abcdefghjkmnpqrstuvwxyz';
export const ROOM_ID = /^[a-z]{5}-[a-z]{5}-[a-z]{5}$/;
export const ROOM_ID_BITS = 15 * Math.log2(ROOM_ALPHABET.length);

export function newRoomId(random: (max: number) => number = randomInt): string {
  const groups: string[] = [];
  for (let g = 0; g < 3; g++) {
    let s = '';
    for (let i = 0; i < 5; i++) s += ROOM_ALPHABET[random(ROOM_ALPHABET.length)];
    groups.push(s);
  }
  return groups.join('-');
}

export function isRoomId(value: string): boolean {
  return ROOM_ID.test(value) && [...value.replaceAll('-', '')].every((c) => ROOM_ALPHABET.includes(c));
}
